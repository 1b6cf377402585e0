import BenchmarkSuite
import Foundation
import Plotting
import Testing

/// `bench render` and the library under it (``EpisodeRecorder``, ``EpisodeStrip``): one episode
/// of a bridged environment as a PNG strip. The test environment `ACBTest/Counter-v0`
/// (Python/worker/acb_test_envs.py) ends after 12 steps and paints every pixel of its 6×4 frame
/// `(episode, t, 77)`, so each frame says which episode and step it shows. Rendering starts a
/// worker, so it runs through the built executable (its workers are not this process's
/// children, which the bridge's fault tests count).
@Suite("Rendering an episode to a PNG strip (the built executable)", .serialized)
struct EpisodeRenderTests {
  init() throws { try BenchBinary.require() }

  static let counter = "gym:ACBTest/Counter-v0"

  /// Every pixel of `canvas` inside the rectangle, as a set.
  static func colours(_ canvas: Canvas, x: Int, y: Int, width: Int, height: Int) -> Set<RGBColor> {
    var found: Set<RGBColor> = []
    for row in y..<(y + height) { for column in x..<(x + width) { found.insert(canvas.pixel(x: column, y: row)) } }
    return found
  }

  static func decode(_ path: String) throws -> Canvas {
    try Canvas(pngData: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
  }

  /// The colour every pixel of the Counter environment's frame has at step `t` of episode 0.
  static func counterColour(_ t: Int) -> RGBColor { RGBColor(red: 0, green: UInt8(t), blue: 77) }

  @Test("the strip holds every 5th step of the first episode, in its grid cells, and stops before the episode's end")
  func stripShowsTheFirstEpisode() throws {
    let folder = FakeResults.folder("render")
    let strip = folder.appendingPathComponent("counter.png").path
    let frames = folder.appendingPathComponent("frames").path
    let outcome = try BenchBinary.run([
      "render", "--environment", Self.counter, "--steps", "100", "--every", "5", "--columns", "2", "--scale", "1",
      "--seed", "3", "--out", strip, "--frames", frames,
    ])
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.output.contains("3 frames of 6×4"), "\(outcome.output)")
    #expect(outcome.output.contains("episode ended after 12 steps, return 12.0"), "\(outcome.output)")
    let decoded = try Self.decode(strip)
    // 2 frames per row, gap 2, caption rows 11: 2 + 2·(6 + 2) = 18 by 2 + 2·(4 + 11 + 2) = 36.
    #expect(decoded.width == 18 && decoded.height == 36)
    for (i, t) in [0, 5, 10].enumerated() {
      let x = 2 + (i % 2) * 8
      let y = 2 + (i / 2) * 17
      #expect(Self.colours(decoded, x: x, y: y, width: 6, height: 4) == [Self.counterColour(t)], "frame \(i)")
    }
    let files = try FileManager.default.contentsOfDirectory(atPath: frames).sorted()
    #expect(files == ["step-000000.png", "step-000005.png", "step-000010.png"])
    for (file, t) in zip(files, [0, 5, 10]) {
      let frame = try Self.decode((frames as NSString).appendingPathComponent(file))
      #expect(frame.width == 6 && frame.height == 4)
      #expect(Self.colours(frame, x: 0, y: 0, width: 6, height: 4) == [Self.counterColour(t)], "\(file)")
    }
  }

  @Test("--steps cuts the episode; small frames are enlarged to 80 pixels by default")
  func stepLimitAndAutomaticScale() throws {
    let strip = FakeResults.folder("render-cut").appendingPathComponent("cut.png").path
    let outcome = try BenchBinary.run([
      "render", "--environment", Self.counter, "--steps", "7", "--every", "3", "--out", strip,
    ])
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.output.contains("still running after 7 steps"), "\(outcome.output)")
    // Steps 0, 3, 6; 6×4 frames enlarged 14 times (84×56), one row of the default 10 columns.
    let decoded = try Self.decode(strip)
    #expect(decoded.width == 2 + 3 * 86 && decoded.height == 2 + 56 + 11 + 2)
    for (i, t) in [0, 3, 6].enumerated() {
      #expect(Self.colours(decoded, x: 2 + i * 86, y: 2, width: 84, height: 56) == [Self.counterColour(t)], "frame \(i)")
    }
    #expect(EpisodeStrip.automaticScale(width: 10, height: 10) == 8)
    #expect(EpisodeStrip.automaticScale(width: 160, height: 210) == 1)
    #expect(EpisodeStrip.frameFileName(step: 8) == "step-000008.png")
  }

  @Test("bad arguments are typed errors, before any worker starts; bench exits 64 for bad options")
  func badArgumentsAreTypedErrors() throws {
    // Native environments render through their Gymnasium twins (EpisodeRecordingTests).
    #expect(try EpisodeEnvironment.rendering("CartPole-v1") == ("gym:CartPole-v1", nil))
    let noVel = try EpisodeEnvironment.rendering("AcrobotNoVel-v1")
    #expect(noVel.name == "gym:Acrobot-v1" && noVel.keptComponents == [0, 1, 2, 3])
    #expect(try EpisodeEnvironment.rendering("atari:Pong") == ("atari:Pong", nil))
    #expect {
      try EpisodeRecorder.record(environment: "minatar:Pong", seed: 0, maximumSteps: 10, every: 1)
    } throws: { error in
      guard case BenchmarkError.unknownEnvironment(let name, _) = error else { return false }
      return name == "minatar:Pong"
    }
    for (steps, every, seed, field) in [(0, 1, 0, "--steps"), (10, 0, 0, "--every"), (10, 1, -1, "--seed")] {
      #expect {
        try EpisodeRecorder.record(environment: Self.counter, seed: seed, maximumSteps: steps, every: every)
      } throws: { error in
        guard case BenchmarkError.invalidOption(let name, _, _) = error else { return false }
        return name == field
      }
    }
    let strip = FakeResults.folder("render-bad").appendingPathComponent("strip.png").path
    let noEnvironment = try BenchBinary.run(["render", "--out", strip])
    #expect(noEnvironment.status == 64)
    #expect(noEnvironment.error.contains("--environment") && noEnvironment.error.contains("--run"), "\(noEnvironment.error)")
    for bad in [["--every", "0"], ["--steps", "0"], ["--columns", "0"], ["--scale", "65"], ["--seed", "-1"]] {
      let outcome = try BenchBinary.run(["render", "--environment", Self.counter, "--out", strip] + bad)
      #expect(outcome.status == 64, "\(bad): \(outcome.error)")
      #expect(outcome.error.contains(bad[0]), "\(bad): \(outcome.error)")
    }
    let jpeg = try BenchBinary.run(["render", "--environment", Self.counter, "--out", "strip.jpg"])
    #expect(jpeg.status == 64)
    #expect(!FileManager.default.fileExists(atPath: strip), "nothing written")
  }
}

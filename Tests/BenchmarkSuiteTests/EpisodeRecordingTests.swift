import BenchmarkSuite
import Foundation
import Plotting
import Testing

/// `bench run --save-model --record-episode` and `bench render --run/--model`, end to end through
/// the built executable (rendering starts bridge workers, which must not be this test process's
/// children; see ``EpisodeRenderTests``). Needs the project's Python environment
/// (`scripts/setup.sh`): the native CartPole renders through its twin `gym:CartPole-v1`.
@Suite("Recording a run's episode and rendering trained policies (the built executable)", .serialized)
struct EpisodeRecordingTests {
  init() throws { try BenchBinary.require() }

  static func decode(_ url: URL) throws -> Canvas { try Canvas(pngData: Array(try Data(contentsOf: url))) }

  /// Every file below `root`, relative to it.
  static func files(_ root: URL) throws -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: root.path)
    var found: [String] = []
    while let path = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        found.append(path)
      }
    }
    return found.sorted()
  }

  /// The number in `text` right before `marker` (`"11 frames of"` → 11).
  static func count(before marker: String, in text: String) -> Int? {
    guard let range = text.range(of: marker) else { return nil }
    return Int(text[..<range.lowerBound].split(separator: " ").last ?? "")
  }

  /// `bench run` of one entry of `suite` (seed 0, no evaluation) with `--save-model
  /// --record-episode`, expected to succeed: its run folder.
  static func trainAndRecord(
    suite: String, environment: String, timesteps: Int, episodeSteps: Int, every: Int, results: URL
  ) throws -> URL {
    let run = try BenchBinary.run([
      "run", "--suite", suite, "--environments", environment, "--algorithms", "a2c", "--seeds", "1",
      "--timesteps", "\(timesteps)", "--evaluation-timesteps", "0", "--results", results.path, "--save-model",
      "--record-episode", "--episode-steps", "\(episodeSteps)", "--episode-every", "\(every)",
    ])
    try #require(run.status == 0, "\(run.error)")
    return results.appendingPathComponent("runs/\(suite)/\(environment)/a2c/seed-0")
  }

  @Test("--save-model --record-episode (with --jobs 2) leave every other file byte-identical; render --run draws the run's episode.png again through gym:CartPole-v1")
  func smokeRunArtifacts() throws {
    let plain = FakeResults.folder("record-plain")
    let recorded = FakeResults.folder("record-artifacts")
    let grid = ["run", "--suite", "smoke", "--seeds", "1", "--timesteps", "2000", "--evaluation-timesteps", "200"]
    let a = try BenchBinary.run(grid + ["--results", plain.path])
    #expect(a.status == 0, "\(a.error)")
    let b = try BenchBinary.run(
      grid + [
        "--results", recorded.path, "--jobs", "2", "--save-model", "--record-episode", "--episode-steps", "60",
        "--episode-every", "6",
      ])
    #expect(b.status == 0, "\(b.error)")
    #expect(b.output.contains("3 runs completed"), "\(b.output)")

    let plainFiles = try Self.files(plain.appendingPathComponent("runs"))
    let recordedFiles = try Self.files(recorded.appendingPathComponent("runs"))
    let runs = ["a2c", "acktr", "acer"].map { "smoke/CartPole-v1/\($0)/seed-0" }
    let artifacts = runs.flatMap { run in ["model.acbm", "episode.png"].map { "\(run)/\($0)" } }
    #expect(recordedFiles == (plainFiles + artifacts).sorted())
    for file in plainFiles where !file.hasSuffix("timing.json") {
      let x = try Data(contentsOf: plain.appendingPathComponent("runs/" + file))
      let y = try Data(contentsOf: recorded.appendingPathComponent("runs/" + file))
      #expect(x == y, "\(file) differs with --save-model --record-episode")
    }
    for run in runs {
      let folder = recorded.appendingPathComponent("runs/" + run)
      let timing = try JSONCoding.decoder.decode(RunTiming.self, from: Data(contentsOf: folder.appendingPathComponent("timing.json")))
      #expect((timing.episodeRecordingSeconds ?? -1) > 0 && (timing.modelSavingSeconds ?? -1) > 0, "\(run)")
      let strip = try Self.decode(folder.appendingPathComponent("episode.png"))
      // CartPole's 600×400 drawing, steps 0, 6, …: up to 11 frames, 10 per row, 2-pixel gaps,
      // 11-pixel captions.
      #expect((strip.width - 2) % 602 == 0, "\(run): \(strip.width)")
      #expect((strip.height - 2) % (400 + 11 + 2) == 0, "\(run): \(strip.height)")

      let again = FakeResults.folder("record-again").appendingPathComponent("\(run.split(separator: "/")[2]).png")
      let render = try BenchBinary.run([
        "render", "--run", folder.path, "--steps", "60", "--every", "6", "--out", again.path,
      ])
      #expect(render.status == 0, "\(render.error)")
      #expect(render.output.contains("CartPole-v1 (rendered as gym:CartPole-v1)"), "\(render.output)")
      #expect(render.output.contains("model \(folder.path)/model.acbm ("), "\(render.output)")
      #expect(render.output.contains(" steps trained; stochastic)"), "\(render.output)")
      let frames = Self.count(before: " frames of 600×400", in: render.output) ?? 0
      #expect(frames >= 1 && frames <= 11, "\(render.output)")
      #expect(strip.width == 2 + min(frames, 10) * 602)
      #expect(
        try Data(contentsOf: again) == Data(contentsOf: folder.appendingPathComponent("episode.png")),
        "\(run): render --run draws another episode than the run recorded")
    }
    // Asking again finds the runs complete and says which lack the artifacts.
    let note = try BenchBinary.run(grid + ["--results", plain.path, "--save-model"])
    #expect(note.status == 0)
    #expect(note.error.contains("3 complete run(s) lack model.acbm"), "\(note.error)")
  }

  @Test("A MinAtar Breakout A2C model plays its own episode, not the random policy's; the strip has MinAtar's enlarged frames")
  func minAtarTrainedPolicy() throws {
    let folder = try Self.trainAndRecord(
      suite: "minatar", environment: "minatar:Breakout", timesteps: 4000, episodeSteps: 100, every: 10,
      results: FakeResults.folder("record-minatar"))
    let strip = try Self.decode(folder.appendingPathComponent("episode.png"))
    // 10×10 frames enlarged 8 times: cells of 80 + 2 pixels.
    #expect((strip.width - 2) % 82 == 0 && (strip.height - 2) % (80 + 11 + 2) == 0, "\(strip.width)×\(strip.height)")

    let out = FakeResults.folder("record-minatar-render")
    let trained = out.appendingPathComponent("trained.png")
    let random = out.appendingPathComponent("random.png")
    let common = ["--environment", "minatar:Breakout", "--seed", "7", "--steps", "100", "--every", "10"]
    let t = try BenchBinary.run(["render", "--model", folder.appendingPathComponent("model.acbm").path, "--out", trained.path] + common)
    #expect(t.status == 0, "\(t.error)")
    #expect(t.output.contains("a2c model") && t.output.contains("4000 steps trained; stochastic"), "\(t.output)")
    let r = try BenchBinary.run(["render", "--out", random.path] + common)
    #expect(r.status == 0, "\(r.error)")
    #expect(r.output.contains("uniformly random policy"), "\(r.output)")
    // Same environment seed, same first frame; the policies then play different games.
    #expect(try Data(contentsOf: trained) != Data(contentsOf: random))
    let first = { (canvas: Canvas) in (2..<82).flatMap { y in (2..<82).map { canvas.pixel(x: $0, y: y) } } }
    #expect(first(try Self.decode(trained)) == first(try Self.decode(random)), "the same reset state")
  }

  @Test("A recurrent, normalised CartPoleNoVel-v1 model renders the full twin and replays its strip; mismatched spaces are a typed error naming both")
  func partiallyObservableAndMismatch() throws {
    let folder = try Self.trainAndRecord(
      suite: "pomdp", environment: "CartPoleNoVel-v1", timesteps: 800, episodeSteps: 40, every: 10,
      results: FakeResults.folder("record-pomdp"))
    let again = FakeResults.folder("record-pomdp-render").appendingPathComponent("again.png")
    let render = try BenchBinary.run(["render", "--run", folder.path, "--steps", "40", "--every", "10", "--out", again.path])
    #expect(render.status == 0, "\(render.error)")
    #expect(render.output.contains("CartPoleNoVel-v1 (rendered as gym:CartPole-v1)"), "\(render.output)")
    #expect(try Data(contentsOf: again) == Data(contentsOf: folder.appendingPathComponent("episode.png")))

    // The NoVel model (2 observations) on the full CartPole (4): refused, both spaces named.
    let model = folder.appendingPathComponent("model.acbm").path
    let mismatch = try BenchBinary.run(["render", "--model", model, "--environment", "gym:CartPole-v1", "--out", again.path])
    #expect(mismatch.status == 1)
    #expect(mismatch.error.contains("does not fit gym:CartPole-v1"), "\(mismatch.error)")
    #expect(mismatch.error.contains("observation space is Box(") && mismatch.error.contains("(2,), float32)"), "\(mismatch.error)")
    #expect(mismatch.error.contains("(4,), float32)"), "\(mismatch.error)")
    let actions = try BenchBinary.run(["render", "--model", model, "--environment", "gym:MountainCarContinuous-v0", "--out", again.path])
    #expect(actions.status == 1)
    #expect(actions.error.contains("does not fit"), "\(actions.error)")

    // A run folder without a model says how to get one.
    let bare = FakeResults.folder("record-bare")
    let plainRun = try BenchBinary.run([
      "run", "--suite", "smoke", "--algorithms", "a2c", "--seeds", "1", "--timesteps", "400", "--evaluation-timesteps", "0",
      "--results", bare.path,
    ])
    #expect(plainRun.status == 0, "\(plainRun.error)")
    let none = try BenchBinary.run([
      "render", "--run", bare.appendingPathComponent("runs/smoke/CartPole-v1/a2c/seed-0").path, "--out", again.path,
    ])
    #expect(none.status == 1)
    #expect(none.error.contains("without --save-model"), "\(none.error)")
  }

  @Test("Without the Python environment, a native environment's render and --record-episode say what to do, before training")
  func missingPython() throws {
    // A package root with the worker program but no .venv.
    let root = FakeResults.folder("no-venv-root")
    let worker = root.appendingPathComponent("Python/worker")
    try FileManager.default.createDirectory(at: worker, withIntermediateDirectories: true)
    try Data().write(to: worker.appendingPathComponent("acb_worker.py"))
    let environment: [String: String?] = ["ACB_PACKAGE_ROOT": root.path, "ACB_PYTHON": nil]
    let out = root.appendingPathComponent("strip.png").path
    let render = try BenchBinary.run(["render", "--environment", "CartPole-v1", "--out", out], environment: environment)
    #expect(render.status == 1)
    #expect(render.error.contains("renders through its Gymnasium twin gym:CartPole-v1"), "\(render.error)")
    #expect(render.error.contains("scripts/setup.sh"), "\(render.error)")
    let results = root.appendingPathComponent("results")
    let run = try BenchBinary.run(
      ["run", "--suite", "smoke", "--seeds", "1", "--record-episode", "--results", results.path], environment: environment)
    #expect(run.status == 1)
    #expect(run.error.contains("cannot render CartPole-v1") && run.error.contains("scripts/setup.sh"), "\(run.error)")
    #expect(!FileManager.default.fileExists(atPath: results.appendingPathComponent("runs").path), "nothing trained")
    for bad in [["--deterministic"], ["--episode-steps", "0"]] {
      let command = bad[0] == "--deterministic"
        ? ["render", "--environment", "CartPole-v1", "--out", out] + bad
        : ["run", "--suite", "smoke", "--record-episode", "--results", results.path] + bad
      let outcome = try BenchBinary.run(command)
      #expect(outcome.status == 64, "\(bad): \(outcome.error)")
      #expect(outcome.error.contains(bad[0]), "\(bad): \(outcome.error)")
    }
  }
}

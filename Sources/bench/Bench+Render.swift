import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench render`: one episode of a bridged environment as a PNG strip (and, optionally, one
  /// PNG per frame).
  struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Render one episode of a Gymnasium bridge environment to a PNG strip.",
      discussion: """
        Plays one episode of --environment with a uniformly random policy (seeded by --seed) for \
        at most --steps steps and writes every --every-th frame (rgb_array, as the environment \
        renders it; for Atari the full game screen) in a grid of --columns frames per row, each \
        captioned with its step, to --out (small frames enlarged, see --scale). --frames DIR \
        also writes each of those frames to DIR/step-<t>.png. bench run saves no model, so the \
        policy is the random one. Frames show steps 0, every, 2·every, … of the first episode, \
        up to its last state before it ended (the Monitor's episode: for Atari, the whole game). \
        Needs the project's Python environment (scripts/setup.sh); the native environments have \
        no renderer (use gym:CartPole-v1 for Gymnasium's own drawing).
        """)

    @Option(help: "A Gymnasium bridge environment: gym:<id>, atari:<Game>, minatar:<Game>.")
    var environment: String

    @Option(help: "At most this many steps (\(RunLimits.describe(EpisodeRecorder.stepRange))).")
    var steps: Int = 400

    @Option(help: "Render every n-th step (\(RunLimits.describe(EpisodeRecorder.stepRange))).")
    var every: Int = 8

    @Option(help: "Frames per row of the strip (1…1,024).")
    var columns: Int = 10

    @Option(help: "Enlarge frames this many times (1…64; default: enough for 80 pixels, so MinAtar's 10×10 → 8).")
    var scale: Int?

    @Option(help: "Seed of the environment and of the random policy (\(RunLimits.describe(RunLimits.seed))).")
    var seed: Int = 0

    @Option(help: "The PNG strip to write.")
    var out: String

    @Option(help: "Also write every rendered frame to this folder as step-<t>.png.")
    var frames: String?

    func validate() throws {
      try checkRange(steps, "--steps", EpisodeRecorder.stepRange)
      try checkRange(every, "--every", EpisodeRecorder.stepRange)
      try checkRange(columns, "--columns", 1...1024)
      if let scale { try checkRange(scale, "--scale", 1...64) }
      try checkRange(seed, "--seed", RunLimits.seed)
      guard out.lowercased().hasSuffix(".png") else {
        throw ValidationError("Please give --out a file name ending in .png (got \(out)).")
      }
    }

    func run() throws {
      let clock = ContinuousClock()
      let start = clock.now
      let episode = try EpisodeRecorder.record(environment: environment, seed: seed, maximumSteps: steps, every: every)
      let written = try EpisodeStrip.write(episode, columns: columns, scale: scale, to: out, framesFolder: frames)
      let elapsed = clock.now - start
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      let ending = episode.episodeReturn.map { "ended after \(episode.length) steps, return \($0)" }
        ?? "still running after \(episode.length) steps"
      print(
        "\(environment), seed \(seed): \(episode.frames.count) frames of \(episode.frames[0].width)×\(episode.frames[0].height) "
          + "(every \(every) steps); episode \(ending); \(String(format: "%.1f", seconds)) s")
      for path in written.prefix(1) { print(path) }
      if let frames { print("\(written.count - 1) frames in \(frames)/") }
    }
  }
}

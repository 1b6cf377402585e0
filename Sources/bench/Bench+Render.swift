import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench render`: one episode of a bridged environment as a PNG strip (and, optionally, one
  /// PNG per frame).
  struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Render one episode of an environment, played by a trained or a random policy, to a PNG strip.",
      discussion: """
        Plays one episode for at most --steps steps and writes every --every-th frame (rgb_array, \
        as the environment renders it; for Atari the full game screen) in a grid of --columns \
        frames per row, each captioned with its step, to --out (small frames enlarged, see \
        --scale). --frames DIR also writes each of those frames to DIR/step-<t>.png. Frames show \
        steps 0, every, 2·every, … of the first episode, up to its last state before it ended \
        (the Monitor's episode: for Atari, the whole game).

        The policy: --model FILE (a model saved by bench run --save-model or the library's \
        save(to:)), or --run FOLDER, a run folder (results/runs/<suite>/<env>/<algorithm>/seed-<n>) \
        whose model.acbm plays on the run's own environment; without either, a uniformly random \
        policy. A trained policy samples its action distribution by default — stable-baselines' \
        predict default, and how the evaluation in summary.json played it — so the strip shows \
        the policy that was scored; --deterministic takes the most likely action (Box: the mean). \
        Recurrent policies carry their LSTM state through the episode; a model trained with \
        normalisation sees observations normalised with its saved statistics. The environment \
        must have the model's observation and action spaces (an error names both otherwise).

        --seed s seeds the environment and the policy with SeedSequence(s) (default 0); with \
        --run and no --seed, the run's own episode seeds are used, so the strip is the run's \
        episode.png (bench run --record-episode) drawn again.

        Needs the project's Python environment (scripts/setup.sh). Bridged environments render \
        themselves; the native environments have no renderer and render through their Gymnasium \
        twin (CartPole-v1 as gym:CartPole-v1, identical dynamics); the partially observable \
        CartPoleNoVel-v1 and AcrobotNoVel-v1 render the full twin while the policy sees only \
        the components it was trained on.
        """)

    @Option(help: "The environment: a bridged name (gym:<id>, atari:<Game>, minatar:<Game>) or a native id (rendered through its twin); default with --run: the run's.")
    var environment: String?

    @Option(help: "A saved model (.acbm) whose policy plays (default: the --run folder's model.acbm, else a random policy).")
    var model: String?

    @Option(
      name: .customLong("run"),
      help: "A run folder (runs/<suite>/<env>/<algorithm>/seed-<n>): its environment, its model.acbm and its episode seeds.")
    var runFolder: String?

    @Flag(help: "The trained policy's most likely action (Box: the mean) instead of a sample (the default, as evaluated).")
    var deterministic = false

    @Option(help: "At most this many steps (\(RunLimits.describe(EpisodeRecorder.stepRange))).")
    var steps: Int = 400

    @Option(help: "Render every n-th step (\(RunLimits.describe(EpisodeRecorder.stepRange))).")
    var every: Int = 8

    @Option(help: "Frames per row of the strip (1…1,024).")
    var columns: Int = 10

    @Option(help: "Enlarge frames this many times (1…64; default: enough for 80 pixels, so MinAtar's 10×10 → 8).")
    var scale: Int?

    @Option(help: "Seed of the environment and of the policy's sampling (\(RunLimits.describe(RunLimits.seed))); default 0, with --run the run's episode seeds.")
    var seed: Int?

    @Option(help: "The PNG strip to write.")
    var out: String

    @Option(help: "Also write every rendered frame to this folder as step-<t>.png.")
    var frames: String?

    func validate() throws {
      try checkRange(steps, "--steps", EpisodeRecorder.stepRange)
      try checkRange(every, "--every", EpisodeRecorder.stepRange)
      try checkRange(columns, "--columns", 1...1024)
      if let scale { try checkRange(scale, "--scale", 1...64) }
      if let seed { try checkRange(seed, "--seed", RunLimits.seed) }
      if environment == nil && runFolder == nil {
        throw ValidationError("Please give --environment, or --run <run folder> to play the run's environment.")
      }
      if deterministic && model == nil && runFolder == nil {
        throw ValidationError("--deterministic needs a trained policy: give --model or --run.")
      }
      guard out.lowercased().hasSuffix(".png") else {
        throw ValidationError("Please give --out a file name ending in .png (got \(out)).")
      }
    }

    func run() throws {
      let clock = ContinuousClock()
      let start = clock.now
      let selection = try RenderSelection.resolve(
        environment: environment, model: model, run: runFolder, seed: seed, deterministic: deterministic)
      let episode = try EpisodeRecorder.record(
        environment: selection.environment, seeds: selection.seeds, actor: selection.actor,
        normalization: selection.normalization, maximumSteps: steps, every: every)
      let written = try EpisodeStrip.write(episode, columns: columns, scale: scale, to: out, framesFolder: frames)
      let elapsed = clock.now - start
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      let ending = episode.episodeReturn.map { "ended after \(episode.length) steps, return \($0)" }
        ?? "still running after \(episode.length) steps"
      let rendered = try EpisodeEnvironment.rendering(selection.environment).name
      let via = rendered == selection.environment ? "" : " (rendered as \(rendered))"
      print(
        "\(selection.environment)\(via), seeds SeedSequence(\(episode.seed)), \(selection.policyDescription): "
          + "\(episode.frames.count) frames of \(episode.frames[0].width)×\(episode.frames[0].height) "
          + "(every \(every) steps); episode \(ending); \(String(format: "%.1f", seconds)) s")
      for path in written.prefix(1) { print(path) }
      if let frames { print("\(written.count - 1) frames in \(frames)/") }
    }
  }
}

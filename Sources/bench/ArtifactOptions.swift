import ArgumentParser
import BenchmarkSuite

/// The files a run writes only on request, shared by `bench run` and `bench run-one` (which
/// receives them from `bench run --jobs N` as ``RunArtifacts/arguments``).
struct ArtifactOptions: ParsableArguments {
  @Flag(help: "Also write each run's final model to its folder as model.acbm (the library's model file; bench render --run/--model plays it).")
  var saveModel = false

  @Flag(
    help: ArgumentHelp(
      "Also write episode.png to each run folder: one episode of the final policy (stochastic, as evaluated) on its own "
        + "environment copy, as bench render draws it. Needs the project's Python environment (scripts/setup.sh): the "
        + "native environments render through their Gymnasium twins (CartPole-v1 as gym:CartPole-v1)."))
  var recordEpisode = false

  @Option(help: "With --record-episode: at most this many steps (\(RunLimits.describe(EpisodeRecorder.stepRange))).")
  var episodeSteps: Int = RunArtifacts.EpisodeSettings().steps

  @Option(help: "With --record-episode: a frame every n-th step (\(RunLimits.describe(EpisodeRecorder.stepRange))).")
  var episodeEvery: Int = RunArtifacts.EpisodeSettings().every

  func validate() throws {
    try checkRange(episodeSteps, "--episode-steps", EpisodeRecorder.stepRange)
    try checkRange(episodeEvery, "--episode-every", EpisodeRecorder.stepRange)
  }

  var artifacts: RunArtifacts {
    RunArtifacts(
      saveModel: saveModel,
      episode: recordEpisode ? RunArtifacts.EpisodeSettings(steps: episodeSteps, every: episodeEvery) : nil)
  }
}

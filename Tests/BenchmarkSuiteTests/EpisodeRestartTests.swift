import ActorCritic
import Environments
import Foundation
import Randomness
import Testing
import _TestSupport

@testable import BenchmarkSuite

/// A run whose environment cannot capture its simulator state resumes with restarted episodes,
/// and says so: the restart is recorded (for `summary.json`'s `episodeRestarts`), never silent.
@Suite struct EpisodeRestartTests {
  static func model() throws -> A2C {
    let env = try VectorEnvironment(environments: (0..<4).map { _ in UncapturableEnvironment(CartPole()) }, seeds: SeedSequence(runSeed: 8))
    return try A2C(environment: env, configuration: A2CConfiguration(), seed: 8)
  }

  @Test func resumeRecordsTheRestartAndTrainingFinishes() throws {
    let run = RunSpec(suite: "smoke", entry: FakeResults.entry("CartPole-v1", .a2c, timesteps: 2_000), seed: 8)
    let first = try Self.model()
    var captured: ModelCheckpoint?
    let recorder = CurveRecorder(totalTimesteps: 2_000)
    let stop = ClosureCallback(onUpdate: { context in
      guard context.updates == 20 else { return true }
      captured = try? first.captureCheckpoint(updates: context.updates, totalTimesteps: context.totalTimesteps)
      return false
    })
    try first.learn(totalTimesteps: 2_000, callback: CallbackList([recorder, stop]), logInterval: 100, resetNumTimesteps: true)
    let model = try #require(captured)
    guard case .restartsEpisodes(let reason) = model.environmentFidelity else {
      Issue.record("an environment without state capture must not produce an exact checkpoint")
      return
    }
    let checkpoint = RunCheckpoint(
      header: RunCheckpoint.Header(
        run: run, build: RunCheckpoint.currentBuild, updates: 20, timesteps: first.timesteps, totalTimesteps: 2_000,
        trainingComplete: false, environmentExact: false, episodeRestarts: [], trainingSeconds: 0, payloadBytes: 0),
      model: model.bytes, curve: recorder.captureState())
    let decoded = try RunCheckpoint.decode(try checkpoint.encoded())

    let resumed = try Self.model()
    let outcome = try RunExecutor.restore(decoded, into: resumed, recorder: CurveRecorder(totalTimesteps: 2_000), run: run)
    #expect(outcome.restartReason == reason)
    #expect(outcome.restarts == [EpisodeRestart(timesteps: 400, update: 20, reason: reason)])  // 20 updates × 4 envs × n_steps 5
    let finishedBefore = resumed.episodes.count
    try resumed.learn(totalTimesteps: 2_000)
    #expect(resumed.timesteps == 2_000)
    #expect(resumed.episodes.count > finishedBefore)
  }
}

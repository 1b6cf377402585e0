import ActorCritic
import Environments
import Foundation
import LinearAlgebra
import Randomness
import Testing

/// A fresh, reset CartPole-v1 vector environment.
private func acerCartPole(count: Int = 8, seed: UInt64) throws -> VectorEnvironment {
  let env = try VectorEnvironment(id: "CartPole-v1", count: count, seeds: SeedSequence(runSeed: seed))
  return env
}

@Suite struct ACERTrainingTests {
  /// ACER is Discrete-only (SB2 raises NotImplementedError for Box, ValueError otherwise).
  @Test(arguments: [
    Space.box(low: [-1, -1], high: [1, 1]), Space.multiDiscrete(nvec: [2, 3]), Space.multiBinary(n: 4),
  ])
  func nonDiscreteActionSpacesAreRejectedByName(space: Space) {
    let observations = Space.box(low: [-1, -1, -1], high: [1, 1, 1])
    #expect(
      throws: ConfigurationError.unsupportedActionSpace(
        algorithm: "ACER", space: "\(space)", supported: "Discrete")
    ) {
      _ = try ACER(environment: nil, observationSpace: observations, actionSpace: space)
    }
    do {
      _ = try ACER.make(
        configurationJSON: try JSONEncoder().encode(ACERConfiguration()), observationSpace: observations,
        actionSpace: space, seed: 0)
      Issue.record("ACER accepted \(space)")
    } catch {
      #expect("\(error)" == "ACER does not support the action space \(space); supported: Discrete")
    }
  }

  /// The same seed twice gives bit-identical parameters, average policy, optimiser state and
  /// metrics, including the Poisson replay counts.
  @Test func sameSeedTwiceIsBitIdentical() throws {
    var configuration = ACERConfiguration()
    configuration.replayStart = 100
    func run() throws -> (ACER, [UpdateMetrics]) {
      let model = try ACER(environment: try acerCartPole(seed: 3), configuration: configuration, seed: 3)
      try model.learn(totalTimesteps: 4_000)
      let history = model.history.map { m -> UpdateMetrics in
        var m = m
        m.stepsPerSecond = 0
        return m
      }
      return (model, history)
    }
    let (a, historyA) = try run()
    let (b, historyB) = try run()
    #expect(a.policy.network.parameters.flattenedValues == b.policy.network.parameters.flattenedValues)
    #expect(a.averagePolicy.state == b.averagePolicy.state)
    #expect(try a.optimizerState() == b.optimizerState())
    #expect(historyA == historyB)
    // 25 iterations; replay from the 5th rollout on (100 // 20 = 5), Poisson(4) steps each.
    let replays = historyA.compactMap { $0.extras["replay_updates"] }
    #expect(replays.count == 25)
    #expect(replays.prefix(4).allSatisfy { $0 == 0 })
    #expect(replays.reduce(0, +) > 40 && Set(replays.dropFirst(4)).count > 2)
    #expect(a.timesteps == 4_000)
  }

  /// ⌈total / (E·T)⌉ iterations as SB2's `range(0, total, n_batch)`; the lr is stepped by
  /// num_timesteps including the current rollout, and the average policy moves with every step.
  @Test func iterationCountLearningRateAndAverageFollowStableBaselines() throws {
    var configuration = ACERConfiguration()
    configuration.replayRatio = 0
    let model = try ACER(
      environment: try acerCartPole(count: 2, seed: 1), configuration: configuration, seed: 1)
    let before = model.averagePolicy.state
    #expect(before == ACERAveragePolicy.policyPath(of: model.policy.network).map(\.value.elements))
    try model.learn(totalTimesteps: 100)
    #expect(model.history.count == 3 && model.timesteps == 120)
    let lrs = model.history.map(\.learningRate)
    let expected = [40.0, 80, 120].map { 7e-4 * (1 - $0 / 100) }
    #expect(zip(lrs, expected).allSatisfy { abs($0 - $1) < 1e-15 })
    #expect(model.replayBuffer == nil)
    #expect(model.averagePolicy.state != before)
  }

  /// Saving and loading keeps the parameters, the RMSProp slots and the average policy, so the
  /// loaded model's next step is bit-identical to the original's.
  @Test func saveAndLoadResumeExactly() throws {
    var configuration = ACERConfiguration()
    configuration.replayStart = 40
    let model = try ACER(
      environment: try acerCartPole(count: 4, seed: 9), configuration: configuration, seed: 9)
    try model.learn(totalTimesteps: 1_600)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("acer-\(UUID().uuidString).acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    let loaded = try ACER.load(from: url, environment: try acerCartPole(count: 4, seed: 9))
    #expect(loaded.configuration == configuration)
    #expect(
      loaded.policy.network.parameters.flattenedValues == model.policy.network.parameters.flattenedValues)
    #expect(loaded.averagePolicy.state == model.averagePolicy.state)
    #expect(try loaded.optimizerState() == model.optimizerState())
    // One more step on the same batch in both.
    let batch = try #require(model.lastRollout)
    _ = model.trainStep(batch, learningRate: 3e-4)
    _ = loaded.trainStep(batch, learningRate: 3e-4)
    #expect(
      loaded.policy.network.parameters.flattenedValues == model.policy.network.parameters.flattenedValues)
    #expect(loaded.averagePolicy.state == model.averagePolicy.state)
  }

  /// A short CartPole-v1 run learns: the last 100 training episodes average clearly above a
  /// random policy's ~22 (rl-baselines-zoo settings: 8 envs, ent_coef 0).
  @Test func learnsCartPole() throws {
    var configuration = ACERConfiguration()
    configuration.entropyCoefficient = 0
    let model = try ACER(environment: try acerCartPole(seed: 0), configuration: configuration, seed: 0)
    try model.learn(totalTimesteps: 300_000)
    let mean = model.state.episodes.meanReturn(last: 100)
    #expect(mean > 200, "mean return of the last 100 episodes: \(mean)")
  }
}

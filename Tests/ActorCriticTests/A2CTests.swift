import ActorCritic
import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing

@Suite struct A2CTests {
  static func cartPoleConfiguration() -> A2CConfiguration {
    var c = A2CConfiguration()
    c.entropyCoefficient = 0
    return c
  }

  @Test func sameSeedIsBitIdenticalDifferentSeedDiffers() throws {
    func train(seed: UInt64) throws -> A2C {
      let model = try A2C(environment: try cartPole(seed: seed), configuration: Self.cartPoleConfiguration(), seed: seed)
      try model.learn(totalTimesteps: 4_000)
      return model
    }
    let a = try train(seed: 3), b = try train(seed: 3), c = try train(seed: 4)
    #expect(a.parameters() == b.parameters())
    #expect(a.history.map(\.policyLoss) == b.history.map(\.policyLoss))
    #expect(a.episodes == b.episodes)
    #expect(a.parameters() != c.parameters())
    #expect(a.history.count == 4_000 / 40)
  }

  @Test func learnsCartPoleWellAboveRandom() throws {
    // Random play averages about 22; the zoo settings reach 500 in 5e5 steps. A short budget
    // must already give a clear improvement.
    let model = try A2C(environment: try cartPole(), configuration: Self.cartPoleConfiguration(), seed: 1)
    try model.learn(totalTimesteps: 100_000)
    let last = model.episodes.suffix(20).map(\.episodeReturn)
    #expect(last.reduce(0, +) / Double(last.count) > 100)
  }

  @Test(arguments: [
    Space.discrete(n: 2), .box(low: [-1], high: [1]), .multiDiscrete(nvec: [2, 3]), .multiBinary(n: 3),
  ])
  func learnsEveryActionSpace(actionSpace: Space) throws {
    var configuration = A2CConfiguration()
    configuration.learningRate = 3e-3
    configuration.entropyCoefficient = 0
    let model = try A2C(environment: try cueEnvironment(actionSpace), configuration: configuration, seed: 0)
    try model.learn(totalTimesteps: 30_000)
    let first = model.episodes.prefix(40).map(\.episodeReturn).reduce(0, +) / 40
    let last = model.episodes.suffix(40).map(\.episodeReturn).reduce(0, +) / 40
    // Each episode has 10 steps worth at most 1.
    #expect(last > first + 1.5, "\(actionSpace): first \(first), last \(last)")
    #expect(last > 8)
  }

  @Test func learningRateFollowsSB2PerSampleStepping() throws {
    var configuration = Self.cartPoleConfiguration()
    configuration.learningRateSchedule = .linear
    let model = try A2C(environment: try cartPole(), configuration: configuration, seed: 0)
    try model.learn(totalTimesteps: 400)
    for m in model.history {
      let expected = 7e-4 * (1 - Double(m.update * 40 - 1) / 400)
      #expect(abs(m.learningRate - expected) < 1e-15)
    }
  }

  @Test func callbackStopsTraining() throws {
    let model = try A2C(environment: try cartPole(), configuration: Self.cartPoleConfiguration(), seed: 0)
    var steps = 0
    try model.learn(
      totalTimesteps: 10_000,
      callback: ClosureCallback(onStep: { _ in steps += 1; return true }, onUpdate: { $0.updates < 3 }),
      logInterval: 100, resetNumTimesteps: true)
    #expect(model.history.count == 3)
    #expect(model.timesteps == 3 * 40)
    #expect(steps == 15)
  }

  @Test func invalidHyperparametersNameTheField() {
    var c = A2CConfiguration()
    c.stepsPerUpdate = 0
    #expect(throws: ConfigurationError.invalidValue(field: "n_steps", value: "0", allowed: "n_steps ≥ 1")) {
      try A2C(environment: nil, observationSpace: .box(low: [0], high: [1]), actionSpace: .discrete(n: 2), configuration: c)
    }
    c = A2CConfiguration()
    c.learningRate = -1
    do {
      _ = try A2C(environment: nil, observationSpace: .box(low: [0], high: [1]), actionSpace: .discrete(n: 2), configuration: c)
      Issue.record("a negative learning rate was accepted")
    } catch {
      #expect("\(error)" == "invalid learning_rate: -1.0 (allowed: learning_rate ≥ 0)")
    }
  }

  @Test func nonFiniteLossStopsTrainingAndKeepsTheLastGoodUpdate() throws {
    var c = Self.cartPoleConfiguration()
    c.learningRate = 1e30
    c.maxGradientNorm = 1e30
    let model = try A2C(environment: try cartPole(), configuration: c, seed: 0)
    // The parameters after every update that completed, starting with the initial ones.
    var snapshots = [model.parameters()]
    let record = ClosureCallback(onUpdate: { _ in snapshots.append(model.parameters()); return true })
    let error = #expect(throws: TrainingError.self) {
      try model.learn(totalTimesteps: 20_000, callback: record, logInterval: 100, resetNumTimesteps: true)
    }
    guard case .nonFinite(_, let update, let timesteps)? = error else {
      Issue.record("expected a non-finite-loss error, got \(String(describing: error))")
      return
    }
    // Training stopped at the first bad update: every earlier one is in the history, none after.
    #expect(model.history.count == update - 1)
    #expect(snapshots.count == update)
    #expect(timesteps == update * 40 && timesteps < 20_000)
    // What is left is the last good update's parameters, bit for bit, all finite.
    #expect(model.parameters() == snapshots.last!)
    #expect(model.parameters().allSatisfy { $0.values.allSatisfy(\.isFinite) })
  }

  @Test func predictAndActionProbabilityShapes() throws {
    let model = try A2C(environment: try cartPole(), configuration: Self.cartPoleConfiguration(), seed: 0)
    let observation: [Float] = [0.01, -0.02, 0.03, 0.04]
    let action = try model.predict(observation: observation, deterministic: true)
    #expect(action.count == 1 && (action[0] == 0 || action[0] == 1))
    let probabilities = try model.actionProbability(observation: observation + observation)
    #expect(probabilities.rows == 2 && probabilities.columns == 2)
    #expect(abs(probabilities.row(0).reduce(0, +) - 1) < 1e-6)
    #expect(throws: ConfigurationError.self) { try model.predict(observation: [1, 2, 3]) }
  }

  @Test func boxPredictionsAreClippedToTheBounds() throws {
    let env = try VectorEnvironment(id: "Pendulum-v1", count: 2, seeds: SeedSequence(runSeed: 0))
    let model = try A2C(environment: env, seed: 0)
    let logStd = model.policy.network.logStd!
    logStd.value.elements = [5]  // σ ≈ 148: samples far outside [−2, 2]
    for _ in 0..<50 {
      let a = try model.predict(observation: [1, 0, 0])
      #expect(a[0] >= -2 && a[0] <= 2)
    }
  }
}

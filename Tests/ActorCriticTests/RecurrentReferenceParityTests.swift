import Environments
import Foundation
import LinearAlgebra
import Testing

@testable import ActorCritic

/// Replays A2C, ACKTR and ACER updates of stable-baselines 2.10.2's recurrent policies
/// (`Tools/stable_baselines_reference.py fixture --policy lstm|lnlstm`: `MlpLstmPolicy`,
/// `MlpLnLstmPolicy` with `n_lstm` 32 on CartPole-v1) through our updates, with the recorded
/// initial state of each rollout and its masks, to the tolerances of the feed-forward parity tests.
@Suite struct RecurrentReferenceParityTests {
  static let environment = "CartPole-v1"

  /// The fixture, our architecture for it, and the unroll of one recorded update.
  static func load(_ algorithm: String, policy: String) throws -> (ReferenceFixture, NetworkArchitecture) {
    let fixture = try ReferenceFixture.load(algorithm, environment: "\(policy)-\(environment)")
    #expect(fixture.policy == policy)
    let units = try #require(fixture.lstmUnits)
    var architecture = policy == "MlpLnLstmPolicy" ? NetworkArchitecture.mlpLayerNormLSTM : .mlpLSTM
    architecture.recurrent?.units = units
    return (fixture, architecture)
  }

  static func sequence(_ record: ReferenceFixture.Update, steps: Int) throws -> RecurrentSequence {
    let states = try record.floats(\.states, "states")
    let masks = try record.floats(\.masks, "masks")
    let count = masks.count / steps
    return RecurrentSequence(
      initialState: Matrix(rows: count, columns: states.count / count, elements: states), masks: masks, steps: steps)
  }

  @Test(arguments: ["MlpLstmPolicy", "MlpLnLstmPolicy"])
  func a2cUpdatesMatchStableBaselines(policy: String) throws {
    let (fixture, architecture) = try Self.load("a2c", policy: policy)
    let env = try EnvironmentRegistry.make(Self.environment)
    var configuration = try A2CConfiguration(recordedIn: fixture)
    configuration.networkArchitecture = architecture
    let model = try A2C(
      environment: nil, observationSpace: env.observationSpace, actionSpace: env.actionSpace,
      configuration: configuration, seed: 0)
    try model.loadParameters(fixture.initialParameters)
    let initial = try fixture.initialValues
    #expect(fixture.updates.map(\.update) == Array(1...16))
    var resets = 0
    for record in fixture.updates {
      let batch = try record.batch(for: env)
      let sequence = try Self.sequence(record, steps: configuration.stepsPerUpdate)
      resets += sequence.masks.filter { $0 == 1 }.count
      let advantages = zip(batch.returns, batch.values).map { $0 - $1 }
      let metrics = model.applyUpdate(
        observations: batch.observations, actions: batch.actions, returns: batch.returns, advantages: advantages,
        rolloutValues: batch.values, learningRate: record.learningRate, update: record.update, sequence: sequence)
      #expect(
        isClose(metrics.policyLoss, try #require(record.policyLoss), relative: 1e-4, absolute: 1e-6),
        "update \(record.update)")
      #expect(isClose(metrics.valueLoss, try #require(record.valueLoss), relative: 1e-5), "update \(record.update)")
      #expect(isClose(metrics.entropy, record.entropy, relative: 1e-5), "update \(record.update)")
      try expectParametersMatch(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
    // The recording crosses episode ends, so states are reset inside unrolls, and it carries a
    // non-zero state into later rollouts.
    #expect(resets > 0)
    #expect(try Self.sequence(fixture.updates[5], steps: configuration.stepsPerUpdate).initialState.elements.contains { $0 != 0 })
  }

  /// ACKTR with `MlpLnLstmPolicy` is recorded with float64 eigendecompositions (`--eig-float64`;
  /// with SB2's float32 ones the parameters drift past 1e-3 from update 15). Its parameters meet
  /// the same 1e-3 (worst 0.30 of it, at update 16), but once K-FAC steps begin (update 10) its
  /// losses and `vFv` agree to 1e-3 rather than 1e-5…1e-4: the layer norms make the update
  /// sensitive (already in the cold phase, update 4 reaches 0.56 of the parameter tolerance, where
  /// `MlpLstmPolicy` stays below 0.03).
  @Test(arguments: ["MlpLstmPolicy", "MlpLnLstmPolicy"])
  func acktrUpdatesMatchStableBaselines(policy: String) throws {
    let normalized = policy == "MlpLnLstmPolicy"
    let (fixture, architecture) = try Self.load("acktr", policy: policy)
    let env = try EnvironmentRegistry.make(Self.environment)
    var configuration = try ACKTRConfiguration(recordedIn: fixture)
    configuration.networkArchitecture = architecture
    let model = try ACKTR(
      environment: nil, observationSpace: env.observationSpace, actionSpace: env.actionSpace,
      configuration: configuration, seed: 0)
    try model.loadParameters(fixture.initialParameters)
    let initial = try fixture.initialValues
    #expect(fixture.updates.map(\.update) == Array(1...16))
    for record in fixture.updates {
      let batch = try record.batch(for: env)
      let sequence = try Self.sequence(record, steps: configuration.stepsPerUpdate)
      let advantages = zip(batch.returns, batch.values).map { $0 - $1 }
      let noise = try record.floats(\.fisherNoise, "fisher_noise")
      let metrics = try model.applyUpdate(
        observations: batch.observations, actions: batch.actions, returns: batch.returns, advantages: advantages,
        fisherNoise: noise, rolloutValues: batch.values, learningRate: record.learningRate, update: record.update,
        sequence: sequence)
      let loose = normalized && record.update > 10
      #expect(
        isClose(metrics.policyLoss, try #require(record.policyLoss), relative: loose ? 1e-3 : 1e-4, absolute: 1e-6),
        "update \(record.update)")
      #expect(
        isClose(metrics.valueLoss, try #require(record.valueLoss), relative: loose ? 1e-3 : 1e-5), "update \(record.update)")
      #expect(isClose(metrics.entropy, record.entropy, relative: loose ? 1e-3 : 1e-5), "update \(record.update)")
      #expect(model.optimizer.coldStep == record.sgdStep, "update \(record.update)")
      #expect(model.optimizer.factorStep == record.factorStep, "update \(record.update)")
      if let factorStep = record.factorStep, factorStep > 0 {
        let vFv = try #require(metrics.extras["vFv"], "update \(record.update): no K-FAC step")
        #expect(isClose(vFv, try #require(record.vFv), relative: normalized ? 1e-3 : 1e-4), "update \(record.update)")
      }
      try expectParametersMatch(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
  }

  /// ACER with `MlpLstmPolicy`: SB2 unrolls every segment (`T+1` steps) from `initial_state`
  /// (zeros) with the recorded masks, for the train and the average model alike.
  @Test func acerTrainStepsMatchStableBaselines() throws {
    let (fixture, architecture) = try Self.load("acer", policy: "MlpLstmPolicy")
    let env = try EnvironmentRegistry.make(Self.environment)
    var configuration = try ACERConfiguration(recordedIn: fixture)
    configuration.networkArchitecture = architecture
    let model = try ACER(
      environment: nil, observationSpace: env.observationSpace, actionSpace: env.actionSpace,
      configuration: configuration, seed: 0)
    try model.loadParameters(fixture.initialParameters)
    model.averagePolicy.state = ACERAveragePolicy.policyPath(of: model.policy.network).map(\.value.elements)
    let initial = try fixture.initialValues
    #expect(fixture.updates.map(\.update) == Array(1...16))
    let steps = configuration.stepsPerUpdate
    let width = env.observationSpace.flatDimension
    var resets = 0
    for record in fixture.updates {
      let batch = try record.acerBatch(
        steps: steps, observationWidth: width, actionCount: 2, stateCount: model.policy.stateCount)
      resets += batch.masks.filter { $0 == 1 }.count
      let result = model.trainStep(batch, learningRate: record.learningRate)
      let terms = result.terms
      #expect(isClose(terms.qLoss, try #require(record.lossQ), relative: 1e-5), "update \(record.update)")
      #expect(
        isClose(terms.truncatedLoss, try #require(record.lossF), relative: 1e-4, absolute: 1e-6), "update \(record.update)")
      #expect(
        isClose(terms.biasCorrectionLoss, try #require(record.lossBC), relative: 1e-4, absolute: 1e-6),
        "update \(record.update)")
      try expectParametersMatch(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
    #expect(resets > 0)
  }
}

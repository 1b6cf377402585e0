import Environments
import Foundation
import Testing

@testable import ActorCritic

/// Replays A2C updates recorded from the reference implementation, stable-baselines 2.10.2
/// (`Tools/stable_baselines_reference.py fixture --algorithm a2c`), through our update and
/// compares the losses and the parameters after every update: the same forward pass, loss,
/// gradient, global-norm clip and TensorFlow RMSProp step (`ms` starting at 1, ε inside the root).
@Suite struct A2CReferenceParityTests {
  @Test(arguments: ["Pendulum-v1", "CartPole-v1"])
  func updatesMatchStableBaselines(environment id: String) throws {
    let fixture = try ReferenceFixture.load("a2c", environment: id)
    let env = try EnvironmentRegistry.make(id)
    let configuration = try A2CConfiguration(recordedIn: fixture)
    let model = try A2C(
      environment: nil, observationSpace: env.observationSpace, actionSpace: env.actionSpace,
      configuration: configuration, seed: 0)
    try model.loadParameters(fixture.initialParameters)
    let initial = try fixture.initialValues
    #expect(fixture.updates.map(\.update) == Array(1...16))

    for record in fixture.updates {
      let batch = try record.batch(for: env)
      let advantages = zip(batch.returns, batch.values).map { $0 - $1 }
      let metrics = model.applyUpdate(
        observations: batch.observations, actions: batch.actions, returns: batch.returns, advantages: advantages,
        rolloutValues: batch.values, learningRate: record.learningRate, update: record.update)

      #expect(
        isClose(metrics.policyLoss, try #require(record.policyLoss), relative: 1e-4, absolute: 1e-6),
        "update \(record.update)")
      #expect(isClose(metrics.valueLoss, try #require(record.valueLoss), relative: 1e-5), "update \(record.update)")
      #expect(isClose(metrics.entropy, record.entropy, relative: 1e-5), "update \(record.update)")
      try expectParametersMatch(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
  }
}

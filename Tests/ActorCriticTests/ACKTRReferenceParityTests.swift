import Environments
import Foundation
import Testing

@testable import ActorCritic

/// Replays ACKTR updates recorded from the reference implementation, stable-baselines 2.10.2
/// (`Tools/stable_baselines_reference.py fixture`), through our update and compares the
/// parameters after every update.
///
/// Each recorded update gives the batch stable-baselines fed its train op (observations, actions,
/// returns, rollout values), the learning rate, and the draws that replaced its in-graph
/// `tf.random_normal` for the sampled value Fisher; the reference started from the recorded
/// initial parameters. The updates cover the cold start (1–9), the two overlapping updates 10 and
/// 11 (cold and K-FAC steps) and K-FAC steps from 12 on.
@Suite struct ACKTRReferenceParityTests {
  @Test(arguments: ["Pendulum-v1", "CartPole-v1"])
  func updatesMatchStableBaselines(environment id: String) throws {
    let fixture = try ReferenceFixture.load("acktr", environment: id)
    let env = try EnvironmentRegistry.make(id)
    let configuration = try ACKTRConfiguration(recordedIn: fixture)
    let model = try ACKTR(
      environment: nil, observationSpace: env.observationSpace, actionSpace: env.actionSpace,
      configuration: configuration, seed: 0)
    try model.loadParameters(fixture.initialParameters)
    let initial = try fixture.initialValues
    #expect(fixture.updates.map(\.update) == Array(1...16))

    for record in fixture.updates {
      let batch = try record.batch(for: env)
      var advantages = zip(batch.returns, batch.values).map { $0 - $1 }
      if case .box = env.actionSpace { normalize(&advantages) }
      let noise = try record.floats(\.fisherNoise, "fisher_noise")
      let metrics = try model.applyUpdate(
        observations: batch.observations, actions: batch.actions, returns: batch.returns, advantages: advantages,
        fisherNoise: noise, rolloutValues: batch.values, learningRate: record.learningRate, update: record.update)

      // The losses are evaluated before the step, on the same parameters.
      #expect(
        isClose(metrics.policyLoss, try #require(record.policyLoss), relative: 1e-4, absolute: 1e-6),
        "update \(record.update)")
      #expect(isClose(metrics.valueLoss, try #require(record.valueLoss), relative: 1e-5), "update \(record.update)")
      #expect(isClose(metrics.entropy, record.entropy, relative: 1e-5), "update \(record.update)")

      // The optimiser's counters: cold steps 1–11, first decomposition and K-FAC step at update 10.
      #expect(model.optimizer.coldStep == record.sgdStep, "update \(record.update)")
      #expect(model.optimizer.statisticsStep == record.statsStep, "update \(record.update)")
      #expect(model.optimizer.factorStep == record.factorStep, "update \(record.update)")
      if let factorStep = record.factorStep, factorStep > 0 {
        let vFv = try #require(metrics.extras["vFv"], "update \(record.update): no K-FAC step")
        #expect(isClose(vFv, try #require(record.vFv), relative: 1e-4), "update \(record.update)")
      }

      // Every parameter's displacement from the start, to 1e-3 of the reference's.
      try expectParametersMatch(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
  }
}

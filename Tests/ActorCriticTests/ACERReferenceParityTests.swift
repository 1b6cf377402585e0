import Environments
import Foundation
import Testing

@testable import ActorCritic

/// Replays ACER train steps recorded from the reference implementation, stable-baselines 2.10.2
/// (`Tools/stable_baselines_reference.py fixture --algorithm acer`), through ``ACER/trainStep(_:learningRate:)``
/// and compares the loss terms and the parameters after every step: ρ, Retrace, the truncated
/// and bias-correction terms, the Q loss, the gradient through the network, the global-norm clip
/// and TensorFlow RMSProp.
///
/// Not covered here: in these sixteen early CartPole updates the trust-region projection never
/// binds (`k·g ≤ δ` in every row, even for δ down to 1e-5), so neither the projection nor the
/// average network it reads changes the step; `ACERRetraceAndTrustRegionTests` covers both.
@Suite struct ACERReferenceParityTests {
  @Test func trainStepsMatchStableBaselines() throws {
    let fixture = try ReferenceFixture.load("acer", environment: "CartPole-v1")
    let env = try EnvironmentRegistry.make("CartPole-v1")
    let configuration = try ACERConfiguration(recordedIn: fixture)
    let model = try ACER(
      environment: nil, observationSpace: env.observationSpace, actionSpace: env.actionSpace,
      configuration: configuration, seed: 0)
    try model.loadParameters(fixture.initialParameters)
    // The reference's average network starts from the same initial parameters.
    model.averagePolicy.state = ACERAveragePolicy.policyPath(of: model.policy.network).map(\.value.elements)
    let initial = try fixture.initialValues
    #expect(fixture.updates.map(\.update) == Array(1...16))

    let steps = configuration.stepsPerUpdate
    let width = env.observationSpace.flatDimension
    for record in fixture.updates {
      let batch = try record.acerBatch(steps: steps, observationWidth: width, actionCount: 2)
      let result = model.trainStep(batch, learningRate: record.learningRate)

      let terms = result.terms
      #expect(isClose(terms.qLoss, try #require(record.lossQ), relative: 1e-5), "update \(record.update)")
      #expect(isClose(terms.truncatedLoss, try #require(record.lossF), relative: 1e-4, absolute: 1e-6), "update \(record.update)")
      #expect(
        isClose(terms.biasCorrectionLoss, try #require(record.lossBC), relative: 1e-4, absolute: 1e-6),
        "update \(record.update)")
      // SB2 logs Σ H over all E·(T+1) rows; our metric is the mean over the E·T training rows.
      // Under the trust region it enters nothing (``ACERConfiguration/EntropyVariant``); the
      // parameters below cover every term that does.
      #expect(record.entropy > 0 && terms.entropy > 0)
      try expectParametersMatch(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
  }
}

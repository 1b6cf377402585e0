import Environments
import LinearAlgebra
import NeuralNetwork
import Testing

@testable import ActorCritic

/// A2C's update on a CNN policy reuses the feature extractor's activations of the rollout
/// (`OnPolicyDriver+RolloutActivations.swift`).
@Suite struct A2CRolloutActivationTests {
  private func cnnModel(reuse: Bool, seed: UInt64 = 4) throws -> A2C {
    var c = A2CConfiguration()
    c.networkArchitecture = tinyCNN
    c.learningRate = 2e-3
    let model = try A2C(environment: try cueImages(count: 4, seed: 1), configuration: c, seed: seed)
    model.reusesRolloutActivations = reuse
    return model
  }

  /// Every update of a CNN policy installs the recorded rollout; with reuse off nothing is recorded.
  @Test func cnnUpdatesInstallTheRecordedRollout() throws {
    let model = try cnnModel(reuse: true)
    try model.learn(totalTimesteps: 200)  // 10 updates of 4 × 5 steps
    #expect(model.rolloutActivations?.installCount == 10)
    let recomputing = try cnnModel(reuse: false)
    try recomputing.learn(totalTimesteps: 200)
    #expect(recomputing.rolloutActivations == nil)
  }

  /// Reusing the activations trains the network that recomputing them trains, to float rounding:
  /// after 10 updates every parameter agrees to 1e-4 of how far training moved it.
  @Test func reusedActivationsTrainLikeRecomputedOnes() throws {
    let initial = try cnnModel(reuse: true).policy.network.parameters.flattenedValues
    let reused = try cnnModel(reuse: true), recomputed = try cnnModel(reuse: false)
    try reused.learn(totalTimesteps: 200)
    try recomputed.learn(totalTimesteps: 200)
    let a = reused.policy.network.parameters.flattenedValues
    let b = recomputed.policy.network.parameters.flattenedValues
    let moved = zip(b, initial).map { abs($0 - $1) }.max()!
    let difference = zip(a, b).map { abs($0 - $1) }.max()!
    #expect(moved > 1e-3)
    #expect(difference <= 1e-4 * moved, "max |Δθ| \(difference), training moved \(moved)")
    #expect(reused.episodes.map(\.episodeReturn) == recomputed.episodes.map(\.episodeReturn))
  }

  /// The first layer's input gradient (the input is data) is never computed, for CNN and MLP
  /// policies alike: its buffer keeps its initial empty shape through training.
  @Test func firstLayerInputGradientIsNotComputed() throws {
    let cnn = try cnnModel(reuse: true)
    let mlp = try A2C(environment: try cueImages(count: 2), seed: 0)
    try cnn.learn(totalTimesteps: 40)
    try mlp.learn(totalTimesteps: 40)
    #expect(cnn.policy.network.featureExtractor.layers[0].inputGradient.rows == 0)
    #expect(cnn.policy.network.featureExtractor.layers[1].inputGradient.rows == 20)
    #expect(mlp.policy.network.policyTrunk.layers[0].inputGradient.rows == 0)
    #expect(mlp.policy.network.valueTrunk.layers[0].inputGradient.rows == 0)
  }

  /// MLP policies (no feature extractor) and recurrent policies keep recomputing.
  @Test func mlpAndRecurrentPoliciesRecompute() throws {
    let mlp = try A2C(environment: try cueImages(count: 2), seed: 0)
    var c = A2CConfiguration()
    c.networkArchitecture = tinyRecurrentCNN
    let recurrent = try A2C(environment: try cueImages(count: 2), configuration: c, seed: 0)
    try mlp.learn(totalTimesteps: 20)
    try recurrent.learn(totalTimesteps: 20)
    #expect(mlp.rolloutActivations == nil && recurrent.rolloutActivations == nil)
  }
}

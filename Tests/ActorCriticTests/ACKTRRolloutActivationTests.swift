import Environments
import LinearAlgebra
import NeuralNetwork
import Testing

@testable import ActorCritic

/// ACKTR's update on a CNN policy reuses the feature extractor's activations of the rollout, and
/// its K-FAC statistics read them (`OnPolicyDriver+RolloutActivations.swift`).
@Suite struct ACKTRRolloutActivationTests {
  private func cnnModel(reuse: Bool, solver: KFAC.EigenSolver = .double, seed: UInt64 = 4) throws -> ACKTR {
    var c = ACKTRConfiguration()
    c.networkArchitecture = tinyCNN
    c.eigenSolver = solver
    let model = try ACKTR(environment: try cueImages(count: 4, seed: 1), configuration: c, seed: seed)
    model.reusesRolloutActivations = reuse
    return model
  }

  /// How far training moved the recomputing model's parameters from `initial`, and how far the
  /// reusing model's are from them (max absolute differences).
  private func agreement(_ reused: ACKTR, _ recomputed: ACKTR, initial: [Float]) -> (moved: Float, difference: Float) {
    let a = reused.policy.network.parameters.flattenedValues
    let b = recomputed.policy.network.parameters.flattenedValues
    return (zip(b, initial).map { abs($0 - $1) }.max()!, zip(a, b).map { abs($0 - $1) }.max()!)
  }

  /// Every update of a CNN policy installs the recorded rollout (16 updates of 4 × 20 steps: the
  /// cold start, the first decompositions and K-FAC steps); with reuse off nothing is recorded.
  @Test func cnnUpdatesInstallTheRecordedRollout() throws {
    let model = try cnnModel(reuse: true)
    try model.learn(totalTimesteps: 1_280)
    let recording = try #require(model.rolloutActivations)
    #expect(recording.installCount == 16)
    #expect(!recording.isComplete)  // consumed by the last update
    #expect(model.optimizer.factorStep > 0)
    let recomputing = try cnnModel(reuse: false)
    try recomputing.learn(totalTimesteps: 1_280)
    #expect(recomputing.rolloutActivations == nil)
    // Switching reuse back on records again.
    recomputing.reusesRolloutActivations = true
    try recomputing.learn(totalTimesteps: 80, resetNumTimesteps: false)
    #expect(recomputing.rolloutActivations?.installCount == 1)
  }

  /// One update with reuse against one without, from the same model: the first convolution's `A`
  /// statistics read the installed inputs (the ÷255 frames, copied exactly), so they are
  /// bit-identical; every other factor and every parameter agrees to float rounding.
  @Test func firstUpdateReadsTheInstalledActivations() throws {
    let reused = try cnnModel(reuse: true), recomputed = try cnnModel(reuse: false)
    let initial = reused.policy.network.parameters.flattenedValues
    try reused.learn(totalTimesteps: 80)
    try recomputed.learn(totalTimesteps: 80)
    #expect(reused.rolloutActivations?.installCount == 1)
    let c1 = try #require(reused.optimizer.factor(named: "model/c1/w:0/A"))
    let c1Recomputed = try #require(recomputed.optimizer.factor(named: "model/c1/w:0/A"))
    #expect(c1.statistics.contains { $0 != 0 })
    #expect(c1.statistics.map(\.bitPattern) == c1Recomputed.statistics.map(\.bitPattern))
    for (a, b) in zip(reused.optimizer.factors, recomputed.optimizer.factors) {
      let scale = b.statistics.map(abs).max() ?? 0
      #expect(scale > 0, "\(b.name)")
      let difference = zip(a.statistics, b.statistics).map { abs($0 - $1) }.max() ?? 0
      #expect(difference <= 1e-5 * scale, "\(a.name): max |ΔS| \(difference), max |S| \(scale)")
    }
    let (moved, difference) = agreement(reused, recomputed, initial: initial)
    #expect(moved > 1e-4)
    #expect(difference <= 1e-4 * moved, "max |Δθ| \(difference), the update moved \(moved)")
  }

  /// Through the cold start into K-FAC steps (16 updates, both solvers): reusing the activations
  /// trains the network that recomputing them trains, to float rounding, and acts the same.
  @Test(arguments: [KFAC.EigenSolver.double, .single])
  func reusedActivationsTrainLikeRecomputedOnes(solver: KFAC.EigenSolver) throws {
    let initial = try cnnModel(reuse: true, solver: solver).policy.network.parameters.flattenedValues
    let reused = try cnnModel(reuse: true, solver: solver), recomputed = try cnnModel(reuse: false, solver: solver)
    try reused.learn(totalTimesteps: 1_280)
    try recomputed.learn(totalTimesteps: 1_280)
    #expect(reused.history.last?.extras["vFv"] != nil)  // K-FAC steps were taken
    let (moved, difference) = agreement(reused, recomputed, initial: initial)
    #expect(moved > 1e-3)
    #expect(difference <= 1e-3 * moved, "max |Δθ| \(difference), training moved \(moved)")
    #expect(reused.episodes.map(\.episodeReturn) == recomputed.episodes.map(\.episodeReturn))
  }

  /// MLP policies (the classic suite) and recurrent policies keep recomputing.
  @Test func mlpAndRecurrentPoliciesRecompute() throws {
    let mlp = try ACKTR(environment: try cueImages(count: 2), seed: 0)
    var c = ACKTRConfiguration()
    c.networkArchitecture = tinyRecurrentCNN
    let recurrent = try ACKTR(environment: try cueImages(count: 2), configuration: c, seed: 0)
    try mlp.learn(totalTimesteps: 40)
    try recurrent.learn(totalTimesteps: 40)
    #expect(mlp.rolloutActivations == nil && recurrent.rolloutActivations == nil)
  }
}

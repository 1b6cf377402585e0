import Environments
import LinearAlgebra
import NeuralNetwork
import Testing

@testable import ActorCritic

/// What ``FlopCounter`` counts for A2C is the arithmetic of the network's layer shapes, so the
/// benchmarks' and `timing.json`'s GFLOP/s are the network's rate (PixelThroughput.swift's file
/// comment gives the same formula):
///
/// ```
/// per update = B·2·(F + F_update + F + (F − F_first))  +  E·2·F  +  [clipped]·P
/// ```
/// with F the forward multiply–adds per sample of the layers A2C runs (features, trunks, `pi`,
/// `vf`; not `q`), B = E·T: the rollout's forward passes, the update's (above the features only
/// when it reuses the rollout's activations), the weight gradients, the input gradients of every
/// layer but the first, the forward pass for the bootstrap value V(s_T) of the E environments, and
/// — when the global norm exceeds `max_grad_norm` — the rescaling of the P trained parameters.
@Suite struct A2CArithmeticTests {
  /// Forward multiply–adds per sample of the layers A2C runs: (all, feature extractor, first layer).
  static func forwardMultiplyAdds(_ network: ActorCriticNetwork) -> (all: Int, features: Int, first: Int) {
    func macs(_ layer: any Layer) -> Int {
      if let conv = layer as? Conv2D { return conv.geometry.outputPositions * conv.geometry.patchSize * conv.filterCount }
      if let dense = layer as? Dense { return dense.inputCount * dense.outputCount }
      return 0
    }
    let used = network.layers.filter { !($0 === network.qHead) }
    let features = network.featureExtractor.layers.reduce(0) { $0 + macs($1) }
    return (used.reduce(0) { $0 + macs($1) }, features, macs(used[0]))
  }

  @Test(arguments: [true, false])
  func countedOperationsAreTheLayerShapesArithmetic(reusesRolloutActivations: Bool) throws {
    var configuration = A2CConfiguration()
    configuration.networkArchitecture = tinyCNN
    let model = try A2C(environment: try cueImages(count: 4), configuration: configuration, seed: 1)
    model.reusesRolloutActivations = reusesRolloutActivations
    let f = Self.forwardMultiplyAdds(model.policy.network)
    // tinyCNN on 8×8×2: conv 3×3/1 → 6×6×4 (2,592), conv 2×2/2 → 3×3×4 (576), fc 36→16 (576),
    // pi 16→2 (32), vf 16→1 (16).
    #expect(f == (3792, 3744, 2592))
    let perStep = 2 * (f.all + (reusesRolloutActivations ? f.all - f.features : f.all) + f.all + f.all - f.first)
    let counter = FlopCounter()
    let updates = 6, environments = 4, batch = environments * configuration.stepsPerUpdate
    try counter.counting { try model.learn(totalTimesteps: updates * batch) }
    let network = updates * (batch * perStep + environments * 2 * f.all)
    let trained = model.policy.network.actorCriticParameters.reduce(0) { $0 + $1.value.elements.count }
    #expect(trained == 787)
    // What is left is the clipping: a whole number of rescalings of the trained parameters.
    let clipping = counter.operations - network
    #expect(clipping >= 0 && clipping % trained == 0 && clipping / trained <= updates, "left over: \(clipping)")
  }
}

import ActorCritic
import Benchmark
import Environments
import Foundation
import NeuralNetwork
import Randomness

// A2C on pixels, single-threaded, on fixed frames (the environment costs nothing, so the figure is
// the learner's): nature_cnn on 84×84×4 uint8 stacks with 16 environments and n_steps 5 (the zoo's
// Atari A2C), and MinAtar's network on 10×10×4. Besides steps/s each reports the achieved
// GFLOP/s of the network arithmetic, counted from the layer shapes:
//
//   per environment step = 2·(rollout forward F + update forward F_heads + weight gradients F
//                             + input gradients (F − F_c1))         F = multiply–adds of one forward
//
// where the update's forward pass runs only the heads (F_heads), because A2C reuses the
// rollout's feature-extractor activations (A2C+RolloutActivations.swift). nature_cnn: F ≈ 9.35M,
// ≈ 49.5 MFLOP per step done, against ≈ 68 MFLOP for a learner that recomputes them, as the
// peers do. Peers on this machine (pixels-and-bridge.md, issue 9): stable-baselines3 A2C
// CnnPolicy ≈ 790 steps/s, the same on MinAtar's network ≈ 8,200 steps/s.


/// Fixed frames: every step returns the same uint8 image; episodes last 1,000 steps.
final class FixedFrames: Environment {
  let id = "FixedFrames"
  let observationSpace: Space
  let actionSpace = Space.discrete(n: 6)
  let maxEpisodeSteps: Int? = 1000
  var elapsedSteps = 0
  var state: [Double] = []
  private let frame: [UInt8]

  init(shape: [Int]) {
    observationSpace = .box(low: 0, high: 255, shape: shape, dtype: .uint8)
    let count = shape.reduce(1, *)
    frame = (0..<count).map { UInt8(($0 * 7919) % 256) }
  }

  func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer) {
    elapsedSteps = 0
    writeObservation(into: observation)
  }

  func step(_ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer) -> StepOutcome {
    elapsedSteps += 1
    writeObservation(into: observation)
    return StepOutcome(reward: action[0] == 1 ? 1 : 0, terminated: false, truncated: elapsedSteps >= 1000)
  }

  func writeObservation(into observation: UnsafeMutableRawBufferPointer) {
    frame.withUnsafeBytes { observation.copyMemory(from: $0) }
  }
}

/// FLOPs of training per environment step (see the file comment) for a policy; with
/// `reusesFeatures` the update's forward pass skips the feature extractor.
func trainingFlopsPerStep(_ network: ActorCriticNetwork, reusesFeatures: Bool) -> Double {
  var forward = 0.0, firstLayer = 0.0, features = 0.0
  let extractorLayers = network.featureExtractor.layers.count
  for (index, layer) in network.layers.enumerated() {
    let macs: Double
    if let conv = layer as? Conv2D {
      macs = Double(conv.geometry.outputPositions * conv.geometry.patchSize * conv.filterCount)
    } else if let dense = layer as? Dense {
      macs = Double(dense.inputCount * dense.outputCount)
    } else {
      macs = 0
    }
    forward += macs
    if index == 0 { firstLayer = macs }
    if index < extractorLayers { features += macs }
  }
  return 2 * (4 * forward - firstLayer - (reusesFeatures ? features : 0))
}

private func pixelConfiguration() -> Benchmark.Configuration {
  .init(
    metrics: [.wallClock, stepsPerSecond, gigaflops], timeUnits: .milliseconds, warmupIterations: 0,
    maxDuration: .seconds(30), maxIterations: 3, thresholds: [.wallClock: .relaxed, stepsPerSecond: .relaxed])
}

private func measurePixels(
  _ benchmark: Benchmark, shape: [Int], environments: Int = 16, steps: Int,
  makeModel: @escaping (VectorEnvironment) throws -> any ActorCriticModel
) throws {
  // The FLOP count is A2C's update; ACKTR adds a sampled-Fisher backward pass, the factor
  // statistics and the eigendecompositions, so only steps/s is reported for it.
  try measure(
    benchmark, steps: steps, flopsPerStep: { model in
      (model as? A2C).map {
        trainingFlopsPerStep($0.policy.network, reusesFeatures: $0.rolloutActivations != nil)
      }
    }
  ) {
    try makeModel(
      try VectorEnvironment(
        environments: (0..<environments).map { _ in FixedFrames(shape: shape) }, seeds: SeedSequence(runSeed: 0)))
  }
}

private func a2c(_ architecture: NetworkArchitecture) -> (VectorEnvironment) throws -> any ActorCriticModel {
  { env in
    var c = A2CConfiguration()
    c.networkArchitecture = architecture
    return try A2C(environment: env, configuration: c, seed: 0)
  }
}

/// The zoo's Atari ACKTR (32 envs, n_steps 20, nature_cnn) with the given eigendecomposition set-up.
private func acktr(async: Bool, lag: Int = 1, solver: KFAC.EigenSolver) -> (VectorEnvironment) throws -> any ActorCriticModel {
  { env in
    var c = ACKTRConfiguration()
    c.networkArchitecture = .natureCNN
    c.asyncEigenDecomposition = async
    c.asyncEigenDecompositionLag = lag
    c.eigenSolver = solver
    return try ACKTR(environment: env, configuration: c, seed: 0)
  }
}

let pixelBenchmarks: @Sendable () -> Void = {
  Benchmark("A2C nature_cnn 84x84x4 16 envs n_steps 5, 4k steps", configuration: pixelConfiguration()) {
    benchmark in
    try measurePixels(benchmark, shape: [84, 84, 4], steps: 4_000, makeModel: a2c(.natureCNN))
  }
  Benchmark("A2C MinAtar CNN 10x10x4 16 envs n_steps 5, 40k steps", configuration: pixelConfiguration()) {
    benchmark in
    try measurePixels(benchmark, shape: [10, 10, 4], steps: 40_000, makeModel: a2c(.minAtarCNN))
  }
  // 16 updates of 640 steps: 10 cold updates, then K-FAC with an eigendecomposition every update.
  Benchmark("ACKTR nature_cnn 32 envs n_steps 20 sync double, 16 updates", configuration: pixelConfiguration()) {
    benchmark in
    try measurePixels(
      benchmark, shape: [84, 84, 4], environments: 32, steps: 10_240, makeModel: acktr(async: false, solver: .double))
  }
  Benchmark("ACKTR nature_cnn 32 envs n_steps 20 async lag 4 single, 16 updates", configuration: pixelConfiguration()) {
    benchmark in
    try measurePixels(
      benchmark, shape: [84, 84, 4], environments: 32, steps: 10_240,
      makeModel: acktr(async: true, lag: 4, solver: .single))
  }
}

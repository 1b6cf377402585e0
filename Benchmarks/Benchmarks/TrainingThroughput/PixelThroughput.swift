import ActorCritic
import Benchmark
import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness

// A2C on pixels, single-threaded, on fixed frames (the environment costs nothing, so the figure is
// the learner's): nature_cnn on 84×84×4 uint8 stacks with 16 environments and n_steps 5 (the zoo's
// Atari A2C), and MinAtar's network on 10×10×4. Besides steps/s each reports the MFLOP/s that
// `FlopCounter` counts, which for A2C is the network arithmetic of the layer shapes
// (ActorCriticTests' `A2CArithmeticTests` checks the count against it):
//
//   per environment step = 2·(rollout forward F + update forward F_heads + weight gradients F
//                             + input gradients (F − F_c1))         F = multiply–adds of one forward
//
// where the update's forward pass runs only the heads (F_heads), because A2C reuses the
// rollout's feature-extractor activations (OnPolicyDriver+RolloutActivations.swift). nature_cnn: F ≈ 9.35M,
// ≈ 49.5 MFLOP per step done, against ≈ 68 MFLOP for a learner that recomputes them, as the
// peers do. The count also holds the bootstrap value pass V(s_T) of each update (2·F per
// environment, 2·F/n_steps per step: +3.7 MFLOP here, the peers do it too) and the gradient
// clipping's rescale (`sscal`, one multiply per parameter). ACKTR's count adds the sampled-Fisher backward pass, the factor statistics, the
// preconditioning products and the eigendecompositions. Peers on this machine
// (pixels-and-bridge.md, issue 9): stable-baselines3 A2C CnnPolicy ≈ 790 steps/s, the same on
// MinAtar's network ≈ 8,200 steps/s.

private func pixelConfiguration() -> Benchmark.Configuration {
  .init(
    metrics: [.wallClock, stepsPerSecond, megaflops], timeUnits: .milliseconds, warmupIterations: 0,
    maxDuration: .seconds(30), maxIterations: 3, thresholds: [.wallClock: .relaxed, stepsPerSecond: .relaxed])
}

private func measurePixels(
  _ benchmark: Benchmark, shape: [Int], environments: Int = 16, steps: Int,
  makeModel: @escaping (VectorEnvironment) throws -> any ActorCriticModel
) throws {
  try measure(benchmark, steps: steps) {
    try makeModel(
      try VectorEnvironment(
        environments: (0..<environments).map { FramePool.fixed(shape: shape).environment(index: $0) },
        seeds: SeedSequence(runSeed: 0)))
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
private func acktrConfiguration(kfacUpdate: Int = 1, async: Bool = false, lag: Int = 1, solver: KFAC.EigenSolver)
  -> ACKTRConfiguration
{
  var c = ACKTRConfiguration()
  c.networkArchitecture = .natureCNN
  c.kfacUpdate = kfacUpdate
  c.asyncEigenDecomposition = async
  c.asyncEigenDecompositionLag = lag
  c.eigenSolver = solver
  return c
}

/// ACKTR in steady state, as the PyTorch K-FAC peer (`Tools/pytorch_peers.py`, `acktr`) measures
/// it: the 10 cold-start updates and the first decomposition run before the measurement (update 10,
/// as `10 % kfac_update == 0` for both periods measured; `updates` then holds
/// updates/kfac_update decompositions), then `updates` updates of 640 steps are timed. The
/// asynchronous decompositions count on the training's counter; one still in flight when the clock
/// stops counts only if it ends before the count is read, so that variant's MFLOP/s is uncertain by
/// one decomposition.
private func measureACKTRSteadyState(
  _ benchmark: Benchmark, updates: Int, configuration: ACKTRConfiguration
) throws {
  try measureSteadyState(
    benchmark, environments: 32, stepsPerUpdate: configuration.stepsPerUpdate,
    warmUpdates: configuration.coldIterations + 1, updates: updates
  ) { try ACKTR(environment: $0, configuration: configuration, seed: 0) }
}

/// A model trained in steady state on 84×84×4 frames from a pool of random uint8 frames
/// (``FramePool``; one repeated frame would make every K-FAC activation factor rank ≈ 1 and the
/// eigendecompositions unrepresentative): `warmUpdates` updates untimed, then `updates` updates of
/// `environments × stepsPerUpdate` steps timed. Reported: env steps/s, updates/s (× 1000, as
/// `millupdates_per_second`) and the counted MFLOP/s.
private func measureSteadyState(
  _ benchmark: Benchmark, environments: Int, stepsPerUpdate: Int, warmUpdates: Int, updates: Int,
  makeModel: (VectorEnvironment) throws -> any ActorCriticModel
) throws {
  let pool = FramePool.randomPool
  for _ in benchmark.scaledIterations {
    let environment = try VectorEnvironment(
      environments: (0..<environments).map { pool.environment(index: $0) }, seeds: SeedSequence(runSeed: 0))
    let model = try makeModel(environment)
    let batch = environments * stepsPerUpdate
    try model.learn(totalTimesteps: batch * warmUpdates)
    let seconds = try timeTraining(benchmark, model, steps: batch * updates, resetNumTimesteps: false)
    benchmark.measurement(milliUpdatesPerSecond, Int(1000 * Double(updates) / seconds))
  }
}

/// ACER at the zoo's Atari settings (nature_cnn, 16 envs, n_steps 20, replay ratio 4, buffer 5,000
/// steps per environment) in steady state: replaying from the second update (`replay_start` 20
/// instead of 1,000 steps per environment, so that the warm-up is short; an update's cost does not
/// depend on it), 2 updates untimed, then `updates` timed. Each timed update trains on its own
/// segment and on Poisson(4) replayed ones, fixed by the seed.
private func measureACERSteadyState(_ benchmark: Benchmark, updates: Int) throws {
  var configuration = ACERConfiguration()
  configuration.networkArchitecture = .natureCNN
  configuration.replayStart = configuration.stepsPerUpdate
  try measureSteadyState(
    benchmark, environments: 16, stepsPerUpdate: configuration.stepsPerUpdate, warmUpdates: 2, updates: updates
  ) { try ACER(environment: $0, configuration: configuration, seed: 0) }
}

let milliUpdatesPerSecond = BenchmarkMetric.custom("millupdates_per_second", polarity: .prefersLarger)

/// Frames the benchmark environments show: one fixed frame (``fixed(shape:)``, the A2C benchmarks:
/// the environment costs nothing, so the figure is the learner's), or a pool of random uint8 frames
/// (``randomPool``, 4,096 frames of 84×84×4, 115 MB, as the PyTorch K-FAC peer's ACKTR
/// "environment") read in turn by every environment.
final class FramePool: @unchecked Sendable {
  static let randomPool = FramePool(randomFrames: 4096, shape: [84, 84, 4])
  let shape: [Int]
  let frameBytes: Int
  let count: Int
  let frames: [UInt8]

  init(frames: [UInt8], shape: [Int]) {
    self.shape = shape
    frameBytes = shape.reduce(1, *)
    precondition(frames.count % frameBytes == 0 && !frames.isEmpty, "whole frames only")
    count = frames.count / frameBytes
    self.frames = frames
  }

  /// One frame, pixel `i` = `(7919·i) mod 256` (the pattern `Tools/pytorch_peers.py` repeats too).
  static func fixed(shape: [Int]) -> FramePool {
    FramePool(frames: (0..<shape.reduce(1, *)).map { UInt8(($0 * 7919) % 256) }, shape: shape)
  }

  /// `count` frames of uniformly random bytes (SplitMix64, fixed seed).
  convenience init(randomFrames count: Int, shape: [Int]) {
    var generator = SplitMix64(state: 0x5EED)
    var frames = [UInt8](repeating: 0, count: count * shape.reduce(1, *))
    for i in stride(from: 0, to: frames.count, by: 8) {
      var word = generator.next()
      for j in i..<min(i + 8, frames.count) {
        frames[j] = UInt8(truncatingIfNeeded: word)
        word >>= 8
      }
    }
    self.init(frames: frames, shape: shape)
  }

  /// Environment `index` of a vector: it starts at frame `index` and advances by `stride` frames.
  func environment(index: Int, stride: Int = 32) -> PooledFrames {
    PooledFrames(pool: self, start: index, stride: stride)
  }
}

/// SplitMix64 (Steele, Lea & Flood 2014), for the frame pool only.
struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Frames from a ``FramePool``: environment `start` shows frames `start, start + stride, …`
/// (wrapping), so 32 environments read the pool in turn; episodes last 1,000 steps.
final class PooledFrames: Environment {
  let id = "PooledFrames"
  let observationSpace: Space
  let actionSpace = Space.discrete(n: 6)
  let maxEpisodeSteps: Int? = 1000
  var elapsedSteps = 0
  var state: [Double] = []
  private let pool: FramePool
  private let stride: Int
  private var cursor: Int

  init(pool: FramePool, start: Int, stride: Int) {
    self.pool = pool
    self.stride = stride
    cursor = start % pool.count
    observationSpace = .box(low: 0, high: 255, shape: pool.shape, dtype: .uint8)
  }

  func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer) {
    elapsedSteps = 0
    writeObservation(into: observation)
  }

  func step(_ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer) -> StepOutcome {
    elapsedSteps += 1
    cursor = (cursor + stride) % pool.count
    writeObservation(into: observation)
    return StepOutcome(reward: action[0] == 1 ? 1 : 0, terminated: false, truncated: elapsedSteps >= 1000)
  }

  func writeObservation(into observation: UnsafeMutableRawBufferPointer) {
    let offset = cursor * pool.frameBytes
    pool.frames.withUnsafeBytes {
      observation.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + pool.frameBytes]))
    }
  }
}

private func acktrConfiguration() -> Benchmark.Configuration {
  .init(
    metrics: [.wallClock, stepsPerSecond, milliUpdatesPerSecond, megaflops], timeUnits: .milliseconds, warmupIterations: 0,
    maxDuration: .seconds(1), maxIterations: 1, thresholds: [.wallClock: .relaxed, stepsPerSecond: .relaxed])
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
  // ACKTR at the zoo's settings in steady state, beside the PyTorch K-FAC peer at the same
  // eigendecomposition period (every update; every 10 updates, the peer's default T_f = 10).
  // float32 decompositions (`eigen_solver: single`) as TensorFlow and PyTorch do; the default
  // float64 one for reference.
  Benchmark("ACKTR nature_cnn 32x20 steady state, eig every update, single, 4 updates", configuration: acktrConfiguration()) {
    benchmark in
    try measureACKTRSteadyState(benchmark, updates: 4, configuration: acktrConfiguration(solver: .single))
  }
  Benchmark("ACKTR nature_cnn 32x20 steady state, eig every 10 updates, single, 10 updates", configuration: acktrConfiguration()) {
    benchmark in
    try measureACKTRSteadyState(benchmark, updates: 10, configuration: acktrConfiguration(kfacUpdate: 10, solver: .single))
  }
  Benchmark("ACKTR nature_cnn 32x20 steady state, eig every update, double (default), 4 updates", configuration: acktrConfiguration()) {
    benchmark in
    try measureACKTRSteadyState(benchmark, updates: 4, configuration: acktrConfiguration(solver: .double))
  }
  Benchmark("ACKTR nature_cnn 32x20 steady state, async lag 4, single, 10 updates", configuration: acktrConfiguration()) {
    benchmark in
    try measureACKTRSteadyState(benchmark, updates: 10, configuration: acktrConfiguration(async: true, lag: 4, solver: .single))
  }
  Benchmark("ACER nature_cnn 16x20 replay ratio 4 steady state, 8 updates", configuration: acktrConfiguration()) {
    benchmark in
    try measureACERSteadyState(benchmark, updates: 8)
  }
}

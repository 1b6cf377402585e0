import ActorCritic
import Benchmark
import Environments
import Foundation
import LinearAlgebra
import Randomness

// Training throughput of the three algorithms on CartPole-v1, in environment steps per second,
// single-threaded (the peers' figures on the same 2-core machine are in design.md §8:
// SB3 A2C ≈ 5,600 steps/s, PyTorch K-FAC ACKTR ≈ 7,100, PFRL ACER ≈ 77–85).
//
// Each iteration trains a fresh, seeded model for a fixed budget; the custom metrics
// `env_steps_per_second` and `mflop_per_second` (the BLAS and LAPACK operations `FlopCounter`
// counts while training, a lower bound on the arithmetic done) are computed from the measured
// training time only (model construction is excluded). Wall clock on a shared machine is information; `bench regress` gates work with
// callgrind instruction counts instead.

let stepsPerSecond = BenchmarkMetric.custom("env_steps_per_second", polarity: .prefersLarger)
/// Achieved arithmetic, 10⁶ counted operations per second (integers: MFLOP/s keeps CartPole's
/// sub-GFLOP/s rates visible). One AVX2 core's single-precision peak here is 73,600 MFLOP/s.
let megaflops = BenchmarkMetric.custom("mflop_per_second", polarity: .prefersLarger)

private func configuration() -> Benchmark.Configuration {
  .init(
    metrics: [.wallClock, .mallocCountTotal, stepsPerSecond, megaflops], timeUnits: .milliseconds, warmupIterations: 1,
    maxDuration: .seconds(20), maxIterations: 10,
    thresholds: [.wallClock: .relaxed, stepsPerSecond: .relaxed])
}

/// Trains a fresh model per iteration and records env steps/s and the counted MFLOP/s over the
/// training time only.
func measure(_ benchmark: Benchmark, steps: Int, makeModel: () throws -> any ActorCriticModel) throws {
  for _ in benchmark.scaledIterations {
    try timeTraining(benchmark, try makeModel(), steps: steps, resetNumTimesteps: true)
  }
}

/// Trains `model` for `steps` steps inside the benchmark's measurement (continuing its step count
/// unless `resetNumTimesteps`) and records env steps/s and the counted MFLOP/s over that training;
/// returns its seconds.
@discardableResult
func timeTraining(_ benchmark: Benchmark, _ model: any ActorCriticModel, steps: Int, resetNumTimesteps: Bool) throws
  -> Double
{
  let before = resetNumTimesteps ? 0 : model.timesteps
  let counter = FlopCounter()
  let clock = ContinuousClock()
  benchmark.startMeasurement()
  let start = clock.now
  try counter.counting {
    try model.learn(totalTimesteps: steps, callback: nil, logInterval: 100, resetNumTimesteps: resetNumTimesteps)
  }
  let elapsed = clock.now - start
  benchmark.stopMeasurement()
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  // The steps trained: learn finishes its last update, so they can exceed `steps`.
  benchmark.measurement(stepsPerSecond, Int(Double(model.timesteps - before) / seconds))
  benchmark.measurement(megaflops, Int(Double(counter.operations) / seconds / 1e6))
  return seconds
}

private func cartPole(_ count: Int) throws -> VectorEnvironment {
  try VectorEnvironment(id: "CartPole-v1", count: count, seeds: SeedSequence(runSeed: 0))
}

let benchmarks: @Sendable () -> Void = {
  // The kernel and thread count `bench` pins (OpenBLAS reads both when it loads, before main):
  // unpinned, OpenBLAS picks its own kernel for this CPU, which ran nature_cnn A2C at half speed.
  let core = BLASRuntime.coreName, threads = BLASRuntime.threadCount
  guard core.lowercased() == "haswell", threads == 1 else {
    fatalError(
      "run the benchmarks with OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1 (the kernel and threads bench "
        + "pins); OpenBLAS runs \(core) with \(threads) thread(s)")
  }
  pixelBenchmarks()
  bridgeBenchmarks()

  Benchmark("A2C CartPole-v1 8 envs n_steps 5, 100k steps", configuration: configuration()) { benchmark in
    try measure(benchmark, steps: 100_000) {
      var c = A2CConfiguration()
      c.entropyCoefficient = 0
      return try A2C(environment: try cartPole(8), configuration: c, seed: 0)
    }
  }

  // Recurrent A2C (SB2 MlpLstmPolicy: 64-64 tanh, LSTM 256), the state carried across rollouts and
  // the n_steps unroll back-propagated; its PyTorch peer is `Tools/pytorch_peers.py --only a2c-lstm`.
  Benchmark("A2C MlpLstmPolicy CartPole-v1 8 envs n_steps 5, 20k steps", configuration: configuration()) { benchmark in
    try measure(benchmark, steps: 20_000) {
      var c = A2CConfiguration()
      c.entropyCoefficient = 0
      c.networkArchitecture = .mlpLSTM
      return try A2C(environment: try cartPole(8), configuration: c, seed: 0)
    }
  }

  Benchmark("ACKTR CartPole-v1 8 envs n_steps 20, 50k steps", configuration: configuration()) { benchmark in
    try measure(benchmark, steps: 51_200) {
      var c = ACKTRConfiguration()
      c.entropyCoefficient = 0
      return try ACKTR(environment: try cartPole(8), configuration: c, seed: 0)
    }
  }

  Benchmark("ACER CartPole-v1 8 envs n_steps 20 replay ratio 4, 50k steps", configuration: configuration()) {
    benchmark in
    try measure(benchmark, steps: 51_200) {
      var c = ACERConfiguration()
      c.entropyCoefficient = 0
      return try ACER(environment: try cartPole(8), configuration: c, seed: 0)
    }
  }
}

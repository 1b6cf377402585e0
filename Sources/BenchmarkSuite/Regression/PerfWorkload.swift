import ActorCritic
import Foundation

/// The fixed training workloads whose CPU work `bench regress` counts with callgrind.
///
/// ```
/// a2c    A2C on CartPole-v1, 8 environments, n_steps 5  (SB2 defaults), seed 0
/// acktr  ACKTR on CartPole-v1, 8 environments, n_steps 20 (SB2 defaults), seed 0
/// acer   ACER on CartPole-v1, 8 environments, n_steps 20 (SB2 defaults), seed 0
/// ```
/// Training only: no evaluation, no files, so the instruction count measures the learning code.
public enum PerfWorkload: String, CaseIterable, Codable, Sendable {
  case a2c, acktr, acer

  /// The budget each workload trains for in the baseline: small enough for callgrind's ≈50×
  /// slowdown, large enough that start-up is a small share.
  public var defaultTimesteps: Int {
    switch self {
    case .a2c: return 8_000
    case .acktr: return 3_200
    // Replay starts once the buffer holds replay_start = 1000 steps per environment (8,000
    // steps); 8,800 includes five updates with replay.
    case .acer: return 8_800
    }
  }

  /// The suite entry trained.
  public var entry: SuiteEntry {
    let algorithm: AlgorithmID
    switch self {
    case .a2c: algorithm = .a2c
    case .acktr: algorithm = .acktr
    case .acer: algorithm = .acer
    }
    return SuiteEntry(
      environment: "CartPole-v1", algorithm: algorithm, environmentCount: 8, timesteps: defaultTimesteps,
      evaluationTimesteps: 0, source: "bench regress work-count workload (SB2 defaults)")
  }

  /// What the workload is, in words.
  public var summary: String {
    switch self {
    case .a2c: return "A2C, CartPole-v1, 8 envs, n_steps 5, MLP 64x64"
    case .acktr: return "ACKTR, CartPole-v1, 8 envs, n_steps 20, MLP 64x64"
    case .acer: return "ACER, CartPole-v1, 8 envs, n_steps 20, replay ratio 4, MLP 64x64"
    }
  }

  /// Trains the workload for `timesteps` steps in this process.
  /// - Returns: steps trained and wall-clock seconds.
  public func run(timesteps: Int) throws(BenchmarkError) -> (timesteps: Int, seconds: Double) {
    var entry = self.entry
    entry.timesteps = timesteps
    do {
      let environment = try ModelFactory.makeEnvironment(for: entry, seed: 0)
      let model = try ModelFactory.makeModel(for: entry, seed: 0, environment: environment)
      let clock = ContinuousClock()
      let start = clock.now
      try model.learn(totalTimesteps: timesteps, callback: nil, logInterval: 100, resetNumTimesteps: true)
      let elapsed = clock.now - start
      return (
        model.timesteps, elapsed.inSeconds
      )
    } catch let error as BenchmarkError {
      throw error
    } catch {
      throw .runFailed(run: "perf-workload \(rawValue)", reason: "\(error)")
    }
  }
}

import ActorCritic
import Environments
import Foundation
import Randomness
import Testing

@testable import GymnasiumBridge

extension BridgeSuite {
  /// A2C learns through the bridge (issue 10): on MinAtar Breakout and `gym:LunarLander-v3` it
  /// ends with returns clearly above a uniformly random policy's on the same environment. The
  /// models are built as `bench run --suite gymnasium … --seeds 1` builds seed 0 (same copies,
  /// seeds and hyperparameters); `bench` also pins OpenBLAS's Haswell kernel, the tests do not,
  /// so its numbers differ (see Budgets).
  ///
  /// **"Clearly above".** `trained` is the last 100 training episodes (SB2's last-100 mean);
  /// `random` is the random policy on the same bridged environment (same copies and seeds),
  /// measured in the same test: the first ⌈100 / n_envs⌉ episodes of every copy, so short
  /// episodes are not favoured. With each mean's 99.9% interval `m ± 3.29 s/√n`, the test asks
  ///
  ///     m_trained − 3.29 s_trained/√n_trained  >  m_random + 3.29 s_random/√n_random
  ///
  /// — non-overlapping 99.9% intervals. A policy that had not learned draws its episodes from
  /// the random policy's distribution, and a gap this wide by luck has probability below 10⁻⁵.
  /// The outcome itself is deterministic (fixed seed, bit-reproducible training), so the test
  /// cannot flake; the margin says the gap is learning, not a lucky draw.
  ///
  /// **Budgets**, the smallest that learn clearly (measured 2026-12-01, seed 0):
  /// - MinAtar Breakout: SB2's A2C defaults with MinAtar's network (conv 16 3×3 → fc 128), 16
  ///   copies, n_steps 5 — as the `gymnasium` and `minatar` suites — for 200k steps instead of the
  ///   paper's 5M (changed for speed; the last-100 mean leaves the random level at ≈130k steps).
  /// - LunarLander-v3: the zoo's a2c row for LunarLander (n_envs 8, n_steps 5, gamma 0.995,
  ///   learning_rate 8.3e-4, ent_coef 1e-5) on Gymnasium's LunarLander-v3 (the zoo trained on
  ///   gym's -v2), with two changes so that it learns clearly in a short test: lr_schedule
  ///   `constant` (SB2's default) instead of the row's `linear`, and 250k steps instead of its
  ///   2e5. The outcome is bit-reproducible for one OpenBLAS kernel but differs between kernels
  ///   (the test process does not pin one; `bench` pins Haswell), and at 2e5 steps it is close to
  ///   the bar: the row as it is ends at −90.8 (Haswell) and −124.5 ± 10.9 (the tests' kernel, only
  ///   3.5 standard errors above random); with a constant rate at 2e5, −54 (SkylakeX) and
  ///   −86.8 ± 12.6 (the tests' kernel). From ≈220k steps the constant-rate runs sit near −20
  ///   on both pinned kernels.
  @Suite struct LearningTests {
    /// The normal quantile of a two-sided 99.9% interval.
    static let z = 3.29

    struct Sample: CustomStringConvertible {
      var returns: [Double]
      var mean: Double { returns.reduce(0, +) / Double(returns.count) }
      var standardError: Double {
        let m = mean
        let variance = returns.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(returns.count - 1)
        return (variance / Double(returns.count)).squareRoot()
      }
      var lowerBound: Double { mean - LearningTests.z * standardError }
      var upperBound: Double { mean + LearningTests.z * standardError }
      var description: String { String(format: "%.2f ± %.2f (n %d)", mean, standardError, returns.count) }
    }

    /// `copies` copies of `name` seeded as run seed 0.
    static func environment(_ name: String, copies: Int) throws -> SubprocessVectorEnvironment {
      let made = try EnvironmentCatalog.makeVectorEnvironment(name, count: copies, seeds: SeedSequence(runSeed: 0))
      return try #require(made as? SubprocessVectorEnvironment)
    }

    /// Trains A2C (seed 0) for `timesteps` and returns its last 100 training episodes.
    static func trained(_ name: String, copies: Int, timesteps: Int, configuration: A2CConfiguration) throws -> Sample {
      let environment = try environment(name, copies: copies)
      defer { environment.close() }
      let model = try A2C(environment: environment, configuration: configuration, seed: 0)
      try model.learn(totalTimesteps: timesteps)
      #expect(environment.restarts.isEmpty, "no worker restarts")
      return Sample(returns: model.episodes.suffix(100).map(\.episodeReturn))
    }

    /// The uniformly random policy: the first ⌈100 / copies⌉ episodes of every copy.
    static func random(_ name: String, copies: Int) throws -> Sample {
      let environment = try environment(name, copies: copies)
      defer { environment.close() }
      guard case .discrete(let n) = environment.actionSpace else { throw BridgeTestSupport.ToolFailure(message: "not Discrete") }
      let perCopy = (100 + copies - 1) / copies
      let stream = SeedSequence(runSeed: 0).stream(for: .actionSampling)
      var episodes = [[Double]](repeating: [], count: copies)
      var actions = [Double](repeating: 0, count: copies)
      environment.reset()
      while episodes.contains(where: { $0.count < perCopy }) {
        for i in 0..<copies { actions[i] = Double(stream.uniformInt(below: n)) }
        try environment.step(actions)
        for e in environment.completedEpisodes where episodes[e.environmentIndex].count < perCopy {
          episodes[e.environmentIndex].append(e.episodeReturn)
        }
      }
      return Sample(returns: episodes.flatMap { $0 })
    }

    static func expectLearns(_ name: String, copies: Int, timesteps: Int, configuration: A2CConfiguration) throws {
      let baseline = try random(name, copies: copies)
      let learned = try trained(name, copies: copies, timesteps: timesteps, configuration: configuration)
      print("\(name): A2C last-100 mean after \(timesteps) steps \(learned), random policy \(baseline)")
      #expect(
        learned.lowerBound > baseline.upperBound,
        "last-100 mean \(learned) is not clearly above the random policy's \(baseline)")
    }

    @Test func a2cLearnsMinAtarBreakoutIn200kSteps() throws {
      var configuration = A2CConfiguration()
      configuration.networkArchitecture = .minAtarCNN
      try Self.expectLearns("minatar:Breakout", copies: 16, timesteps: 200_000, configuration: configuration)
    }

    @Test func a2cLearnsLunarLanderWithTheZooRowAConstantRateAnd250kSteps() throws {
      var configuration = A2CConfiguration()
      configuration.discount = 0.995
      configuration.learningRate = 0.00083
      // Deviation: the zoo row's lr_schedule is linear and its budget 2e5; constant and 250k so that a
      // short test learns clearly on any BLAS kernel (see above).
      configuration.learningRateSchedule = .constant
      configuration.entropyCoefficient = 0.00001
      try Self.expectLearns("gym:LunarLander-v3", copies: 8, timesteps: 250_000, configuration: configuration)
    }
  }
}

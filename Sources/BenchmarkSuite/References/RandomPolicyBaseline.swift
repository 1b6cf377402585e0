import Environments
import Randomness

/// The mean return of a uniformly random policy on an environment: the "random" end of the score
/// normalisation (``ScoreAnchors``).
///
/// ```
/// aₜ ~ Uniform(action space)      Discrete(n): uniform on {0, …, n−1};  Box: uniform on [low, high)
/// meanReturn = (1/E) Σₑ Σₜ rₑₜ     over E complete episodes, Gymnasium time limits
/// ```
/// Resets draw from `SeedSequence(runSeed: seed).stream(for: .environment)`, actions from
/// `.stream(for: .actionSampling)`, so the measurement is a pure function of (environment, seed,
/// episodes) and can be committed with the command that produced it.
public struct RandomPolicyBaseline: Codable, Sendable, Equatable {
  /// The environment id.
  public var environment: String
  /// Episodes played.
  public var episodes: Int
  /// The seed of the streams.
  public var seed: Int
  /// Mean episode return.
  public var meanReturn: Double
  /// Sample standard deviation of the episode returns (n − 1).
  public var standardDeviation: Double
  /// Mean episode length.
  public var meanLength: Double

  /// A measurement with the given values.
  public init(
    environment: String, episodes: Int, seed: Int, meanReturn: Double, standardDeviation: Double,
    meanLength: Double
  ) {
    self.environment = environment
    self.episodes = episodes
    self.seed = seed
    self.meanReturn = meanReturn
    self.standardDeviation = standardDeviation
    self.meanLength = meanLength
  }

  /// Plays `episodes` episodes of the random policy on `environment`.
  /// - Throws: ``BenchmarkError/unknownEnvironment(name:available:)`` for an unknown id and
  ///   ``BenchmarkError/invalidOption(name:value:allowed:)`` for fewer than 2 episodes or an
  ///   action space the policy cannot sample (unbounded boxes).
  public static func measure(environment id: String, episodes: Int, seed: Int) throws(BenchmarkError)
    -> RandomPolicyBaseline
  {
    guard episodes >= 2 else {
      throw .invalidOption(name: "--episodes", value: "\(episodes)", allowed: "an integer ≥ 2")
    }
    let environment: any Environment
    do { environment = try EnvironmentRegistry.make(id) } catch {
      throw .unknownEnvironment(name: id, available: EnvironmentRegistry.ids)
    }
    if case .box(let low, let high, _, _) = environment.actionSpace,
      !(low + high).allSatisfy(\.isFinite)
    {
      throw .invalidOption(
        name: "environment", value: id, allowed: "an environment with a bounded action space")
    }
    let seeds = SeedSequence(runSeed: UInt64(seed))
    let resets = seeds.stream(for: .environment)
    let actions = seeds.stream(for: .actionSampling)
    let observationBuffer = ObservationBuffer(space: environment.observationSpace, count: 1)
    let observation = observationBuffer.observation(0)
    var action = [Double](repeating: 0, count: environment.actionDimension)
    var returns: [Double] = []
    var totalLength = 0
    returns.reserveCapacity(episodes)
    for _ in 0..<episodes {
      environment.reset(using: resets, into: observation)
      var episodeReturn = 0.0
      while true {
        sample(environment.actionSpace, into: &action, using: actions)
        // Sampled from the action space, so always accepted; a refusal is still reported, not fatal.
        let outcome: StepOutcome
        do {
          outcome = try action.withUnsafeBufferPointer { (a) throws(EnvironmentError) in try environment.step(a, into: observation) }
        } catch {
          throw .runFailed(run: "random-policy \(id)", reason: "\(error)")
        }
        episodeReturn += outcome.reward
        totalLength += 1
        if outcome.done { break }
      }
      returns.append(episodeReturn)
    }
    withExtendedLifetime(observationBuffer) {}
    let n = Double(returns.count)
    let mean = returns.reduce(0, +) / n
    let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return RandomPolicyBaseline(
      environment: id, episodes: episodes, seed: seed, meanReturn: mean,
      standardDeviation: variance.squareRoot(),
      meanLength: Double(totalLength) / n)
  }

  /// A uniform draw from `space` in the flat action encoding.
  static func sample(_ space: Space, into action: inout [Double], using random: RandomStream) {
    switch space {
    case .discrete(let n):
      action[0] = Double(random.uniformInt(below: n))
    case .box(let low, let high, _, _):
      for i in low.indices { action[i] = random.uniform(low: low[i], high: high[i]) }
    case .multiDiscrete(let nvec):
      for i in nvec.indices { action[i] = Double(random.uniformInt(below: nvec[i])) }
    case .multiBinary(let n):
      for i in 0..<n { action[i] = Double(random.uniformInt(below: 2)) }
    }
  }
}

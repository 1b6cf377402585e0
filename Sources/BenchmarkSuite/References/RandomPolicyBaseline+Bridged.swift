import Environments
import GymnasiumBridge
import Randomness

extension RandomPolicyBaseline {
  /// Plays a uniformly random policy on any environment name of ``EnvironmentCatalog``
  /// (`atari:<Game>`, `minatar:<Game>`, `gym:<id>`, or a native id) through one copy of its vector
  /// environment until `episodes` Monitor episodes have completed.
  ///
  /// ```
  /// aₜ ~ Uniform(action space)          from SeedSequence(runSeed: seed).stream(for: .actionSampling)
  /// the environment seeded by SeedSequence(runSeed: seed), as a run's copy 0
  /// meanReturn = (1/E) Σₑ Rₑ            Rₑ the Monitor's episode return (Atari: the full game,
  ///                                     unclipped, as the zoo scores it), E complete episodes
  /// ```
  /// The episode record is the Monitor's, so an Atari episode is a whole game across its lives.
  /// Bridged environments give the same numbers for the same seed (the bridge is seeded).
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` for fewer than 2 episodes,
  ///   ``BenchmarkError/unknownEnvironment(name:available:)`` for an unknown name, and
  ///   ``BenchmarkError/runFailed(run:reason:)`` when the environment fails.
  public static func measureVectorized(environment name: String, episodes: Int, seed: Int) throws(BenchmarkError)
    -> RandomPolicyBaseline
  {
    guard episodes >= 2 else {
      throw .invalidOption(name: "--episodes", value: "\(episodes)", allowed: "an integer ≥ 2")
    }
    let seeds = SeedSequence(runSeed: UInt64(seed))
    let environment: any VectorizedEnvironment
    do { environment = try ModelFactory.makeBaseEnvironment(name, count: 1, seeds: seeds) } catch let error
      as BenchmarkError
    {
      throw error
    } catch {
      throw .runFailed(run: "random-policy \(name)", reason: "\(error)")
    }
    if case .box(let low, let high, _, _) = environment.actionSpace, !(low + high).allSatisfy(\.isFinite) {
      throw .invalidOption(name: "environment", value: name, allowed: "an environment with a bounded action space")
    }
    let actions = seeds.stream(for: .actionSampling)
    var action = [Double](repeating: 0, count: environment.actionDimension)
    var returns: [Double] = []
    var totalLength = 0
    environment.reset()
    while returns.count < episodes {
      sample(environment.actionSpace, into: &action, using: actions)
      do { try environment.step(action) } catch {
        throw .runFailed(run: "random-policy \(name)", reason: "\(error)")
      }
      for episode in environment.completedEpisodes where returns.count < episodes {
        returns.append(episode.episodeReturn)
        totalLength += episode.length
      }
    }
    let n = Double(returns.count)
    let mean = returns.reduce(0, +) / n
    let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
    return RandomPolicyBaseline(
      environment: name, episodes: episodes, seed: seed, meanReturn: mean, standardDeviation: variance.squareRoot(),
      meanLength: Double(totalLength) / n)
  }
}

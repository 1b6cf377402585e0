import ActorCritic
import Environments
import Foundation
import Randomness

/// Evaluation after training, as rl-baselines-zoo's `benchmark.py`/`enjoy.py` did it
/// (published-numbers.md §1.1): one environment, the stochastic policy for A2C, ACKTR and ACER,
/// observation normalisation frozen at the training statistics, rewards unnormalised, and the
/// mean and population standard deviation of the complete episodes within the step budget.
/// Recurrent policies step with their state, reset at every episode start (as SB2's `predict` with
/// `state` and `mask`).
public enum Evaluation {
  /// Runs `timesteps` evaluation steps and summarises the complete episodes.
  ///
  /// - Parameter isCancelled: polled every 1,024 steps; when it returns true the evaluation
  ///   stops with ``EvaluationCancelled`` (a stop signal: the run is resumed later).
  /// - Parameter progress: called with the steps done at the start, every 1,024 steps and at the
  ///   end (`timesteps`).
  public static func run(
    model: any ActorCriticModel, entry: SuiteEntry, seed: Int, timesteps: Int, stochastic: Bool = true,
    isCancelled: () -> Bool = { false }, progress: (Int) -> Void = { _ in }
  ) throws -> EvaluationResult {
    let seeds = SeedSequence(runSeed: UInt64(seed) &+ 0x5EED_E7A1)
    let base = try ModelFactory.makeBaseEnvironment(entry.environment, count: 1, seeds: seeds)
    var environment: any VectorizedEnvironment = base
    if let statistics = model.environment?.normalizationStatistics {
      environment = try frozenNormalization(of: base, statistics: statistics)
    }
    let random = seeds.stream(for: .evaluation)
    environment.reset()
    var returns: [Double] = []
    var steps = 0
    var countedSteps = 0
    var stepsInEpisode = 0
    // A recurrent policy carries its state from step to step and resets it where an episode began.
    var state = model.policy.initialState(count: 1)
    var episodeBegan = [false]
    while steps < timesteps {
      if steps % 1024 == 0 {
        if isCancelled() { throw EvaluationCancelled() }
        progress(steps)
      }
      let actions: [Double]
      if model.policy.isRecurrent {
        (actions, state) = try model.policy.predict(
          observations: environment.observations, state: state, masks: episodeBegan, deterministic: !stochastic,
          random: random)
      } else {
        actions = try model.policy.predict(
          observations: environment.observations, deterministic: !stochastic, random: random)
      }
      try environment.step(actions)
      episodeBegan = environment.dones
      steps += 1
      stepsInEpisode += 1
      for episode in environment.completedEpisodes {
        returns.append(episode.episodeReturn)
        countedSteps += stepsInEpisode
        stepsInEpisode = 0
      }
    }
    progress(steps)
    let mean = returns.isEmpty ? Double.nan : returns.reduce(0, +) / Double(returns.count)
    let variance = returns.isEmpty ? Double.nan : returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count)
    return EvaluationResult(
      timesteps: countedSteps, episodes: returns.count, meanReturn: mean, standardDeviation: variance.squareRoot(),
      stochastic: stochastic)
  }
}

extension Evaluation {
  /// `environment` under SB2's `VecNormalize` with the saved `statistics`, frozen (`training`
  /// false) and rewards left raw: the policy sees observations as it did in training.
  /// - Throws: ``EnvironmentError`` when the statistics do not fit the observations.
  public static func frozenNormalization(
    of environment: any VectorizedEnvironment, statistics: NormalizationStatistics
  ) throws(EnvironmentError) -> NormalizedVectorEnvironment {
    let normalized = try NormalizedVectorEnvironment(
      wrapping: environment, configuration: NormalizationConfiguration(normalizeRewards: false), training: false)
    try normalized.loadStatistics(statistics)
    return normalized
  }
}

/// The evaluation was stopped by ``Evaluation/run(model:entry:seed:timesteps:stochastic:isCancelled:progress:)``'s
/// `isCancelled`.
public struct EvaluationCancelled: Error, Sendable {}

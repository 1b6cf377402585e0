/// One published score that `bench check` compares our runs with, with the protocol that
/// produced it.
///
/// The rl-baselines-zoo rows (published-numbers.md §1.2) are one trained agent per
/// (algorithm, environment), one training seed, evaluated with the stochastic policy over about
/// 150,000 steps:
/// ```
/// meanReturn        = (1/k) Σⱼ Rⱼ          over the k complete evaluation episodes
/// standardDeviation = √((1/k) Σⱼ (Rⱼ − meanReturn)²)      (NumPy std, population)
/// ```
/// The papers' rows (``PublishedResult+Papers``) are means over `trainingSeeds` runs of the
/// last 100 training episodes (``Measure/lastHundredTrainingEpisodes``), some read from a figure
/// (``derivation``), some for algorithms we do not implement (``algorithm`` nil: context only).
public struct PublishedResult: Codable, Sendable, Equatable {
  /// What a published number measures.
  public enum Measure: String, Codable, Sendable {
    /// The mean return of evaluation episodes after training (the zoo's `enjoy.py`).
    case evaluation
    /// The mean return of the last 100 training episodes at the end of the budget (the ACKTR and
    /// PPO papers' tables, the MinAtar paper's 100-episode moving average).
    case lastHundredTrainingEpisodes = "last 100 training episodes"
  }

  /// Our environment id, e.g. `Pendulum-v1`, `atari:Pong`.
  public var environment: String
  /// The environment id in the source, e.g. `Pendulum-v0`, `PongNoFrameskip-v4`.
  public var publishedEnvironment: String
  /// Our algorithm the number belongs to; nil for an algorithm we do not implement (DQN,
  /// AC(λ)), whose rows are shown beside ours for context and never tested.
  public var algorithm: AlgorithmID?
  /// The algorithm as the source names it (`A2C`, `DQN`, `AC(λ=0.8)`).
  public var publishedAlgorithm: String
  /// The published mean episode return.
  public var meanReturn: Double
  /// The published standard deviation of the episode returns (population); 0 when not published.
  public var standardDeviation: Double
  /// Evaluation steps of the published protocol (the zoo's `n_timesteps` column); 0 for a
  /// training measure.
  public var evaluationTimesteps: Int
  /// Complete evaluation episodes behind the mean (the zoo's `n_episodes` column); 0 for a
  /// training measure.
  public var episodes: Int
  /// The training budget of the published agent, in environment (agent) steps; Atari: 1 step =
  /// 4 frames.
  public var trainingTimesteps: Int
  /// Training seeds behind the number (the zoo: one agent, so 1).
  public var trainingSeeds: Int
  /// Whether the published evaluation sampled actions (the zoo: yes for A2C, ACER, ACKTR).
  public var stochasticEvaluation: Bool
  /// What the number measures.
  public var measure: Measure
  /// Empty when the number is printed in the source; otherwise how it was derived (e.g. "read
  /// from img/learning_curves.gif, ±2% of the axis range"). Derived numbers are shown, not tested.
  public var derivation: String
  /// The reference set, short (`rl-baselines-zoo`, `PPO paper Table 6`).
  public var label: String
  /// Where the number comes from: repository, path, commit.
  public var source: String
  /// Differences between the published setting and ours that a reader should weigh, or empty.
  public var caveat: String

  /// A published row; `publishedEnvironment` defaults to `environment`, `publishedAlgorithm` to
  /// the algorithm's display name.
  public init(
    environment: String, publishedEnvironment: String? = nil, algorithm: AlgorithmID?,
    publishedAlgorithm: String? = nil, meanReturn: Double, standardDeviation: Double = 0,
    evaluationTimesteps: Int = 0, episodes: Int = 0, trainingTimesteps: Int, trainingSeeds: Int = 1,
    stochasticEvaluation: Bool = true, measure: Measure = .evaluation, derivation: String = "",
    label: String = "rl-baselines-zoo", source: String, caveat: String = ""
  ) {
    self.environment = environment
    self.publishedEnvironment = publishedEnvironment ?? environment
    self.algorithm = algorithm
    self.publishedAlgorithm = publishedAlgorithm ?? algorithm?.displayName ?? "?"
    self.meanReturn = meanReturn
    self.standardDeviation = standardDeviation
    self.evaluationTimesteps = evaluationTimesteps
    self.episodes = episodes
    self.trainingTimesteps = trainingTimesteps
    self.trainingSeeds = trainingSeeds
    self.stochasticEvaluation = stochasticEvaluation
    self.measure = measure
    self.derivation = derivation
    self.label = label
    self.source = source
    self.caveat = caveat
  }

  /// The protocol in words, e.g. "evaluation (stochastic policy, ≈150k steps) after 10M training
  /// steps, 1 agent" or "last 100 training episodes after 10M training steps, mean of 3 seeds".
  public var protocolText: String {
    let measured: String
    switch measure {
    case .evaluation:
      measured =
        "evaluation (\(stochasticEvaluation ? "stochastic" : "deterministic") policy, "
        + "≈\(Format.steps(evaluationTimesteps)) steps)"
    case .lastHundredTrainingEpisodes:
      measured = "last 100 training episodes"
    }
    return measured + " after \(Format.steps(trainingTimesteps)) training steps, "
      + (trainingSeeds == 1 ? "1 agent" : "mean of \(trainingSeeds) seeds")
  }

  /// The standard error of the published mean as an estimate of that agent's expected return.
  ///
  /// ```
  /// SE = standardDeviation / √episodes
  /// ```
  /// Episodes of one evaluation run are treated as independent draws (they are: every episode
  /// starts from a fresh random initial state).
  public var standardError: Double {
    episodes > 0 ? standardDeviation / Double(episodes).squareRoot() : 0
  }
}

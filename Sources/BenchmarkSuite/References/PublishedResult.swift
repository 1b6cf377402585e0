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
public struct PublishedResult: Codable, Sendable, Equatable {
  /// Our environment id (Gymnasium), e.g. `Pendulum-v1`.
  public var environment: String
  /// The environment id in the source, e.g. `Pendulum-v0`.
  public var publishedEnvironment: String
  /// The algorithm.
  public var algorithm: AlgorithmID
  /// The published mean episode return.
  public var meanReturn: Double
  /// The published standard deviation of the episode returns (population).
  public var standardDeviation: Double
  /// Evaluation steps of the published protocol (the zoo's `n_timesteps` column).
  public var evaluationTimesteps: Int
  /// Complete evaluation episodes behind the mean (the zoo's `n_episodes` column).
  public var episodes: Int
  /// The training budget of the published agent, in environment steps.
  public var trainingTimesteps: Int
  /// Training seeds behind the number (the zoo: one agent, so 1).
  public var trainingSeeds: Int
  /// Whether the published evaluation sampled actions (the zoo: yes for A2C, ACER, ACKTR).
  public var stochasticEvaluation: Bool
  /// Where the number comes from: repository, path, commit.
  public var source: String
  /// Differences between the published setting and ours that a reader should weigh, or empty.
  public var caveat: String

  /// A published row; `publishedEnvironment` defaults to `environment`.
  public init(
    environment: String, publishedEnvironment: String? = nil, algorithm: AlgorithmID, meanReturn: Double,
    standardDeviation: Double, evaluationTimesteps: Int, episodes: Int, trainingTimesteps: Int,
    trainingSeeds: Int = 1, stochasticEvaluation: Bool = true, source: String, caveat: String = ""
  ) {
    self.environment = environment
    self.publishedEnvironment = publishedEnvironment ?? environment
    self.algorithm = algorithm
    self.meanReturn = meanReturn
    self.standardDeviation = standardDeviation
    self.evaluationTimesteps = evaluationTimesteps
    self.episodes = episodes
    self.trainingTimesteps = trainingTimesteps
    self.trainingSeeds = trainingSeeds
    self.stochasticEvaluation = stochasticEvaluation
    self.source = source
    self.caveat = caveat
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

/// One (environment, algorithm) cell of a suite with the settings it is trained with.
///
/// `hyperparameters` overrides the algorithm's stable-baselines defaults by SB2 name
/// (`ent_coef`, `n_steps`, `learning_rate`, `lr_schedule`, `gamma`, …), exactly as the
/// rl-baselines-zoo YAML files do (published-numbers.md §1.3).
public struct SuiteEntry: Codable, Sendable, Equatable {
  /// Gymnasium id, e.g. `CartPole-v1`.
  public var environment: String
  /// The algorithm.
  public var algorithm: AlgorithmID
  /// Parallel environments (zoo `n_envs`).
  public var environmentCount: Int
  /// Training budget in environment steps (zoo `n_timesteps`).
  public var timesteps: Int
  /// Whether observations and rewards are normalised (zoo `normalize: true`, SB2 VecNormalize).
  public var normalize: Bool
  /// Overrides of the SB2 defaults, by SB2 name.
  public var hyperparameters: [String: HyperparameterValue]
  /// Evaluation budget after training, in environment steps (zoo: ≈150,000; 0 disables).
  public var evaluationTimesteps: Int
  /// Where these settings come from.
  public var source: String

  public init(
    environment: String, algorithm: AlgorithmID, environmentCount: Int, timesteps: Int, normalize: Bool = false,
    hyperparameters: [String: HyperparameterValue] = [:], evaluationTimesteps: Int = 150_000, source: String
  ) {
    self.environment = environment
    self.algorithm = algorithm
    self.environmentCount = environmentCount
    self.timesteps = timesteps
    self.normalize = normalize
    self.hyperparameters = hyperparameters
    self.evaluationTimesteps = evaluationTimesteps
    self.source = source
  }
}

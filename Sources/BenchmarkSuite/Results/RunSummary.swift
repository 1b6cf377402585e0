import GymnasiumBridge

/// The final scores of one run (`summary.json`): a pure function of the run, so a reproduction writes
/// the same bytes. Wall-clock measurements are in ``RunTiming`` (`timing.json`).
public struct RunSummary: Codable, Sendable, Equatable {
  /// The run.
  public var run: RunSpec
  /// Environment steps trained.
  public var timesteps: Int
  /// Completed training episodes.
  public var trainingEpisodes: Int
  /// Mean return of the last 100 training episodes (the PPO/ACKTR papers' measure).
  public var lastHundredMeanReturn: Double
  /// Evaluation after training (zoo protocol: stochastic policy, normalisation frozen).
  public var evaluation: EvaluationResult?
  /// The resolved hyperparameters (SB2 names).
  public var hyperparameters: [String: HyperparameterValue]
  /// Every restart of a Gymnasium bridge worker during training (`nil`, and absent from
  /// `summary.json`, for native environments; empty for a bridged run without faults, so such a
  /// run still writes the same bytes every time).
  public var workerRestarts: [WorkerRestart]?

  public init(
    run: RunSpec, timesteps: Int, trainingEpisodes: Int, lastHundredMeanReturn: Double,
    evaluation: EvaluationResult?,
    hyperparameters: [String: HyperparameterValue]
  ) {
    self.run = run
    self.timesteps = timesteps
    self.trainingEpisodes = trainingEpisodes
    self.lastHundredMeanReturn = lastHundredMeanReturn
    self.evaluation = evaluation
    self.hyperparameters = hyperparameters
  }
}

/// Evaluation episodes after training.
public struct EvaluationResult: Codable, Sendable, Equatable {
  /// Steps evaluated (complete episodes only are counted).
  public var timesteps: Int
  /// Complete episodes.
  public var episodes: Int
  /// Mean return.
  public var meanReturn: Double
  /// Population standard deviation of the returns (NumPy's `std`, as the zoo reports).
  public var standardDeviation: Double
  /// Whether actions were sampled (the zoo evaluates A2C, ACKTR and ACER stochastically).
  public var stochastic: Bool

  public init(timesteps: Int, episodes: Int, meanReturn: Double, standardDeviation: Double, stochastic: Bool) {
    self.timesteps = timesteps
    self.episodes = episodes
    self.meanReturn = meanReturn
    self.standardDeviation = standardDeviation
    self.stochastic = stochastic
  }
}

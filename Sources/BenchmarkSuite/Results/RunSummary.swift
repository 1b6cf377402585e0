import ActorCritic
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
  /// Mean return of the last 100 training episodes (the PPO/ACKTR papers' measure), leaving out
  /// episodes a bridge worker restart cut short (marked `interrupted` in `episodes.csv`).
  public var lastHundredMeanReturn: Double
  /// Evaluation after training (zoo protocol: stochastic policy, normalisation frozen).
  public var evaluation: EvaluationResult?
  /// The resolved hyperparameters (SB2 names).
  public var hyperparameters: [String: HyperparameterValue]
  /// Every restart of a Gymnasium bridge worker during training (`nil`, and absent from
  /// `summary.json`, for native environments; empty for a bridged run without faults, so such a
  /// run still writes the same bytes every time).
  public var workerRestarts: [WorkerRestart]?
  /// Resumes from a checkpoint whose environment state could not be captured, so that every
  /// episode in progress restarted: the run is then not bit-identical to an uninterrupted one.
  /// Absent (never `[]`) when every resume was exact, so exact runs keep their bytes.
  public var episodeRestarts: [EpisodeRestart]? = nil

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

extension RunSummary {
  /// The mean return of the last 100 whole training episodes (NaN without one): an episode a
  /// bridge worker restart cut short stays in `episodes.csv`, marked, but is not a game played to
  /// its end and is left out. Deviation: stable-baselines has no worker restarts; its Monitor's
  /// last 100 episodes are all whole.
  public static func lastHundredMean(of episodes: [EpisodeSummary]) -> Double {
    let tail = episodes.filter { !$0.interrupted }.suffix(100)
    return tail.isEmpty ? .nan : tail.reduce(0) { $0 + $1.episodeReturn } / Double(tail.count)
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

/// One resume that restarted the episodes in progress (``RunSummary/episodeRestarts``).
public struct EpisodeRestart: Codable, Sendable, Equatable {
  /// Environment steps trained when the checkpoint was taken.
  public var timesteps: Int
  /// Updates done when the checkpoint was taken.
  public var update: Int
  /// Why the environment's state could not be captured.
  public var reason: String

  public init(timesteps: Int, update: Int, reason: String) {
    self.timesteps = timesteps
    self.update = update
    self.reason = reason
  }
}

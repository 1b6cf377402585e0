import Environments
/// The metrics of one gradient update, with stable-baselines' logged names in the doc comments.
public struct UpdateMetrics: Sendable, Codable, Equatable {
  /// Update index in the current `learn` call (`nupdates`).
  public var update: Int
  /// Environment steps so far (`total_timesteps`).
  public var timesteps: Int
  /// The learning rate used.
  public var learningRate: Double
  /// The policy loss as stable-baselines logs it (`policy_loss`): `mean(A · −log π)` for A2C; the
  /// truncated plus bias-correction terms for ACER; `mean(A · −log π) − ent_coef · mean(H)` for ACKTR.
  public var policyLoss: Double
  /// The value (or Q) loss (`value_loss`).
  public var valueLoss: Double
  /// Mean policy entropy (`policy_entropy`).
  public var entropy: Double
  /// Explained variance of the value predictions (`explained_variance`).
  public var explainedVariance: Double
  /// Global gradient norm before clipping.
  public var gradientNorm: Double
  /// Environment steps per second since the start of `learn` (`fps`).
  public var stepsPerSecond: Double
  /// Mean return of the last 100 completed episodes (`ep_reward_mean`), NaN before any.
  public var meanEpisodeReturn: Double
  /// Mean length of the last 100 completed episodes (`ep_len_mean`), NaN before any.
  public var meanEpisodeLength: Double
  /// Algorithm-specific extras (e.g. ACKTR's trust-region scale, ACER's average KL).
  public var extras: [String: Double]

  public init(
    update: Int, timesteps: Int, learningRate: Double, policyLoss: Double, valueLoss: Double,
    entropy: Double, explainedVariance: Double, gradientNorm: Double, stepsPerSecond: Double = .nan,
    meanEpisodeReturn: Double = .nan, meanEpisodeLength: Double = .nan, extras: [String: Double] = [:]
  ) {
    self.update = update
    self.timesteps = timesteps
    self.learningRate = learningRate
    self.policyLoss = policyLoss
    self.valueLoss = valueLoss
    self.entropy = entropy
    self.explainedVariance = explainedVariance
    self.gradientNorm = gradientNorm
    self.stepsPerSecond = stepsPerSecond
    self.meanEpisodeReturn = meanEpisodeReturn
    self.meanEpisodeLength = meanEpisodeLength
    self.extras = extras
  }

  /// Whether every loss is finite; a non-finite loss stops training with ``TrainingError``.
  public var isFinite: Bool {
    policyLoss.isFinite && valueLoss.isFinite && entropy.isFinite && gradientNorm.isFinite
  }
}

/// One completed training episode.
public struct EpisodeSummary: Sendable, Codable, Equatable {
  /// Environment steps (all envs) when the episode ended.
  public var timesteps: Int
  /// The undiscounted, unnormalised return.
  public var episodeReturn: Double
  /// The number of steps.
  public var length: Int
  /// Which environment of the vector it ran in.
  public var environmentIndex: Int
  /// Whether the episode was cut short by a restart of the process hosting its environment
  /// (``EpisodeRecord/interrupted``).
  public var interrupted: Bool

  public init(timesteps: Int, episodeReturn: Double, length: Int, environmentIndex: Int, interrupted: Bool = false) {
    self.timesteps = timesteps
    self.episodeReturn = episodeReturn
    self.length = length
    self.environmentIndex = environmentIndex
    self.interrupted = interrupted
  }

  private enum CodingKeys: String, CodingKey { case timesteps, episodeReturn, length, environmentIndex, interrupted }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    timesteps = try c.decode(Int.self, forKey: .timesteps)
    episodeReturn = try c.decode(Double.self, forKey: .episodeReturn)
    length = try c.decode(Int.self, forKey: .length)
    environmentIndex = try c.decode(Int.self, forKey: .environmentIndex)
    interrupted = try c.decodeIfPresent(Bool.self, forKey: .interrupted) ?? false
  }

  /// Encodes `interrupted` only when set, so episodes of native environments encode as before.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(timesteps, forKey: .timesteps)
    try c.encode(episodeReturn, forKey: .episodeReturn)
    try c.encode(length, forKey: .length)
    try c.encode(environmentIndex, forKey: .environmentIndex)
    if interrupted { try c.encode(interrupted, forKey: .interrupted) }
  }
}

/// Training stopped because a quantity stopped being finite; what was done before is kept.
public enum TrainingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A loss or gradient norm became NaN or infinite at `update`.
  case nonFinite(quantity: String, update: Int, timesteps: Int)
  /// `learn` was called on a model that has no environment (e.g. loaded without one).
  case noEnvironment
  /// The environment refused a step (e.g. an action outside its space); the rollout in progress
  /// is dropped and the parameters of the last update are kept.
  case environment(EnvironmentError)

  public var description: String {
    switch self {
    case .nonFinite(let quantity, let update, let timesteps):
      return "training stopped: \(quantity) became non-finite at update \(update) (\(timesteps) steps); "
        + "everything up to the previous update is kept"
    case .noEnvironment:
      return "this model has no environment: pass one with setEnvironment(_:) before learn"
    case .environment(let error):
      return "training stopped: the environment refused a step: \(error)"
    }
  }
}

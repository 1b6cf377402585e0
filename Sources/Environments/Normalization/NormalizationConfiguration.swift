/// The settings of SB2's `VecNormalize`, with SB2's defaults.
///
/// ```
/// obs'    = clip((obs − μ_obs) / √(σ²_obs + ε), −clipObservation, clipObservation)
/// ret     = γ·ret + reward;    reward' = clip(reward / √(σ²_ret + ε), −clipReward, clipReward)
/// ```
public struct NormalizationConfiguration: Codable, Equatable, Hashable, Sendable {
  /// Normalise observations (SB2 `norm_obs`, default true).
  public var normalizeObservations: Bool
  /// Normalise rewards by the running standard deviation of the discounted return (SB2
  /// `norm_reward`, default true).
  public var normalizeRewards: Bool
  /// Bound on the absolute value of a normalised observation (SB2 `clip_obs`, default 10).
  public var clipObservation: Double
  /// Bound on the absolute value of a normalised reward (SB2 `clip_reward`, default 10).
  public var clipReward: Double
  /// Discount of the running return whose variance scales rewards (SB2 `gamma`, default 0.99).
  public var gamma: Double
  /// Added to the variances before the square root (SB2 `epsilon`, default 1e-8).
  public var epsilon: Double

  /// Creates a configuration; every argument defaults to SB2's value.
  public init(
    normalizeObservations: Bool = true, normalizeRewards: Bool = true, clipObservation: Double = 10,
    clipReward: Double = 10, gamma: Double = 0.99, epsilon: Double = 1e-8
  ) {
    self.normalizeObservations = normalizeObservations
    self.normalizeRewards = normalizeRewards
    self.clipObservation = clipObservation
    self.clipReward = clipReward
    self.gamma = gamma
    self.epsilon = epsilon
  }

  /// Checks the ranges: clips > 0, `0 ≤ gamma ≤ 1`, `epsilon ≥ 0`, all finite.
  ///
  /// Throws ``EnvironmentError/invalidNormalization(field:reason:)`` naming the field.
  public func validate() throws(EnvironmentError) {
    if !(clipObservation > 0 && clipObservation.isFinite) {
      throw .invalidNormalization(
        field: "clipObservation", reason: "must be finite and > 0, got \(clipObservation)")
    }
    if !(clipReward > 0 && clipReward.isFinite) {
      throw .invalidNormalization(field: "clipReward", reason: "must be finite and > 0, got \(clipReward)")
    }
    if !(gamma >= 0 && gamma <= 1) {
      throw .invalidNormalization(field: "gamma", reason: "must be in [0, 1], got \(gamma)")
    }
    if !(epsilon >= 0 && epsilon.isFinite) {
      throw .invalidNormalization(field: "epsilon", reason: "must be finite and ≥ 0, got \(epsilon)")
    }
  }
}

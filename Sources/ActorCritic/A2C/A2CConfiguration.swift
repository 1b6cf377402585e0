import NeuralNetwork

/// Every hyperparameter of stable-baselines 2's `A2C`, with its SB2 default (algorithms.md §2.1).
///
/// Stored (and saved) under the SB2 names, so a model file's `configuration` reads like SB2's
/// `data` dictionary.
public struct A2CConfiguration: Codable, Sendable, Equatable {
  /// Discount factor γ (SB2 `gamma`, 0.99).
  public var discount: Double = 0.99
  /// Steps per environment per update, T (SB2 `n_steps`, 5).
  public var stepsPerUpdate: Int = 5
  /// Value-loss coefficient (SB2 `vf_coef`, 0.25; OpenAI baselines uses 0.5).
  public var valueCoefficient: Double = 0.25
  /// Entropy coefficient (SB2 `ent_coef`, 0.01).
  public var entropyCoefficient: Double = 0.01
  /// Global gradient-norm clip (SB2 `max_grad_norm`, 0.5).
  public var maxGradientNorm: Double = 0.5
  /// Initial learning rate η₀ (SB2 `learning_rate`, 7e-4).
  public var learningRate: Double = 7e-4
  /// RMSProp decay ρ (SB2 `alpha`, 0.99).
  public var rmsPropDecay: Double = 0.99
  /// RMSProp momentum (SB2 `momentum`, 0).
  public var rmsPropMomentum: Double = 0
  /// RMSProp ε, inside the square root (SB2 `epsilon`, 1e-5).
  public var rmsPropEpsilon: Double = 1e-5
  /// Which RMSProp to reproduce (TensorFlow's, as SB2).
  public var rmsPropVariant: RMSProp.Variant = .tensorFlow
  /// Learning-rate schedule (SB2 `lr_schedule`, `constant`; OpenAI baselines uses `linear`).
  public var learningRateSchedule: LearningRateSchedule = .constant
  /// Policy network (SB2 `policy_kwargs.net_arch`; `MlpPolicy` default).
  public var networkArchitecture: NetworkArchitecture = .stableBaselines
  /// 0 silent, 1 prints SB2's training table every `logInterval` updates (SB2 `verbose`).
  public var verbose: Int = 0

  /// stable-baselines 2 defaults.
  public init() {}

  /// OpenAI baselines' `a2c.learn` defaults: `vf_coef` 0.5, linear schedule, shared 64-64 trunk.
  public static var openAIBaselines: A2CConfiguration {
    var c = A2CConfiguration()
    c.valueCoefficient = 0.5
    c.learningRateSchedule = .linear
    c.networkArchitecture = .openAIBaselinesShared
    return c
  }

  /// Checks every field; the error names the field and the allowed range.
  public func validate() throws(ConfigurationError) {
    try require(discount >= 0 && discount <= 1, "gamma", discount, "0 ≤ gamma ≤ 1")
    try require(stepsPerUpdate >= 1, "n_steps", stepsPerUpdate, "n_steps ≥ 1")
    try require(valueCoefficient >= 0 && valueCoefficient.isFinite, "vf_coef", valueCoefficient, "vf_coef ≥ 0")
    try require(entropyCoefficient >= 0 && entropyCoefficient.isFinite, "ent_coef", entropyCoefficient, "ent_coef ≥ 0")
    try require(maxGradientNorm > 0 && maxGradientNorm.isFinite, "max_grad_norm", maxGradientNorm, "max_grad_norm > 0")
    try require(learningRate >= 0 && learningRate.isFinite, "learning_rate", learningRate, "learning_rate ≥ 0")
    try require(rmsPropDecay >= 0 && rmsPropDecay < 1, "alpha", rmsPropDecay, "0 ≤ alpha < 1")
    try require(rmsPropMomentum >= 0 && rmsPropMomentum < 1, "momentum", rmsPropMomentum, "0 ≤ momentum < 1")
    try require(rmsPropEpsilon > 0 && rmsPropEpsilon.isFinite, "epsilon", rmsPropEpsilon, "epsilon > 0")
    try require(verbose >= 0, "verbose", verbose, "verbose ≥ 0")
    try networkArchitecture.validate()
  }

  enum CodingKeys: String, CodingKey {
    case discount = "gamma"
    case stepsPerUpdate = "n_steps"
    case valueCoefficient = "vf_coef"
    case entropyCoefficient = "ent_coef"
    case maxGradientNorm = "max_grad_norm"
    case learningRate = "learning_rate"
    case rmsPropDecay = "alpha"
    case rmsPropMomentum = "momentum"
    case rmsPropEpsilon = "epsilon"
    case rmsPropVariant = "rmsprop_variant"
    case learningRateSchedule = "lr_schedule"
    case networkArchitecture = "net_arch"
    case verbose
  }
}

/// Throws ``ConfigurationError/invalidValue(field:value:allowed:)`` unless `condition` holds.
func require<T>(_ condition: Bool, _ field: String, _ value: T, _ allowed: String) throws(ConfigurationError) {
  if !condition { throw .invalidValue(field: field, value: "\(value)", allowed: allowed) }
}

import Foundation
import NeuralNetwork

/// Every hyperparameter of stable-baselines 2's `ACER`, with its SB2 default (algorithms.md §4.1).
///
/// Stored (and saved) under the SB2 names. Unlike SB2's `save()`, every field is saved, including
/// `buffer_size`, `correction_term`, `trust_region`, `alpha` and `delta` (algorithms.md §4.8).
/// Note that `alpha` is the decay of the average policy here, not RMSProp's (that is `rprop_alpha`).
public struct ACERConfiguration: Codable, Sendable, Equatable {
  /// How the entropy bonus enters the update (algorithms.md §4.6–4.7).
  public enum EntropyVariant: String, Codable, Sendable, CaseIterable {
    /// stable-baselines 2: `entropy = Σ H(logits)` over all `E·(T+1)` rows. It is computed from
    /// the logits, not from the probabilities `f` the trust-region gradient is taken against, so
    /// with `trust_region` (the default) **it has no effect on training**; without the trust
    /// region it is a sum, `E·(T+1)` times stronger than a mean.
    case stableBaselines = "stable_baselines"
    /// OpenAI baselines: `entropy = mean_t[−Σ_a f log(f + 1e-6)]` over the `E·T` training rows,
    /// computed from `f`, so it is part of the trust-region gradient `g`.
    case openAIBaselines = "openai_baselines"
  }

  /// Discount factor γ (SB2 `gamma`, 0.99).
  public var discount: Double = 0.99
  /// Steps per environment per rollout, T (SB2 `n_steps`, 20).
  public var stepsPerUpdate: Int = 20
  /// Weight of the Q loss (SB2 `q_coef`, 0.5).
  public var qCoefficient: Double = 0.5
  /// Entropy coefficient (SB2 `ent_coef`, 0.01); see ``EntropyVariant`` for when it acts.
  public var entropyCoefficient: Double = 0.01
  /// Global gradient-norm clip (SB2 `max_grad_norm`, 10).
  public var maxGradientNorm: Double = 10
  /// Initial learning rate η₀ (SB2 `learning_rate`, 7e-4).
  public var learningRate: Double = 7e-4
  /// Learning-rate schedule, stepped by `num_timesteps` (SB2 `lr_schedule`, `linear`).
  public var learningRateSchedule: LearningRateSchedule = .linear
  /// RMSProp decay ρ (SB2 `rprop_alpha`, 0.99).
  public var rmsPropDecay: Double = 0.99
  /// RMSProp ε, inside the square root (SB2 `rprop_epsilon`, 1e-5).
  public var rmsPropEpsilon: Double = 1e-5
  /// Which RMSProp to reproduce (TensorFlow's, as SB2).
  public var rmsPropVariant: RMSProp.Variant = .tensorFlow
  /// Replay capacity in steps per environment; the ring has `buffer_size // n_steps` rollouts
  /// (SB2 `buffer_size`, 5000; OpenAI baselines 50000).
  public var bufferSize: Int = 5000
  /// Mean number of replay updates per on-policy update, drawn from a Poisson distribution
  /// (SB2 `replay_ratio`, 4); 0 disables replay.
  public var replayRatio: Double = 4
  /// Steps per environment in the buffer before replay starts (SB2 `replay_start`, 1000; OpenAI
  /// baselines 10000).
  public var replayStart: Int = 1000
  /// Importance-weight truncation `c` (SB2 `correction_term`, 10).
  public var correctionTerm: Double = 10
  /// Use the efficient trust-region step (SB2 `trust_region`, true).
  public var trustRegion: Bool = true
  /// Decay of the average policy's moving average (SB2 `alpha`, 0.99).
  public var averageDecay: Double = 0.99
  /// Trust-region size δ (SB2 `delta`, 1).
  public var delta: Double = 1
  /// Entropy handling (stable-baselines 2 by default).
  public var entropyVariant: EntropyVariant = .stableBaselines
  /// Recurrent policies: the LSTM state each training segment (on-policy or replayed) is unrolled
  /// from; `nil` means ``LSTMTrainingState/zero``, stable-baselines 2's behaviour.
  public var lstmTrainingState: LSTMTrainingState? = nil

  /// Where ACER's recurrent training unrolls start (algorithms.md §4.3).
  public enum LSTMTrainingState: String, Codable, Sendable, CaseIterable {
    /// stable-baselines 2 and OpenAI baselines: every segment from `initial_state` (zeros), with the
    /// stored masks resetting it at episode starts.
    case zero
    /// The state the rollout was collected with at the segment's start, kept in the replay buffer
    /// (truncated backpropagation from the true state, as A2C's update does).
    case stored
  }
  /// Policy network (SB2 `policy_kwargs.net_arch`; `MlpPolicy` default).
  public var networkArchitecture: NetworkArchitecture = .stableBaselines
  /// 0 silent, 1 prints the training table every `logInterval` on-policy updates (SB2 `verbose`).
  public var verbose: Int = 0

  /// stable-baselines 2 defaults.
  public init() {}

  /// OpenAI baselines' `acer.learn` defaults: a 50000-step buffer, replay from 10000 steps, the
  /// entropy taken from `f` (and so inside the trust region), a shared 64-64 trunk.
  public static var openAIBaselines: ACERConfiguration {
    var c = ACERConfiguration()
    c.bufferSize = 50_000
    c.replayStart = 10_000
    c.entropyVariant = .openAIBaselines
    c.networkArchitecture = .openAIBaselinesShared
    return c
  }

  /// Checks every field; the error names the field and the allowed range.
  public func validate() throws(ConfigurationError) {
    try require(discount >= 0 && discount <= 1, "gamma", discount, "0 ≤ gamma ≤ 1")
    try require(stepsPerUpdate >= 1, "n_steps", stepsPerUpdate, "n_steps ≥ 1")
    try require(qCoefficient >= 0 && qCoefficient.isFinite, "q_coef", qCoefficient, "q_coef ≥ 0")
    try require(
      entropyCoefficient >= 0 && entropyCoefficient.isFinite, "ent_coef", entropyCoefficient, "ent_coef ≥ 0")
    try require(
      maxGradientNorm > 0 && maxGradientNorm.isFinite, "max_grad_norm", maxGradientNorm, "max_grad_norm > 0")
    try require(
      learningRate >= 0 && learningRate.isFinite, "learning_rate", learningRate, "learning_rate ≥ 0")
    try require(rmsPropDecay >= 0 && rmsPropDecay < 1, "rprop_alpha", rmsPropDecay, "0 ≤ rprop_alpha < 1")
    try require(
      rmsPropEpsilon > 0 && rmsPropEpsilon.isFinite, "rprop_epsilon", rmsPropEpsilon, "rprop_epsilon > 0")
    try require(replayRatio >= 0 && replayRatio <= 1e6, "replay_ratio", replayRatio, "0 ≤ replay_ratio ≤ 1e6")
    if replayRatio > 0 {
      try require(
        bufferSize >= stepsPerUpdate, "buffer_size", bufferSize,
        "buffer_size ≥ n_steps (\(stepsPerUpdate)) when replay_ratio > 0 "
          + "(the buffer holds buffer_size // n_steps rollouts)")
    } else {
      try require(bufferSize >= 0, "buffer_size", bufferSize, "buffer_size ≥ 0")
    }
    try require(replayStart >= 0, "replay_start", replayStart, "replay_start ≥ 0")
    try require(
      correctionTerm > 0 && correctionTerm.isFinite, "correction_term", correctionTerm, "correction_term > 0")
    try require(averageDecay >= 0 && averageDecay <= 1, "alpha", averageDecay, "0 ≤ alpha ≤ 1")
    try require(delta >= 0 && delta.isFinite, "delta", delta, "delta ≥ 0")
    try require(verbose >= 0, "verbose", verbose, "verbose ≥ 0")
    try networkArchitecture.validate()
  }

  enum CodingKeys: String, CodingKey {
    case discount = "gamma"
    case stepsPerUpdate = "n_steps"
    case qCoefficient = "q_coef"
    case entropyCoefficient = "ent_coef"
    case maxGradientNorm = "max_grad_norm"
    case learningRate = "learning_rate"
    case learningRateSchedule = "lr_schedule"
    case rmsPropDecay = "rprop_alpha"
    case rmsPropEpsilon = "rprop_epsilon"
    case rmsPropVariant = "rmsprop_variant"
    case bufferSize = "buffer_size"
    case replayRatio = "replay_ratio"
    case replayStart = "replay_start"
    case correctionTerm = "correction_term"
    case trustRegion = "trust_region"
    case averageDecay = "alpha"
    case delta
    case entropyVariant = "entropy_variant"
    case lstmTrainingState = "lstm_training_state"
    case networkArchitecture = "net_arch"
    case verbose
  }
}

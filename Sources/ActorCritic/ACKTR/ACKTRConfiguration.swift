import NeuralNetwork

/// Every hyperparameter of stable-baselines 2's `ACKTR`, with its SB2 default (algorithms.md §3.1).
public struct ACKTRConfiguration: Codable, Sendable, Equatable {
  /// Discount factor γ (SB2 `gamma`, 0.99).
  public var discount: Double = 0.99
  /// Steps per environment per update, T (SB2 `n_steps`, 20).
  public var stepsPerUpdate: Int = 20
  /// Entropy coefficient (SB2 `ent_coef`, 0.01).
  public var entropyCoefficient: Double = 0.01
  /// Value-loss coefficient (SB2 `vf_coef`, 0.25).
  public var valueCoefficient: Double = 0.25
  /// Weight of the value output's sampled Fisher, `c` in `2c·n` (SB2 `vf_fisher_coef`, 1.0).
  public var valueFisherCoefficient: Double = 1.0
  /// Learning rate η₀ (SB2 `learning_rate`, 0.25): scales the K-FAC momentum step η(1−μ), the
  /// trust-region quadratic η², and the cold-start SGD step (algorithms.md §3.5).
  public var learningRate: Double = 0.25
  /// Gradient-norm clip of the cold-start steps only (SB2 `max_grad_norm`, 0.5).
  public var maxGradientNorm: Double = 0.5
  /// KL trust-region size κ (SB2 `kfac_clip`, 0.001).
  public var kfacClip: Double = 0.001
  /// Learning-rate schedule (SB2 `lr_schedule`, `linear`).
  public var learningRateSchedule: LearningRateSchedule = .linear
  /// Run the eigendecomposition one update stale, as the asynchronous reference (SB2
  /// `async_eigen_decomp`, false); emulated deterministically.
  public var asyncEigenDecomposition: Bool = false
  /// With `async_eigen_decomp`: updates between starting a decomposition and using it (1: the
  /// reference's best case; larger for factors whose decomposition takes several updates, see
  /// ``KFAC/Configuration/asyncEigenDecompositionLag``). Ours; stable-baselines has no such knob.
  public var asyncEigenDecompositionLag: Int = 1
  /// The factors' eigendecomposition precision (`double`, or `single` as the reference's float32
  /// TensorFlow op; ≈2.3× faster on nature_cnn's 3136-wide factor). Ours; written only when set.
  public var eigenSolver: KFAC.EigenSolver = .double
  /// Eigendecomposition every N statistics updates (SB2 `kfac_update`, 1).
  public var kfacUpdate: Int = 1
  /// GAE λ; `nil` uses plain n-step returns (SB2 `gae_lambda`, None).
  public var gaeLambda: Double? = nil
  /// K-FAC momentum μ (0.9).
  public var momentum: Double = 0.9
  /// Damping ε added to the Kronecker eigenvalue products (SB2 `epsilon`, 0.01).
  public var damping: Double = 0.01
  /// Running-statistics decay (0.99).
  public var statisticsDecay: Double = 0.99
  /// Cold-start updates and statistics-averaging window (10).
  public var coldIterations: Int = 10
  /// Policy network (SB2 `policy_kwargs.net_arch`; `MlpPolicy` default).
  public var networkArchitecture: NetworkArchitecture = .stableBaselines
  /// 0 silent, 1 prints the training table every `logInterval` updates (SB2 `verbose`).
  public var verbose: Int = 0

  /// stable-baselines 2 defaults.
  public init() {}

  /// Checks every field; the error names the field and the allowed range.
  public func validate() throws(ConfigurationError) {
    try require(discount >= 0 && discount <= 1, "gamma", discount, "0 ≤ gamma ≤ 1")
    try require(stepsPerUpdate >= 1, "n_steps", stepsPerUpdate, "n_steps ≥ 1")
    try require(entropyCoefficient >= 0 && entropyCoefficient.isFinite, "ent_coef", entropyCoefficient, "ent_coef ≥ 0")
    try require(valueCoefficient >= 0 && valueCoefficient.isFinite, "vf_coef", valueCoefficient, "vf_coef ≥ 0")
    try require(
      valueFisherCoefficient >= 0 && valueFisherCoefficient.isFinite, "vf_fisher_coef", valueFisherCoefficient,
      "vf_fisher_coef ≥ 0")
    try require(learningRate >= 0 && learningRate.isFinite, "learning_rate", learningRate, "learning_rate ≥ 0")
    try require(maxGradientNorm > 0 && maxGradientNorm.isFinite, "max_grad_norm", maxGradientNorm, "max_grad_norm > 0")
    try require(kfacClip > 0 && kfacClip.isFinite, "kfac_clip", kfacClip, "kfac_clip > 0")
    try require(kfacUpdate >= 1, "kfac_update", kfacUpdate, "kfac_update ≥ 1")
    try require(
      asyncEigenDecompositionLag >= 1 && asyncEigenDecompositionLag <= 1_000_000, "async_eigen_decomp_lag",
      asyncEigenDecompositionLag, "1 ≤ async_eigen_decomp_lag ≤ 1000000")
    if let gaeLambda { try require(gaeLambda >= 0 && gaeLambda <= 1, "gae_lambda", gaeLambda, "0 ≤ gae_lambda ≤ 1") }
    try require(momentum >= 0 && momentum < 1, "momentum", momentum, "0 ≤ momentum < 1")
    try require(damping >= 0 && damping.isFinite, "epsilon", damping, "epsilon ≥ 0")
    try require(statisticsDecay >= 0 && statisticsDecay < 1, "stats_decay", statisticsDecay, "0 ≤ stats_decay < 1")
    try require(coldIterations >= 1, "cold_iter", coldIterations, "cold_iter ≥ 1")
    try require(verbose >= 0, "verbose", verbose, "verbose ≥ 0")
    try networkArchitecture.validate()
  }

  /// The K-FAC optimiser settings these hyperparameters imply.
  var kfac: KFAC.Configuration {
    var c = KFAC.Configuration.reference
    c.momentum = momentum
    c.clipKL = kfacClip
    c.damping = damping
    c.statsDecay = statisticsDecay
    c.kfacUpdate = kfacUpdate
    c.coldIter = coldIterations
    c.maxGradNorm = maxGradientNorm
    c.asyncEigenDecomposition = asyncEigenDecomposition
    c.asyncEigenDecompositionLag = asyncEigenDecompositionLag
    c.eigenSolver = eigenSolver
    return c
  }

  enum CodingKeys: String, CodingKey {
    case discount = "gamma"
    case stepsPerUpdate = "n_steps"
    case entropyCoefficient = "ent_coef"
    case valueCoefficient = "vf_coef"
    case valueFisherCoefficient = "vf_fisher_coef"
    case learningRate = "learning_rate"
    case maxGradientNorm = "max_grad_norm"
    case kfacClip = "kfac_clip"
    case learningRateSchedule = "lr_schedule"
    case asyncEigenDecomposition = "async_eigen_decomp"
    case asyncEigenDecompositionLag = "async_eigen_decomp_lag"
    case eigenSolver = "eigen_solver"
    case kfacUpdate = "kfac_update"
    case gaeLambda = "gae_lambda"
    case momentum
    case damping = "epsilon"
    case statisticsDecay = "stats_decay"
    case coldIterations = "cold_iter"
    case networkArchitecture = "net_arch"
    case verbose
  }

  /// Decodes every key as written by ``encode(to:)``; `async_eigen_decomp_lag` may be absent (1).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    discount = try c.decode(Double.self, forKey: .discount)
    stepsPerUpdate = try c.decode(Int.self, forKey: .stepsPerUpdate)
    entropyCoefficient = try c.decode(Double.self, forKey: .entropyCoefficient)
    valueCoefficient = try c.decode(Double.self, forKey: .valueCoefficient)
    valueFisherCoefficient = try c.decode(Double.self, forKey: .valueFisherCoefficient)
    learningRate = try c.decode(Double.self, forKey: .learningRate)
    maxGradientNorm = try c.decode(Double.self, forKey: .maxGradientNorm)
    kfacClip = try c.decode(Double.self, forKey: .kfacClip)
    learningRateSchedule = try c.decode(LearningRateSchedule.self, forKey: .learningRateSchedule)
    asyncEigenDecomposition = try c.decode(Bool.self, forKey: .asyncEigenDecomposition)
    asyncEigenDecompositionLag = try c.decodeIfPresent(Int.self, forKey: .asyncEigenDecompositionLag) ?? 1
    eigenSolver = try c.decodeIfPresent(KFAC.EigenSolver.self, forKey: .eigenSolver) ?? .double
    kfacUpdate = try c.decode(Int.self, forKey: .kfacUpdate)
    gaeLambda = try c.decodeIfPresent(Double.self, forKey: .gaeLambda)
    momentum = try c.decode(Double.self, forKey: .momentum)
    damping = try c.decode(Double.self, forKey: .damping)
    statisticsDecay = try c.decode(Double.self, forKey: .statisticsDecay)
    coldIterations = try c.decode(Int.self, forKey: .coldIterations)
    networkArchitecture = try c.decode(NetworkArchitecture.self, forKey: .networkArchitecture)
    verbose = try c.decode(Int.self, forKey: .verbose)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(discount, forKey: .discount)
    try c.encode(stepsPerUpdate, forKey: .stepsPerUpdate)
    try c.encode(entropyCoefficient, forKey: .entropyCoefficient)
    try c.encode(valueCoefficient, forKey: .valueCoefficient)
    try c.encode(valueFisherCoefficient, forKey: .valueFisherCoefficient)
    try c.encode(learningRate, forKey: .learningRate)
    try c.encode(maxGradientNorm, forKey: .maxGradientNorm)
    try c.encode(kfacClip, forKey: .kfacClip)
    try c.encode(learningRateSchedule, forKey: .learningRateSchedule)
    try c.encode(asyncEigenDecomposition, forKey: .asyncEigenDecomposition)
    // Written only when set, so configurations from before it existed keep their bytes.
    if asyncEigenDecompositionLag != 1 { try c.encode(asyncEigenDecompositionLag, forKey: .asyncEigenDecompositionLag) }
    if eigenSolver != .double { try c.encode(eigenSolver, forKey: .eigenSolver) }
    try c.encode(kfacUpdate, forKey: .kfacUpdate)
    try c.encode(gaeLambda, forKey: .gaeLambda)  // explicit null, so overrides can name it
    try c.encode(momentum, forKey: .momentum)
    try c.encode(damping, forKey: .damping)
    try c.encode(statisticsDecay, forKey: .statisticsDecay)
    try c.encode(coldIterations, forKey: .coldIterations)
    try c.encode(networkArchitecture, forKey: .networkArchitecture)
    try c.encode(verbose, forKey: .verbose)
  }
}

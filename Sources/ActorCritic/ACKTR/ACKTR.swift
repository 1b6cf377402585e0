import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness

/// Actor–critic using Kronecker-factored trust region (ACKTR), with stable-baselines 2 semantics.
///
/// Paper: Wu et al. 2017, "Scalable trust-region method for deep reinforcement learning using
/// Kronecker-factored approximation", [arXiv:1708.05144](https://arxiv.org/abs/1708.05144).
/// Reference code: hill-a/stable-baselines `acktr/acktr.py`, `acktr/kfac.py` (algorithms.md §3).
///
/// The rollout and loss are A2C's (with `vf_coef` 0.25 and, for Box actions, normalised
/// advantages); the gradient `g` of
/// ```
/// L = mean(A · −log π(a|s)) − c_H · mean(H) + c_V · mean((V − R)²)
/// ```
/// is preconditioned by K-FAC, whose Kronecker factors come from the sampled Fisher of
/// ```
/// joint = mean log π(a|s) − c_F · mean((V − sg(V + n))²),   n ~ N(0, 1)
/// ```
/// (the policy part on the rollout's own on-policy actions), then scaled into the KL trust
/// region and applied with momentum (``KFAC``).
public final class ACKTR: ActorCriticModel {
  /// The hyperparameters.
  public let configuration: ACKTRConfiguration
  /// The policy.
  public let policy: ActorCriticPolicy
  /// The run seed.
  public private(set) var seed: UInt64
  /// Training state.
  public let state: TrainingState
  /// The K-FAC optimiser.
  public let optimizer: KFAC

  public static let algorithmName = "acktr"
  public static let defaultTensorBoardLogName = "ACKTR"
  public static let supportedActionSpaces = "Discrete, Box"

  let fisherRandom: RandomStream
  /// The policy's distribution with its sampled-Fisher output gradients.
  private let fisher: any FisherSampling
  let driver: OnPolicyDriver
  private var returns: [Float] = []
  private var advantages: [Float] = []
  private var fisherNoise: [Float] = []
  private(set) var loss: ActorCriticLoss
  private var valueGradient: [Float] = []
  private var parameterGradient = Matrix(rows: 0, columns: 0)
  /// The rollout's observations as network input, `[B, inputs]`.
  private var batchInputs = Matrix(rows: 0, columns: 0)
  /// `δ` of the Gaussian log σ in the sampled-Fisher pass, `[B, d]` (its G-only factor reads it).
  private let logStdFisherGradient: LogStdFisherGradient

  /// The feature extractor's activations recorded during the rollout (CNN policies; see
  /// `OnPolicyDriver+RolloutActivations.swift`).
  public var rolloutActivations: ForwardPassRecording? { driver.rolloutActivations }

  /// Whether an update of a feed-forward CNN policy back-propagates through (and takes its K-FAC
  /// statistics from) the feature extractor's activations recorded during the rollout instead of
  /// recomputing them (`OnPolicyDriver+RolloutActivations.swift`; default `true`). `false`
  /// recomputes them as stable-baselines does, to its rounding.
  public var reusesRolloutActivations: Bool {
    get { driver.reusesRolloutActivations }
    set { driver.setReusesRolloutActivations(newValue, policy: policy) }
  }

  /// Creates a model for `environment` (or for the given spaces).
  ///
  /// `tensorboardLog` is SB2's `tensorboard_log`: the folder each `learn` writes a TensorBoard run
  /// into (``TrainingState/tensorboardLog``).
  ///
  /// - Throws: ``ConfigurationError`` for an invalid hyperparameter, or an action space other than
  ///   Discrete or Box (SB2: MultiDiscrete and MultiBinary are not supported by ACKTR).
  public init(
    environment: (any VectorizedEnvironment)?, observationSpace: Space? = nil, actionSpace: Space? = nil,
    configuration: ACKTRConfiguration = ACKTRConfiguration(), seed: UInt64 = 0,
    tensorboardLog: URL? = nil
  ) throws {
    try configuration.validate()
    let (observationSpace, actionSpace) = try resolveSpaces(
      environment: environment, observationSpace: observationSpace, actionSpace: actionSpace)
    let fisher: any FisherSampling
    do {
      fisher = try DistributionKind(actionSpace: actionSpace).makeFisherDistribution()
    } catch DistributionError.fisherSamplingUnsupported {
      throw ConfigurationError.unsupportedActionSpace(
        algorithm: "ACKTR", space: "\(actionSpace)", supported: Self.supportedActionSpaces)
    } catch {
      throw ConfigurationError.invalidValue(field: "action_space", value: "\(actionSpace)", allowed: "\(error)")
    }
    self.fisher = fisher
    self.configuration = configuration
    self.seed = seed
    let seeds = SeedSequence(runSeed: seed)
    policy = try ActorCriticPolicy(
      observationSpace: observationSpace, actionSpace: actionSpace,
      architecture: configuration.networkArchitecture, random: seeds.stream(for: .initialization))
    state = TrainingState(seeds: seeds)
    driver = OnPolicyDriver(steps: configuration.stepsPerUpdate)
    loss = ActorCriticLoss(
      entropyCoefficient: Float(configuration.entropyCoefficient), valueCoefficient: Float(configuration.valueCoefficient))
    fisherRandom = seeds.stream(for: .fisher)
    let network = policy.network
    // Every trainable layer supplies its block (dense: A without an appended 1, G, G-only bias;
    // convolution: patch A and position-summed G, the SB2 conv bias unfactored); the Gaussian log σ
    // a G-only block; the unused Q head is left out (algorithms.md §3.3).
    let logStdSource = LogStdFisherGradient()
    logStdFisherGradient = logStdSource
    var blocks: [KFAC.Block] = network.layers.filter { $0 !== network.qHead }.compactMap { layer in
      layer.makeKroneckerBlock().map { .custom($0) }
    }
    if let lstm = network.recurrentLayer {
      // The LSTM's matrices with the factors of every unrolled step stacked (pixels-and-bridge.md §3).
      blocks.append(.custom(LSTMKroneckerBlock(layer: lstm)))
    }
    if let logStd = network.logStd {
      blocks.append(.gOnly(parameter: logStd, gradientSource: { logStdSource.matrix }))
    }
    optimizer = try KFAC(parameters: network.actorCriticParameters, blocks: blocks, configuration: configuration.kfac)
    state.tensorboardLog = tensorboardLog
    if let environment { try setEnvironment(environment) }
  }

  /// Attaches a (new) environment with the model's spaces.
  public func setEnvironment(_ environment: any VectorizedEnvironment) throws {
    try driver.attach(environment, policy: policy, state: state)
  }

  /// Trains for `totalTimesteps` environment steps (SB2 `learn`).
  ///
  /// `tbLogName` is SB2's `tb_log_name` (default `ACKTR`: runs `ACKTR_1`, `ACKTR_2`, …); the other
  /// arguments are ``A2C/learn(totalTimesteps:callback:logInterval:tbLogName:resetNumTimesteps:)``'s.
  ///
  /// - Throws: ``TrainingError`` when a loss becomes non-finite, or ``KFACError`` when the
  ///   curvature statistics do (parameters of the last good update are kept); ``LoggingError``
  ///   when a log cannot be written.
  public func learn(
    totalTimesteps: Int, callback: (any TrainingCallback)? = nil, logInterval: Int = 100,
    tbLogName: String = "ACKTR", resetNumTimesteps: Bool = true
  ) throws {
    try driver.learn(
      totalTimesteps: totalTimesteps, callback: callback, logInterval: logInterval, tbLogName: tbLogName,
      resetNumTimesteps: resetNumTimesteps, verbose: configuration.verbose, learningRate: configuration.learningRate,
      schedule: configuration.learningRateSchedule, policy: policy, state: state, table: Self.progressTable
    ) { rollout, learningRate, update in try trainStep(rollout, learningRate: learningRate, update: update) }
  }

  /// One ACKTR update on a complete rollout (SB2 `_train_step` + `KfacOptimizer.apply_gradients`).
  func trainStep(_ rollout: OnPolicyRollout, learningRate: Double, update: Int) throws -> UpdateMetrics {
    let B = rollout.batchSize
    let gamma = Float(configuration.discount)

    // 1. Returns and advantages: n-step (A = R − V), or GAE (R = Â + V) when gae_lambda is set.
    if let lambda = configuration.gaeLambda {
      generalizedAdvantages(
        rewards: rollout.rewards, values: rollout.values, dones: rollout.dones, lastValues: rollout.lastValues,
        gamma: gamma, lambda: Float(lambda), steps: rollout.steps, into: &advantages)
      if returns.count != B { returns = [Float](repeating: 0, count: B) }
      for i in 0..<B { returns[i] = advantages[i] + rollout.values[i] }
    } else {
      nStepReturns(
        rewards: rollout.rewards, dones: rollout.dones, lastValues: rollout.lastValues, gamma: gamma,
        steps: rollout.steps, into: &returns)
      if advantages.count != B { advantages = [Float](repeating: 0, count: B) }
      for i in 0..<B { advantages[i] = returns[i] - rollout.values[i] }
    }
    // Box actions: advantages normalised to zero mean, unit variance (NumPy std, ddof 0).
    if case .box = policy.actionSpace { normalize(&advantages) }

    // 2. Fresh noise n_i ~ N(0, 1) for the sampled value Fisher.
    if fisherNoise.count != B { fisherNoise = [Float](repeating: 0, count: B) }
    for i in 0..<B { fisherNoise[i] = Float(fisherRandom.gaussian()) }

    // 3.–6. The update proper: on the rollout's recorded activations when there are some, else on
    // the preprocessed observations.
    if driver.forwardOnRecordedActivations(of: rollout, network: policy.network) {
      return try updateAfterForward(
        actions: rollout.actions, returns: returns, advantages: advantages, fisherNoise: fisherNoise,
        rolloutValues: rollout.values, learningRate: learningRate, update: update)
    }
    policy.preprocess(rollout.observations, into: &batchInputs)
    return try applyUpdate(
      observations: batchInputs, actions: rollout.actions, returns: returns, advantages: advantages,
      fisherNoise: fisherNoise, rolloutValues: rollout.values, learningRate: learningRate, update: update,
      sequence: rollout.sequence)
  }

  /// Steps 3–6 of an ACKTR update on a prepared batch: what stable-baselines' `_train_step` feeds
  /// its train op (`obs`, `actions`, `advs`, `rewards` = returns, `learning_rate`), plus the draws
  /// `n_i` of its in-graph `tf.random_normal` for the sampled value Fisher. `rolloutValues` (the
  /// values recorded during the rollout) only enter the explained-variance metric.
  ///
  /// Exposed to the tests, which replay updates recorded from stable-baselines 2.10.2 through it.
  func applyUpdate(
    observations: Matrix, actions: Matrix, returns: [Float], advantages: [Float], fisherNoise: [Float],
    rolloutValues: [Float], learningRate: Double, update: Int, sequence: RecurrentSequence? = nil
  ) throws -> UpdateMetrics {
    let B = observations.rows
    precondition(
      actions.rows == B && returns.count == B && advantages.count == B && fisherNoise.count == B,
      "ACKTR update: every batch input needs \(B) rows")

    // 3. Forward pass over the whole batch.
    policy.network.forward(observations, sequence: sequence)
    return try updateAfterForward(
      actions: actions, returns: returns, advantages: advantages, fisherNoise: fisherNoise,
      rolloutValues: rolloutValues, learningRate: learningRate, update: update)
  }

  /// Steps 4–6 of an ACKTR update, after the forward pass over the batch (the K-FAC statistics read
  /// the layer inputs that pass left, computed or installed).
  private func updateAfterForward(
    actions: Matrix, returns: [Float], advantages: [Float], fisherNoise: [Float], rolloutValues: [Float],
    learningRate: Double, update: Int
  ) throws -> UpdateMetrics {
    let network = policy.network
    let distribution = policy.distribution
    let B = actions.rows
    let invB = 1 / Float(B)
    let parameters = network.distributionParameters

    // 4. Sampled-Fisher backward pass (statistics only): ∂joint/∂params_i = (1/B)∇log π(a_i),
    //    ∂joint/∂V_i = 2·c_F·n_i/B.
    if valueGradient.count != B { valueGradient = [Float](repeating: 0, count: B) }
    parameterGradient.reshape(rows: B, columns: distribution.parameterCount)
    parameterGradient.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    fisher.addFisherOutputGradients(parameters: parameters, actions: actions, scale: invB, into: &parameterGradient)
    let fisherScale = 2 * Float(configuration.valueFisherCoefficient) * invB
    for i in 0..<B { valueGradient[i] = fisherScale * fisherNoise[i] }
    if let logStd = network.logStd { logStdFisherGradient.capture(parameterGradient, dimension: logStd.count) }
    network.backward(distributionParameterGradient: parameterGradient, valueGradient: valueGradient, parameterGradients: .skip)
    optimizer.captureStatistics()

    // 5. Training-loss gradient g (A2C's loss), back-propagated into the parameter gradients.
    let terms = loss.evaluate(
      distribution: distribution, parameters: parameters, actions: actions, values: network.values,
      returns: returns, advantages: advantages, parameterGradient: &parameterGradient, valueGradient: &valueGradient)
    network.backward(distributionParameterGradient: parameterGradient, valueGradient: valueGradient)
    if let summaries = state.summaries {
      writeSummaries(
        to: summaries, terms: terms, returns: returns, advantages: advantages, fisherNoise: fisherNoise,
        learningRate: learningRate)
    }

    // stable-baselines' ACKTR logs `pg_loss − ent_coef·entropy` as its policy loss (A2C logs pg_loss).
    let policyLoss = terms.policyLoss - configuration.entropyCoefficient * terms.entropy
    var metrics = UpdateMetrics(
      update: update, timesteps: state.timesteps, learningRate: learningRate, policyLoss: policyLoss,
      valueLoss: terms.valueLoss, entropy: terms.entropy,
      explainedVariance: explainedVariance(predictions: rolloutValues, targets: returns),
      gradientNorm: Double(globalNorm(optimizer.parameters)))
    guard metrics.isFinite else { return metrics }

    // 6. K-FAC: statistics, eigendecomposition when due, cold-start and/or preconditioned step.
    let report = try optimizer.step(learningRate: Float(learningRate))
    if let s = report.trustRegionScale { metrics.extras["trust_region_scale"] = s }
    if let v = report.quadraticForm { metrics.extras["vFv"] = v }
    return metrics
  }

  // MARK: - Verbosity and seeding

  public var verbose: Int { configuration.verbose }

  public func setRandomSeed(_ seed: UInt64?) {
    guard let seed else { return }
    self.seed = seed
    state.reseed(SeedSequence(runSeed: seed))
    fisherRandom.state = state.seeds.stream(for: .fisher).state
  }

  // MARK: - Persistence hooks

  public var configurationJSON: Data { get throws { try ModelArchive.encoder.encode(configuration) } }

  public func optimizerState() throws -> [String: Data] { ["kfac": ModelArchive.encodeKFAC(optimizer.snapshot())] }

  public func restoreOptimizerState(_ state: [String: Data], encoding: ModelArchive.OptimizerStateEncoding) throws {
    guard let data = state["kfac"] else { return }
    try optimizer.restore(try ModelArchive.decodeKFAC(data, name: "kfac", like: optimizer.snapshot(), encoding: encoding))
  }

  public static func make(
    configurationJSON: Data, observationSpace: Space, actionSpace: Space, seed: UInt64
  ) throws -> ACKTR {
    let configuration = try ModelArchive.decodeConfiguration(ACKTRConfiguration.self, from: configurationJSON)
    return try ACKTR(
      environment: nil, observationSpace: observationSpace, actionSpace: actionSpace, configuration: configuration,
      seed: seed)
  }
}

/// Holds the Gaussian log σ's sampled-Fisher gradient `[B, d]` for its G-only K-FAC factor.
final class LogStdFisherGradient {
  private(set) var matrix = Matrix(rows: 0, columns: 0)

  /// Copies the log σ half of each `[μ, log σ]` row of the Fisher parameter gradient.
  func capture(_ parameterGradient: Matrix, dimension d: Int) {
    let rows = parameterGradient.rows
    matrix.reshape(rows: rows, columns: d)
    for r in 0..<rows {
      for j in 0..<d { matrix.elements[r * d + j] = parameterGradient.elements[r * 2 * d + d + j] }
    }
  }
}

/// `x ← (x − mean)/(std + 1e-8)` with the population standard deviation (SB2 ACKTR, Box actions).
func normalize(_ x: inout [Float]) {
  let n = Double(x.count)
  guard n > 0 else { return }
  let mean = x.reduce(0.0) { $0 + Double($1) } / n
  let variance = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
  let scale = 1 / (variance.squareRoot() + 1e-8)
  for i in x.indices { x[i] = Float((Double(x[i]) - mean) * scale) }
}

import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness

/// Advantage actor–critic, synchronous (A2C), with stable-baselines 2 semantics.
///
/// Paper: Mnih et al. 2016, "Asynchronous Methods for Deep Reinforcement Learning",
/// [arXiv:1602.01783](https://arxiv.org/abs/1602.01783); the synchronous variant of OpenAI
/// baselines. Reference code: hill-a/stable-baselines `a2c/a2c.py` (algorithms.md §2).
///
/// Each update collects `T` steps in `E` environments (batch `B = E·T`), then takes one RMSProp
/// step on
/// ```
/// L = mean(A · −log π(a|s)) − c_H · mean(H(π(·|s))) + c_V · mean((V(s) − R)²)
/// ```
/// with n-step returns `R` and advantages `A = R − V_rollout(s)` held constant.
public final class A2C: ActorCriticModel {
  /// The hyperparameters.
  public let configuration: A2CConfiguration
  /// The policy (network, distribution, preprocessing).
  public let policy: ActorCriticPolicy
  /// The run seed every random stream derives from.
  public private(set) var seed: UInt64
  /// The training state shared by every on-policy model (timesteps, episodes, history, streams).
  public let state: TrainingState

  public static let algorithmName = "a2c"
  public static let defaultTensorBoardLogName = "A2C"
  public static let supportedActionSpaces = "Discrete, Box, MultiDiscrete, MultiBinary"

  let optimizer: RMSProp
  private let trainable: [Parameter]
  let driver: OnPolicyDriver
  private var loss: ActorCriticLoss
  private var returns: [Float] = []
  private var advantages: [Float] = []
  private var valueGradient: [Float] = []
  private var parameterGradient = Matrix(rows: 0, columns: 0)
  /// The rollout's observations as network input, `[B, inputs]`.
  private var batchInputs = Matrix(rows: 0, columns: 0)
  /// The feature extractor's activations recorded during the rollout (CNN policies; see
  /// `OnPolicyDriver+RolloutActivations.swift`).
  public var rolloutActivations: ForwardPassRecording? { driver.rolloutActivations }

  /// Whether an update of a feed-forward CNN policy back-propagates through the feature
  /// extractor's activations recorded during the rollout instead of recomputing them
  /// (`OnPolicyDriver+RolloutActivations.swift`; default `true`). `false` recomputes them as
  /// stable-baselines does, to its rounding.
  public var reusesRolloutActivations: Bool {
    get { driver.reusesRolloutActivations }
    set { driver.setReusesRolloutActivations(newValue, policy: policy) }
  }

  /// Creates a model for `environment` (or for the given spaces when there is none yet).
  ///
  /// `tensorboardLog` is SB2's `tensorboard_log`: the folder each `learn` writes a TensorBoard run
  /// into (``TrainingState/tensorboardLog``).
  ///
  /// - Throws: ``ConfigurationError`` for an invalid hyperparameter or space.
  public init(
    environment: (any VectorizedEnvironment)?, observationSpace: Space? = nil, actionSpace: Space? = nil,
    configuration: A2CConfiguration = A2CConfiguration(), seed: UInt64 = 0,
    tensorboardLog: URL? = nil
  ) throws {
    try configuration.validate()
    let (observationSpace, actionSpace) = try resolveSpaces(
      environment: environment, observationSpace: observationSpace, actionSpace: actionSpace)
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
    trainable = policy.network.actorCriticParameters
    optimizer = RMSProp(
      parameters: trainable, decay: Float(configuration.rmsPropDecay), epsilon: Float(configuration.rmsPropEpsilon),
      momentum: Float(configuration.rmsPropMomentum), variant: configuration.rmsPropVariant)
    state.tensorboardLog = tensorboardLog
    if let environment { try setEnvironment(environment) }
  }

  /// Attaches a (new) environment with the model's spaces.
  public func setEnvironment(_ environment: any VectorizedEnvironment) throws {
    try driver.attach(environment, policy: policy, state: state)
  }

  /// Trains for `totalTimesteps` environment steps (SB2 `learn`).
  ///
  /// - Parameters:
  ///   - totalTimesteps: environment steps (all envs); `totalTimesteps / B` updates run.
  ///   - callback: called after every step and update; returning `false` stops training.
  ///   - logInterval: updates between log lines when `verbose ≥ 1` (SB2 default 100).
  ///   - tbLogName: the TensorBoard run name when ``TrainingState/tensorboardLog`` is set (SB2
  ///     `tb_log_name`, default `A2C`; runs are `A2C_1`, `A2C_2`, …).
  ///   - resetNumTimesteps: restart the step count (SB2 default `true`); `false` continues the
  ///     same TensorBoard curve.
  /// - Throws: ``TrainingError`` when a loss becomes non-finite (parameters of the last good
  ///   update are kept) or when there is no environment; ``LoggingError`` when a log cannot be
  ///   written.
  public func learn(
    totalTimesteps: Int, callback: (any TrainingCallback)? = nil, logInterval: Int = 100, tbLogName: String = "A2C",
    resetNumTimesteps: Bool = true
  ) throws {
    try driver.learn(
      totalTimesteps: totalTimesteps, callback: callback, logInterval: logInterval, tbLogName: tbLogName,
      resetNumTimesteps: resetNumTimesteps, verbose: configuration.verbose, learningRate: configuration.learningRate,
      schedule: configuration.learningRateSchedule, policy: policy, state: state, table: Self.progressTable
    ) { rollout, learningRate, update in trainStep(rollout, learningRate: learningRate, update: update) }
  }

  /// One A2C update on a complete rollout (SB2 `_train_step`).
  func trainStep(_ rollout: OnPolicyRollout, learningRate: Double, update: Int) -> UpdateMetrics {
    let B = rollout.batchSize

    // 1. n-step returns R and advantages A = R − V(s) with the rollout-time values.
    nStepReturns(
      rewards: rollout.rewards, dones: rollout.dones, lastValues: rollout.lastValues,
      gamma: Float(configuration.discount), steps: rollout.steps, into: &returns)
    if advantages.count != B { advantages = [Float](repeating: 0, count: B) }
    for i in 0..<B { advantages[i] = returns[i] - rollout.values[i] }

    // 2.–4. The update proper: on the rollout's recorded activations when there are some, else on
    // the preprocessed observations.
    if driver.forwardOnRecordedActivations(of: rollout, network: policy.network) {
      return updateAfterForward(
        actions: rollout.actions, returns: returns, advantages: advantages, rolloutValues: rollout.values,
        learningRate: learningRate, update: update)
    }
    policy.preprocess(rollout.observations, into: &batchInputs)
    return applyUpdate(
      observations: batchInputs, actions: rollout.actions, returns: returns, advantages: advantages,
      rolloutValues: rollout.values, learningRate: learningRate, update: update, sequence: rollout.sequence)
  }

  /// Steps 2–4 of an A2C update on a prepared batch: what stable-baselines' `_train_step` feeds its
  /// `apply_backprop` op (`obs`, `actions`, `advs`, `rewards` = returns, `learning_rate`).
  /// `rolloutValues` only enter the explained-variance metric.
  ///
  /// Exposed to the tests, which replay updates recorded from stable-baselines 2.10.2 through it.
  func applyUpdate(
    observations: Matrix, actions: Matrix, returns: [Float], advantages: [Float], rolloutValues: [Float],
    learningRate: Double, update: Int, sequence: RecurrentSequence? = nil
  ) -> UpdateMetrics {
    let network = policy.network
    let B = observations.rows
    precondition(
      actions.rows == B && returns.count == B && advantages.count == B,
      "A2C update: every batch input needs \(B) rows")

    // 2. Forward pass over the whole batch.
    network.forward(observations, sequence: sequence)
    return updateAfterForward(
      actions: actions, returns: returns, advantages: advantages, rolloutValues: rolloutValues,
      learningRate: learningRate, update: update)
  }

  /// Steps 3–4 of an A2C update, after the forward pass over the batch.
  private func updateAfterForward(
    actions: Matrix, returns: [Float], advantages: [Float], rolloutValues: [Float], learningRate: Double, update: Int
  ) -> UpdateMetrics {
    let network = policy.network
    // 3. Loss and its gradient with respect to the distribution parameters and V.
    let terms = loss.evaluate(
      distribution: policy.distribution, parameters: network.distributionParameters, actions: actions,
      values: network.values, returns: returns, advantages: advantages, parameterGradient: &parameterGradient,
      valueGradient: &valueGradient)
    if let summaries = state.summaries {
      writeSummaries(
        to: summaries, terms: terms, returns: returns, advantages: advantages, learningRate: learningRate)
    }

    // 4. Back-propagate, clip the global norm, one RMSProp step.
    network.backward(distributionParameterGradient: parameterGradient, valueGradient: valueGradient)
    let norm = clipByGlobalNorm(trainable, maxNorm: Float(configuration.maxGradientNorm))
    let metrics = UpdateMetrics(
      update: update, timesteps: state.timesteps, learningRate: learningRate, policyLoss: terms.policyLoss,
      valueLoss: terms.valueLoss, entropy: terms.entropy,
      explainedVariance: explainedVariance(predictions: rolloutValues, targets: returns), gradientNorm: Double(norm))
    if metrics.isFinite { optimizer.step(learningRate: Float(learningRate)) }
    return metrics
  }

  // MARK: - Verbosity and seeding

  public var verbose: Int { configuration.verbose }

  public func setRandomSeed(_ seed: UInt64?) {
    guard let seed else { return }
    self.seed = seed
    state.reseed(SeedSequence(runSeed: seed))
  }

  // MARK: - Persistence hooks

  public var configurationJSON: Data { get throws { try ModelArchive.encoder.encode(configuration) } }

  public func optimizerState() throws -> [String: Data] { ["rmsprop": ModelArchive.encodeSlots(optimizer.state)] }

  public func restoreOptimizerState(_ state: [String: Data], encoding: ModelArchive.OptimizerStateEncoding) throws {
    guard let data = state["rmsprop"] else { return }
    optimizer.state = try ModelArchive.decodeSlots(data, name: "rmsprop", like: optimizer.state, encoding: encoding)
  }

  public static func make(
    configurationJSON: Data, observationSpace: Space, actionSpace: Space, seed: UInt64
  ) throws -> A2C {
    let configuration = try ModelArchive.decodeConfiguration(A2CConfiguration.self, from: configurationJSON)
    return try A2C(
      environment: nil, observationSpace: observationSpace, actionSpace: actionSpace, configuration: configuration,
      seed: seed)
  }
}


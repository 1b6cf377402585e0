import Environments
import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness

/// Actor–critic with experience replay (ACER), with stable-baselines 2 semantics; Discrete
/// actions only.
///
/// Paper: Wang et al. 2017, "Sample Efficient Actor-Critic with Experience Replay",
/// [arXiv:1611.01224](https://arxiv.org/abs/1611.01224). Reference code: hill-a/stable-baselines
/// `acer/acer_simple.py` and `acer/buffer.py` (algorithms.md §4).
///
/// Every iteration collects `T` steps in `E` environments (with the behaviour probabilities μ),
/// stores the rollout in the replay ring, takes one on-policy step, then `Poisson(replay_ratio)`
/// steps on replayed rollouts once the ring holds `replay_start` steps per environment:
/// ```
/// for steps in stride(0, total, E·T):
///     rollout; buffer.put(rollout); train(rollout)
///     if replay_ratio > 0 and buffer.hasAtLeast(replay_start):
///         for _ in 0 ..< Poisson(replay_ratio): train(buffer.sample())
/// ```
/// Each step minimises ``ACERLoss`` (truncated importance sampling with bias correction, Retrace
/// Q targets, the trust region against the average policy), clips the global norm, takes one
/// TensorFlow RMSProp step at `lr = lr₀·f(num_timesteps/total)` and updates the average policy.
public final class ACER: ActorCriticModel {
  /// The hyperparameters.
  public let configuration: ACERConfiguration
  /// The policy (network with `pi` and `q` heads, preprocessing).
  public let policy: ActorCriticPolicy
  /// The run seed every random stream derives from.
  public private(set) var seed: UInt64
  /// Training state (timesteps, episodes, history, streams).
  public let state: TrainingState
  /// The average policy the trust region is measured against.
  public let averagePolicy: ACERAveragePolicy

  /// `acer`, in model files and on the command line.
  public static let algorithmName = "acer"
  /// ACER supports Discrete actions only (SB2 `acer_simple.py`).
  public static let supportedActionSpaces = "Discrete"
  /// SB2's default `tb_log_name`.
  public static let defaultTensorBoardLogName = "ACER"

  /// The last on-policy rollout, `nil` before an environment is attached.
  public var lastRollout: ACERBatch? { rollout?.batch }

  /// The replay ring of the current `learn` call, `nil` with `replay_ratio = 0` or before an
  /// environment is attached.
  public private(set) var replayBuffer: ACERReplayBuffer?

  let optimizer: RMSProp
  private let trainable: [Parameter]
  let replayRandom: RandomStream
  private let actionCount: Int
  private(set) var loss: ACERLoss
  /// SB2's `EpisodeStats` of the `learn` call in progress, kept only at `verbose ≥ 1`.
  var episodeStatistics: ACEREpisodeStatistics?
  var rollout: ACERRollout?
  private var replayBatch: ACERBatch?
  private var observations = Matrix(rows: 0, columns: 0)
  private var logitGradient = Matrix(rows: 0, columns: 0)
  private var qGradient = Matrix(rows: 0, columns: 0)

  /// Creates a model for `environment` (or for the given spaces when there is none yet).
  ///
  /// `tensorboardLog` is SB2's `tensorboard_log`: the folder each `learn` writes a TensorBoard run
  /// into (``TrainingState/tensorboardLog``).
  ///
  /// - Throws: ``ConfigurationError`` for an invalid hyperparameter, or
  ///   ``ConfigurationError/unsupportedActionSpace(algorithm:space:supported:)`` for any action
  ///   space but Discrete (SB2 raises `NotImplementedError` for Box, `ValueError` otherwise).
  public init(
    environment: (any VectorizedEnvironment)?, observationSpace: Space? = nil, actionSpace: Space? = nil,
    configuration: ACERConfiguration = ACERConfiguration(), seed: UInt64 = 0,
    tensorboardLog: URL? = nil
  ) throws {
    try configuration.validate()
    let (observationSpace, actionSpace) = try resolveSpaces(
      environment: environment, observationSpace: observationSpace, actionSpace: actionSpace)
    guard case .discrete(let n) = actionSpace else {
      throw ConfigurationError.unsupportedActionSpace(
        algorithm: "ACER", space: "\(actionSpace)", supported: Self.supportedActionSpaces)
    }
    self.configuration = configuration
    self.seed = seed
    actionCount = n
    let seeds = SeedSequence(runSeed: seed)
    policy = try ActorCriticPolicy(
      observationSpace: observationSpace, actionSpace: actionSpace,
      architecture: configuration.networkArchitecture, random: seeds.stream(for: .initialization))
    state = TrainingState(seeds: seeds)
    replayRandom = seeds.stream(for: .replay)
    averagePolicy = ACERAveragePolicy(copying: policy.network)
    // SB2 trains every `model/*` variable; the `vf` head gets no gradient (V = Σ f·Q).
    trainable = policy.network.actorQParameters
    optimizer = RMSProp(
      parameters: trainable, decay: Float(configuration.rmsPropDecay),
      epsilon: Float(configuration.rmsPropEpsilon),
      momentum: 0, variant: configuration.rmsPropVariant)
    loss = ACERLoss(
      discount: Float(configuration.discount), correctionTerm: Float(configuration.correctionTerm),
      qCoefficient: Float(configuration.qCoefficient),
      entropyCoefficient: Float(configuration.entropyCoefficient),
      trustRegionDelta: configuration.trustRegion ? Float(configuration.delta) : nil,
      entropyVariant: configuration.entropyVariant)
    state.tensorboardLog = tensorboardLog
    if let environment { try setEnvironment(environment) }
  }

  /// Attaches a (new) environment with the model's spaces.
  public func setEnvironment(_ environment: any VectorizedEnvironment) throws {
    let E = environment.count
    let T = configuration.stepsPerUpdate
    // The network's and the average network's activations over the E·(T+1) rows of a batch.
    let batch = MemoryBudget.sum(
      MemoryBudget.rolloutBytes(
        environments: E, steps: T, space: policy.observationSpace, inputs: policy.inputCount, actions: actionCount),
      MemoryBudget.activationBytes(
        samples: MemoryBudget.product(E, T + 1) ?? -1, network: policy.network, copies: 2))
    try MemoryBudget.require(
      batch, field: "n_steps", value: T,
      what: "rollout and update batch (n_envs × (n_steps + 1) observations and their activations in the network)")
    if configuration.replayRatio > 0 {
      try MemoryBudget.require(
        MemoryBudget.sum(
          batch,
          MemoryBudget.replayBytes(
            bufferSize: configuration.bufferSize, environments: E, steps: T, space: policy.observationSpace,
            actions: actionCount)),
        field: "buffer_size", value: configuration.bufferSize, what: "replay buffer (beside the rollout and update batch)")
    }
    try state.attach(environment, to: policy)
    let space = policy.observationSpace
    let stateCount = policy.stateCount
    rollout = ACERRollout(
      environmentCount: E, steps: T, observationSpace: space, actionCount: actionCount, stateCount: stateCount)
    if configuration.replayRatio > 0 {
      replayBuffer = ACERReplayBuffer(
        bufferSize: configuration.bufferSize, environmentCount: E, steps: T, observationSpace: space,
        actionCount: actionCount, stateCount: stateCount)
      replayBatch = ACERBatch(
        environmentCount: E, steps: T, observationSpace: space, actionCount: actionCount, stateCount: stateCount)
    } else {
      replayBuffer = nil
      replayBatch = nil
    }
  }

  /// Trains for `totalTimesteps` environment steps (SB2 `learn`).
  ///
  /// - Parameters:
  ///   - totalTimesteps: environment steps (all envs); `⌈totalTimesteps / (E·T)⌉` iterations run
  ///     (SB2 `for steps in range(0, total_timesteps, n_batch)`).
  ///   - callback: called after every step and every on-policy update; returning `false` stops.
  ///   - logInterval: on-policy updates between log lines when `verbose ≥ 1`.
  ///   - tbLogName: the TensorBoard run name (SB2 `tb_log_name`, default `ACER`).
  ///   - resetNumTimesteps: restart the step count (SB2 default `true`); `false` continues the
  ///     same TensorBoard curve.
  /// - Throws: ``TrainingError`` when a loss becomes non-finite (the parameters of the last good
  ///   step are kept) or when there is no environment; ``LoggingError`` when a log cannot be
  ///   written.
  public func learn(
    totalTimesteps: Int, callback: (any TrainingCallback)? = nil, logInterval: Int = 100, tbLogName: String = "ACER",
    resetNumTimesteps: Bool = true
  ) throws {
    guard let environment = state.environment, let rollout else { throw TrainingError.noEnvironment }
    let batch = rollout.batch.batchSize
    let scheduler = Scheduler(
      initialValue: configuration.learningRate, schedule: configuration.learningRateSchedule,
      total: totalTimesteps)
    // SB2 builds a fresh `Buffer` and a fresh `EpisodeStats` in every `learn` call.
    // Deviation: a `learn` resumed from a checkpoint (which SB2 cannot do) keeps the restored
    // buffer, so it continues exactly as the interrupted call would have.
    if state.resumePoint == nil { replayBuffer?.removeAll() }
    episodeStatistics = configuration.verbose > 0 ? ACEREpisodeStatistics(environmentCount: environment.count) : nil
    try state.runUpdates(
      count: (totalTimesteps + batch - 1) / batch, totalTimesteps: totalTimesteps,
      resetNumTimesteps: resetNumTimesteps,
      callback: callback, logInterval: logInterval, verbose: configuration.verbose, tbLogName: tbLogName,
      table: progressTable(batchSize: batch),
      collect: { onStep in
        try rollout.collect(policy: policy, environment: environment, random: state.actionRandom, onStep: onStep)
      },
      update: { update in iterate(rollout.batch, scheduler: scheduler, update: update) })
  }

  /// One iteration after a rollout: store it, the on-policy step, then the replay steps.
  ///
  /// - Returns: the on-policy step's metrics, with the number of replay steps in `extras`; or the
  ///   metrics of the first non-finite replay step (which stops training).
  private func iterate(_ batch: ACERBatch, scheduler: Scheduler, update: Int) -> UpdateMetrics {
    // ACER stepping: lr = lr₀·f(num_timesteps/total), num_timesteps including this rollout; the
    // same lr for the on-policy and the replay steps (SB2 `value_steps`).
    let learningRate = scheduler.value(atStep: state.timesteps)
    episodeStatistics?.feed(rewards: batch.rewards, dones: batch.dones, steps: batch.steps)
    replayBuffer?.put(batch)
    if state.isWritingSummaries { logEpisodeRewards(batch) }
    let onPolicy = trainStep(batch, learningRate: learningRate)
    if let summaries = state.summaries {
      writeSummaries(to: summaries, step: onPolicy, batch: batch, learningRate: learningRate)
    }
    var metrics = metricsOf(onPolicy, update: update, learningRate: learningRate)
    guard metrics.isFinite else { return metrics }
    var replays = 0
    if configuration.replayRatio > 0, let replayBuffer, let replayBatch,
      replayBuffer.hasAtLeast(configuration.replayStart)
    {
      let count = replayRandom.poisson(mean: configuration.replayRatio)
      for _ in 0..<count {
        replayBuffer.sample(into: replayBatch, random: replayRandom)
        let step = trainStep(replayBatch, learningRate: learningRate)
        if !step.isFinite {
          var failed = metricsOf(step, update: update, learningRate: learningRate)
          failed.extras["replay_step"] = Double(replays + 1)
          return failed
        }
        replays += 1
      }
    }
    metrics.extras["replay_updates"] = Double(replays)
    return metrics
  }

  /// What one training step reports.
  public struct StepResult: Sendable, Equatable {
    /// The loss terms.
    public var terms: ACERLoss.Terms
    /// The global gradient norm before clipping (SB2 `norm_grads`).
    public var gradientNorm: Float
    /// Whether the step was applied: every loss and the norm are finite.
    public var isFinite: Bool {
      terms.policyLoss.isFinite && terms.qLoss.isFinite && terms.entropy.isFinite && gradientNorm.isFinite
    }
  }

  /// One ACER training step on a batch (SB2 `_train_step`): on-policy and replay alike.
  ///
  /// Updates the parameters, the RMSProp slots and the average policy unless a quantity is
  /// non-finite (then nothing changes).
  public func trainStep(_ batch: ACERBatch, learningRate: Double) -> StepResult {
    let network = policy.network
    let trustRegion = configuration.trustRegion

    // 1. Preprocess the E·(T+1) observations s_0 … s_T of every segment.
    policy.preprocess(batch.observations, into: &observations)

    // 2. Current network: logits (f = softmax) and Q on every row; the vf head is not used. A
    //    recurrent network unrolls the T+1 steps of every segment with its masks.
    let sequence = trainingSequence(batch)
    network.forward(observations, computeValue: false, computeQ: true, sequence: sequence)

    // 3. Average network: f̄ (its policy path only), needed by the trust region.
    if trustRegion { averagePolicy.forward(observations, sequence: sequence) }

    // 4. ρ, V, Retrace, the losses and ∂loss/∂logits, ∂loss/∂Q (with the trust region on g).
    let terms = loss.evaluate(
      batch: batch, logits: network.distributionParameters,
      averageLogits: trustRegion ? averagePolicy.network.distributionParameters : nil,
      q: network.qHead.output,
      logitGradient: &logitGradient, qGradient: &qGradient)

    // 5. Back-propagate both cotangents through the network.
    network.backward(distributionParameterGradient: logitGradient, valueGradient: nil, qGradient: qGradient)

    // 6. Clip the global norm, one RMSProp step, then θ̄ ← α θ̄ + (1 − α) θ.
    let norm = clipByGlobalNorm(trainable, maxNorm: Float(configuration.maxGradientNorm))
    let result = StepResult(terms: terms, gradientNorm: norm)
    if result.isFinite {
      optimizer.step(learningRate: Float(learningRate))
      averagePolicy.update(decay: Float(configuration.averageDecay))
    }
    return result
  }

  /// The unroll of a recurrent policy over a batch: `T+1` steps of each segment with its masks, from
  /// the zero state (SB2 feeds `initial_state`) or the stored one (``ACERConfiguration/lstmTrainingState``).
  private func trainingSequence(_ batch: ACERBatch) -> RecurrentSequence? {
    guard policy.isRecurrent else { return nil }
    precondition(batch.isRecurrent, "a recurrent ACER trains on batches with masks and states")
    let start =
      configuration.lstmTrainingState == .stored
      ? batch.initialStates : policy.initialState(count: batch.environmentCount)
    return RecurrentSequence(initialState: start, masks: batch.masks, steps: batch.steps + 1)
  }

  private func metricsOf(_ step: StepResult, update: Int, learningRate: Double) -> UpdateMetrics {
    let terms = step.terms
    var extras = ["loss_f": terms.truncatedLoss, "loss_bc": terms.biasCorrectionLoss]
    if terms.averageKL.isFinite { extras["avg_kl"] = terms.averageKL }
    if let region = terms.trustRegion {
      extras["avg_norm_k"] = region.meanNormK
      extras["avg_norm_g"] = region.meanNormG
      extras["avg_norm_k_dot_g"] = region.meanAbsoluteKDotG
      extras["avg_norm_adj"] = region.meanAdjustment
    }
    return UpdateMetrics(
      update: update, timesteps: state.timesteps, learningRate: learningRate, policyLoss: terms.policyLoss,
      valueLoss: terms.qLoss, entropy: terms.entropy, explainedVariance: terms.explainedVariance,
      gradientNorm: Double(step.gradientNorm), extras: extras)
  }

  // MARK: - Verbosity and seeding

  public var verbose: Int { configuration.verbose }

  public func setRandomSeed(_ seed: UInt64?) {
    guard let seed else { return }
    self.seed = seed
    state.reseed(SeedSequence(runSeed: seed))
    replayRandom.state = state.seeds.stream(for: .replay).state
  }

  // MARK: - Persistence hooks

  /// Every hyperparameter as JSON under its SB2 name (including those SB2 does not save).
  public var configurationJSON: Data { get throws { try ModelArchive.encoder.encode(configuration) } }

  /// The RMSProp slots and the average policy's parameters, so a loaded model resumes exactly.
  // Deviation: SB2 saves neither; after loading, its average policy restarts from random values
  // (algorithms.md §4.8).
  public func optimizerState() throws -> [String: Data] {
    ["rmsprop": ModelArchive.encodeSlots(optimizer.state), "average_policy": ModelArchive.encodeSlots(averagePolicy.state)]
  }

  /// Restores the RMSProp slots and the average policy saved by ``optimizerState()``.
  ///
  /// - Throws: ``ModelFileError`` when a blob is corrupt, has the wrong shapes or is non-finite.
  public func restoreOptimizerState(_ state: [String: Data], encoding: ModelArchive.OptimizerStateEncoding) throws {
    if let data = state["rmsprop"] {
      optimizer.state = try ModelArchive.decodeSlots(data, name: "rmsprop", like: optimizer.state, encoding: encoding)
    }
    if let data = state["average_policy"] {
      let shadows = try ModelArchive.decodeSlots(data, name: "average_policy", like: averagePolicy.state, encoding: encoding)
      guard shadows.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
        throw ModelFileError.nonFiniteParameter(name: "average_policy")
      }
      averagePolicy.state = shadows
    } else {
      // Deviation: without saved shadows, restart the average at the loaded parameters rather
      // than at the fresh model's random initialisation (SB2's behaviour, algorithms.md §4.8).
      averagePolicy.state = ACERAveragePolicy.policyPath(of: policy.network).map(\.value.elements)
    }
  }

  /// An untrained model for the spaces, from a saved configuration (used by `load`).
  ///
  /// - Throws: ``ModelFileError`` for an unreadable configuration, ``ConfigurationError`` for an
  ///   invalid one or a non-Discrete action space.
  public static func make(
    configurationJSON: Data, observationSpace: Space, actionSpace: Space, seed: UInt64
  ) throws -> ACER {
    let configuration = try ModelArchive.decodeConfiguration(ACERConfiguration.self, from: configurationJSON)
    return try ACER(
      environment: nil, observationSpace: observationSpace, actionSpace: actionSpace,
      configuration: configuration,
      seed: seed)
  }
}

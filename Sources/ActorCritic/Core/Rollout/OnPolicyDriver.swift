import Environments
import NeuralNetwork

/// The collect → update loop of the synchronous on-policy algorithms (A2C and ACKTR), as
/// stable-baselines' `learn` runs it (and SB3's `OnPolicyAlgorithm`):
/// ```
/// for update in 1 … total / B:  rollout ← collect(T steps × E envs);  trainStep(rollout, lr)
/// ```
/// with the learning rate taken by SB2's per-sample `Scheduler` (`lr₀·f((u·B − 1)/total)` on
/// update `u`, algorithms.md §1.7).
final class OnPolicyDriver {
  /// `T`.
  let steps: Int
  private(set) var rollout: OnPolicyRollout?
  /// Whether the update of a feed-forward CNN policy reuses the rollout's feature-extractor
  /// activations (`OnPolicyDriver+RolloutActivations.swift`).
  var reusesRolloutActivations = true
  /// The feature extractor's activations recorded during the rollout, when reused.
  var rolloutActivations: ForwardPassRecording?

  init(steps: Int) { self.steps = steps }

  /// Attaches an environment and sizes the rollout for it.
  func attach(_ environment: any VectorizedEnvironment, policy: ActorCriticPolicy, state: TrainingState) throws {
    try MemoryBudget.require(
      MemoryBudget.sum(
        MemoryBudget.rolloutBytes(
          environments: environment.count, steps: steps, space: policy.observationSpace, inputs: policy.inputCount,
          actions: policy.distribution.actionDimension),
        MemoryBudget.activationBytes(
          samples: MemoryBudget.product(environment.count, steps) ?? -1, network: policy.network,
          copies: recordsRolloutActivations(of: policy.network) ? 2 : 1)),
      field: "n_steps", value: steps,
      what: "rollout and update batch (n_envs × n_steps observations and their activations in the network)")
    try state.attach(environment, to: policy)
    rollout = OnPolicyRollout(
      environmentCount: environment.count, steps: steps, observationSpace: policy.observationSpace,
      inputs: policy.inputCount,
      actionDimension: policy.distribution.actionDimension, stateCount: policy.stateCount)
    attachRolloutActivationRecording(policy: policy)
  }

  /// Trains for `totalTimesteps / B` updates; `trainStep(rollout, lr, update)` is one update.
  /// After each update SB2 logs the rollout's `episode_reward` points (when summaries are written).
  func learn(
    totalTimesteps: Int, callback: (any TrainingCallback)?, logInterval: Int, tbLogName: String,
    resetNumTimesteps: Bool, verbose: Int, learningRate: Double, schedule: LearningRateSchedule,
    policy: ActorCriticPolicy, state: TrainingState, table: ProgressTable,
    trainStep: (OnPolicyRollout, Double, Int) throws -> UpdateMetrics
  ) throws {
    guard let environment = state.environment, let rollout else { throw TrainingError.noEnvironment }
    let batch = rollout.batchSize
    var scheduler = Scheduler(initialValue: learningRate, schedule: schedule, total: totalTimesteps)
    // A resumed run continues the per-sample counter where update `k` left it: k·B values taken.
    if let resume = state.resumePoint, resume.updates > 0 { _ = scheduler.value(forBatchOf: resume.updates * batch) }
    try state.runUpdates(
      count: totalTimesteps / batch, totalTimesteps: totalTimesteps, resetNumTimesteps: resetNumTimesteps,
      callback: callback, logInterval: logInterval, verbose: verbose, tbLogName: tbLogName, table: table,
      collect: { onStep in
        try rollout.collect(policy: policy, environment: environment, random: state.actionRandom, onStep: onStep)
      },
      update: { update in
        let metrics = try trainStep(rollout, scheduler.value(forBatchOf: batch), update)
        if state.isWritingSummaries {
          state.logEpisodeRewards(
            rewards: rollout.rewards, dones: rollout.dones, environments: rollout.environmentCount,
            steps: rollout.steps)
        }
        return metrics
      })
  }
}

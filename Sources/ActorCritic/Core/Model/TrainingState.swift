import Environments
import Foundation
import Randomness

/// What every actor–critic model keeps while training: the environment, the step count, the
/// episode record, the per-update history and the action-sampling stream.
public final class TrainingState {
  /// The streams of this run.
  public private(set) var seeds: SeedSequence
  /// The stream actions are sampled from during rollouts.
  public let actionRandom: RandomStream
  /// The stream stochastic `predict` calls draw from (kept apart so predicting never shifts training).
  public let predictionRandom: RandomStream
  /// The attached environment.
  public private(set) var environment: (any VectorizedEnvironment)?
  /// Environment steps taken (SB2 `num_timesteps`).
  public internal(set) var timesteps = 0
  /// Completed training episodes.
  public internal(set) var episodes = EpisodeTracker()
  /// Metrics of every update.
  public internal(set) var history: [UpdateMetrics] = []
  /// Whether the environment must be reset before the next rollout: SB2 builds its runner, which
  /// calls `env.reset()`, on the first `learn` after an environment is set, and later `learn`
  /// calls continue from the current observations.
  var needsReset = true
  /// Where the next `learn` continues when the state was restored from a checkpoint
  /// (``ActorCriticModel/restoreCheckpoint(from:restartSeeds:)``); consumed by that `learn`.
  var resumePoint: ResumePoint?

  /// The folder TensorBoard runs are written under (SB2 `tensorboard_log`), `nil` for none. Each
  /// `learn` writes `<tensorboardLog>/<tbLogName>_<n>/events.out.tfevents.*` with SB2's scalar
  /// tags (``TensorBoardRunFolder``); not saved with the model, as in SB2.
  public var tensorboardLog: URL?
  /// Further destinations of the same scalar summaries (e.g. a ``JSONLinesWriter`` with a
  /// `stepKey`); summaries are computed only when there is a `tensorboardLog` or such a writer.
  public var summaryWriters: [any KeyValueWriter] = []
  /// Where SB2's table goes at `verbose ≥ 1` (standard output by default).
  public var logger = Logger.standardOutput()
  /// The run folder of the latest `learn` that wrote one.
  public private(set) var tensorboardRunFolder: URL?
  /// The summaries of the `learn` call in progress, `nil` when none are written: the algorithms
  /// compute their scalars only when it is set, so logging off costs one check per update.
  private(set) var summaries: SummaryLog?
  /// SB2's `episode_reward` accumulators, `nil` until summaries are first written after an
  /// environment is attached (SB2 resets them in `set_env`).
  private var episodeRewards: EpisodeRewardLogger?

  init(seeds: SeedSequence) {
    self.seeds = seeds
    actionRandom = seeds.stream(for: .actionSampling)
    predictionRandom = seeds.stream(for: .evaluation)
  }

  /// Re-derives the action-sampling and prediction streams from `seeds` (in place: the streams
  /// are shared with the rollouts).
  func reseed(_ seeds: SeedSequence) {
    self.seeds = seeds
    actionRandom.state = seeds.stream(for: .actionSampling).state
    predictionRandom.state = seeds.stream(for: .evaluation).state
  }

  func attach(_ environment: any VectorizedEnvironment, to policy: ActorCriticPolicy) throws(ConfigurationError) {
    guard environment.observationSpace == policy.observationSpace else {
      throw .environmentMismatch(
        field: "observation space", model: "\(policy.observationSpace)", environment: "\(environment.observationSpace)")
    }
    guard environment.actionSpace == policy.actionSpace else {
      throw .environmentMismatch(
        field: "action space", model: "\(policy.actionSpace)", environment: "\(environment.actionSpace)")
    }
    self.environment = environment
    needsReset = true
    episodeRewards = nil
  }

  /// Whether the `learn` call in progress writes summaries (callers skip their preparation
  /// otherwise).
  var isWritingSummaries: Bool { summaries != nil }

  /// Logs SB2's `episode_reward` points of a rollout when summaries are written (SB2
  /// `total_episode_reward_logger`, called after each rollout with the step count after it).
  func logEpisodeRewards(rewards: [Float], dones: [Bool], environments: Int, steps: Int) {
    guard let summaries else { return }
    if episodeRewards == nil { episodeRewards = EpisodeRewardLogger(environmentCount: environments) }
    for point in episodeRewards!.feed(rewards: rewards, dones: dones, steps: steps, timesteps: timesteps) {
      summaries.writeEpisodeReward(point.value, step: point.step)
    }
  }

  /// Opens the summaries of a `learn` call (SB2 `TensorboardWriter.__enter__`): a new run folder
  /// when the step count starts at 0, the latest one when it continues.
  private func openSummaries(tbLogName: String) throws(LoggingError) {
    guard tensorboardLog != nil || !summaryWriters.isEmpty else { return }
    let folder = try tensorboardLog.map { log throws(LoggingError) in
      try TensorBoardRunFolder.folder(log: log, name: tbLogName, newRun: timesteps == 0)
    }
    summaries = try SummaryLog(runFolder: folder, writers: summaryWriters)
    if let folder { tensorboardRunFolder = folder }
  }

  /// Flushes and closes the summaries (SB2 `TensorboardWriter.__exit__`).
  private func closeSummaries() throws(LoggingError) {
    defer { summaries = nil }
    try summaries?.flush()
  }

  /// The collect → update loop shared by the on-policy algorithms (SB2 `learn`).
  ///
  /// - Parameters:
  ///   - tbLogName: the TensorBoard run name (SB2 `tb_log_name`).
  ///   - table: SB2's table at `verbose ≥ 1`, dumped to ``logger``.
  ///   - update: one gradient update (1-based index); it may throw (e.g. K-FAC on non-finite
  ///     statistics), which ends training with everything before it kept.
  ///   - collect: collects one rollout, calling its argument after every vectorised step with the
  ///     episodes completed in it; returns `false` when a callback stopped it.
  func runUpdates(
    count: Int, totalTimesteps: Int, resetNumTimesteps: Bool, callback: (any TrainingCallback)?, logInterval: Int,
    verbose: Int, tbLogName: String, table: ProgressTable,
    collect: ((([EpisodeRecord]) -> Bool)) throws -> Bool, update: (Int) throws -> UpdateMetrics
  ) throws {
    try require(totalTimesteps >= 0, "total_timesteps", totalTimesteps, "total_timesteps ≥ 0")
    try require(logInterval >= 1, "log_interval", logInterval, "log_interval ≥ 1")
    guard let environment else { throw TrainingError.noEnvironment }
    let resume = try consumeResumePoint(totalTimesteps: totalTimesteps)
    if needsReset {
      environment.reset()
      needsReset = false
    }
    if resetNumTimesteps && resume == nil {
      timesteps = 0
      episodes = EpisodeTracker()
      history = []
    }
    try openSummaries(tbLogName: tbLogName)
    var finished = false
    defer { if !finished { try? closeSummaries() } }
    let startSteps = timesteps
    let clock = ContinuousClock()
    let start = clock.now
    var context = TrainingContext(
      timesteps: timesteps, totalTimesteps: totalTimesteps + (resetNumTimesteps ? 0 : startSteps), updates: 0,
      episodes: episodes.episodes.count, latestMetrics: nil)
    if let resume {
      context.updates = resume.updates
      context.latestMetrics = history.last
    }
    callback?.onTrainingStart(context)
    defer { callback?.onTrainingEnd(context) }
    var updateIndex = resume?.updates ?? 0
    while updateIndex < count {
      updateIndex += 1
      let completed = try collect { finished in
        self.timesteps += environment.count
        if !finished.isEmpty { self.episodes.record(finished, timesteps: self.timesteps) }
        context.timesteps = self.timesteps
        context.episodes = self.episodes.episodes.count
        return callback?.onStep(context) ?? true
      }
      if !completed { break }
      var metrics = try update(updateIndex)
      metrics.timesteps = timesteps
      guard metrics.isFinite else {
        throw TrainingError.nonFinite(quantity: metrics.nonFiniteQuantity, update: updateIndex, timesteps: timesteps)
      }
      if let error = summaries?.error { throw error }
      let elapsed = (clock.now - start).seconds
      metrics.stepsPerSecond = elapsed > 0 ? Double(timesteps - startSteps) / elapsed : .nan
      metrics.meanEpisodeReturn = episodes.meanReturn()
      metrics.meanEpisodeLength = episodes.meanLength()
      history.append(metrics)
      context.updates = updateIndex
      context.latestMetrics = metrics
      if verbose > 0 && table.isDue(updateIndex, logInterval) {
        let progress = UpdateProgress(
          update: updateIndex, metrics: metrics, elapsedSeconds: elapsed, episodes: episodes)
        for (key, value) in table.record(progress) { logger.record(key, value) }
        try logger.dump(step: timesteps)
      }
      if !(callback?.onUpdate(context) ?? true) { break }
    }
    finished = true
    try closeSummaries()
  }
}

extension Duration {
  /// The duration in seconds as a `Double`.
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) * 1e-18
  }
}

extension UpdateMetrics {
  var nonFiniteQuantity: String {
    if !policyLoss.isFinite { return "policy_loss" }
    if !valueLoss.isFinite { return "value_loss" }
    if !entropy.isFinite { return "policy_entropy" }
    return "gradient norm"
  }
}

/// The observation and action spaces of a new model: from the environment, or given explicitly.
func resolveSpaces(
  environment: (any VectorizedEnvironment)?, observationSpace: Space?, actionSpace: Space?
) throws(ConfigurationError) -> (observation: Space, action: Space) {
  guard let observation = observationSpace ?? environment?.observationSpace,
    let action = actionSpace ?? environment?.actionSpace
  else { throw .invalidValue(field: "environment", value: "nil", allowed: "an environment or both spaces") }
  // Validated before anything is sized by them (a Discrete(0) or a 2⁴⁰-entry space).
  for (field, space) in [("observation_space", observation), ("action_space", action)] {
    do { try space.validate() } catch {
      throw .invalidValue(field: field, value: space.observationElementCount <= 16 ? "\(space)" : "a space with \(space.shape.prefix(8)) components", allowed: "a valid space: \(error)")
    }
  }
  return (observation, action)
}

/// What stable-baselines 2's ACER logs (`acer/acer_simple.py`): the table at `verbose ≥ 1` and the
/// scalar summaries of each on-policy step.
extension ACER {
  /// SB2's table, printed on iterations 0, `log_interval`, `2·log_interval`, … (0-based:
  /// `int(steps / n_batch) % log_interval == 0`, so the first iteration always prints):
  /// `total_timesteps`, `fps = int(steps / seconds)` with `steps` the steps before this iteration,
  /// `mean_episode_length` and `mean_episode_reward` (``ACEREpisodeStatistics``), then its
  /// `names_ops`: `loss`, `loss_q`, `entropy`, `loss_policy`, `loss_f`, `loss_bc`,
  /// `explained_variance`, `norm_grads`, and with the trust region `avg_norm_k`, `avg_norm_g`,
  /// `avg_norm_k_dot_g`, `avg_norm_adj`.
  ///
  /// Not printed: the trust region's `norm_grads_q`, `norm_grads_policy` and `avg_norm_grads_f`,
  /// norms of gradient parts SB2 back-propagates separately and we back-propagate together.
  func progressTable(batchSize: Int) -> ProgressTable {
    ProgressTable(isDue: { update, interval in (update - 1) % interval == 0 }) { [configuration] progress in
      let m = progress.metrics
      let stepsBefore = Double((progress.update - 1) * batchSize)
      let fps = progress.elapsedSeconds > 0 ? Int(stepsBefore / progress.elapsedSeconds) : 0
      let loss =
        m.policyLoss + configuration.qCoefficient * m.valueLoss - configuration.entropyCoefficient * m.entropy
      var record = LogRecord([
        "total_timesteps": .integer(m.timesteps), "fps": .integer(fps),
        "mean_episode_length": self.episodeStatistics?.meanLength ?? .integer(0),
        "mean_episode_reward": self.episodeStatistics?.meanReward ?? .integer(0),
        "loss": .real(loss), "loss_q": .real(m.valueLoss), "entropy": .real(m.entropy),
        "loss_policy": .real(m.policyLoss),
      ])
      for key in ["loss_f", "loss_bc"] { record[key] = m.extras[key].map(LogValue.real) }
      record["explained_variance"] = .real(m.explainedVariance)
      record["norm_grads"] = .real(m.gradientNorm)
      for key in ["avg_norm_k", "avg_norm_g", "avg_norm_k_dot_g", "avg_norm_adj"] {
        record[key] = m.extras[key].map(LogValue.real)
      }
      return record
    }
  }

  /// SB2's summaries of the on-policy step of an iteration, written at `num_timesteps` (the steps
  /// after the rollout; replay steps write none):
  /// ```
  /// loss/entropy_loss     mean H(f)            loss/policy_gradient_loss  loss_f + loss_bc
  /// loss/value_function_loss  loss_q           loss/loss                  loss_policy + q_coef·loss_q − c_H·H
  /// input_info/rewards    mean r               input_info/learning_rate   lr
  /// input_info/advantage  mean(qret − V)       input_info/action_probability  mean μ
  /// ```
  /// (The histograms and images of `full_tensorboard_log` are not written.)
  func writeSummaries(to log: SummaryLog, step: StepResult, batch: ACERBatch, learningRate: Double) {
    let terms = step.terms
    var advantage = 0.0
    for i in loss.qret.indices { advantage += Double(loss.qret[i]) - Double(loss.trainingValues[i]) }
    log.write(
      [
        "loss/entropy_loss": terms.entropy, "loss/policy_gradient_loss": terms.policyLoss,
        "loss/value_function_loss": terms.qLoss,
        "loss/loss": terms.policyLoss + configuration.qCoefficient * terms.qLoss
          - configuration.entropyCoefficient * terms.entropy,
        "input_info/rewards": batchMean(batch.rewards), "input_info/learning_rate": learningRate,
        "input_info/advantage": advantage / Double(loss.qret.count),
        "input_info/action_probability": batchMean(batch.behaviourProbabilities),
      ], step: state.timesteps)
  }

  /// The rollout's `episode_reward` points (SB2 `total_episode_reward_logger`).
  // Deviation: SB2's ACER passes its `dones` (the episode ended after step t) where the function
  // expects episode starts (A2C's masks), so each logged reward omits the episode's last reward and
  // the next one starts with it; we pass the rollout as A2C does, so `episode_reward` is the
  // episode's true return, logged at A2C's step.
  func logEpisodeRewards(_ batch: ACERBatch) {
    state.logEpisodeRewards(
      rewards: batch.rewards, dones: batch.dones, environments: batch.environmentCount, steps: batch.steps)
  }
}

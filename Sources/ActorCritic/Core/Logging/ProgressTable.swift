/// What SB2's verbose table of one update is made from.
struct UpdateProgress {
  /// The update's index in this `learn` call, from 1 (SB2 `update`).
  var update: Int
  /// Its metrics (with `timesteps` after the rollout).
  var metrics: UpdateMetrics
  /// Seconds since the `learn` loop started (SB2 `time.time() - t_start`).
  var elapsedSeconds: Double
  /// The training episodes.
  var episodes: EpisodeTracker
}

/// How an algorithm prints its table at `verbose ≥ 1` (its `logger.record_tabular` calls).
struct ProgressTable {
  /// Whether update `u` (1-based) of a `learn` call prints, given `log_interval`.
  var isDue: (_ update: Int, _ logInterval: Int) -> Bool
  /// The record, keys in SB2's order.
  var record: (UpdateProgress) -> LogRecord

  /// SB2's A2C and ACKTR table, printed on update 1 and every `log_interval`-th
  /// (`update % log_interval == 0 or update == 1`): `nupdates`, `total_timesteps`,
  /// `fps = int(update·n_batch / seconds)`, `policy_entropy`, `policy_loss` (ACKTR only: SB2's A2C
  /// discards it), `value_loss`, `explained_variance`, and once an episode has ended
  /// `ep_reward_mean`, `ep_len_mean` (last 100 episodes; SB2 logs them only when `ep_info_buf`
  /// is not empty).
  static func onPolicy(withPolicyLoss: Bool) -> ProgressTable {
    ProgressTable(isDue: { update, interval in update % interval == 0 || update == 1 }) { progress in
      let m = progress.metrics
      var record = LogRecord([
        "nupdates": .integer(progress.update), "total_timesteps": .integer(m.timesteps),
        "fps": .integer(m.stepsPerSecond.isFinite ? Int(m.stepsPerSecond) : 0), "policy_entropy": .real(m.entropy),
      ])
      if withPolicyLoss { record["policy_loss"] = .real(m.policyLoss) }
      record["value_loss"] = .real(m.valueLoss)
      record["explained_variance"] = .real(m.explainedVariance)
      if !progress.episodes.episodes.isEmpty {
        record["ep_reward_mean"] = .real(progress.episodes.meanReturn())
        record["ep_len_mean"] = .real(progress.episodes.meanLength())
      }
      return record
    }
  }
}

/// The mean of `values` in `Double`, NaN when empty.
func batchMean(_ values: [Float]) -> Double {
  values.isEmpty ? .nan : values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
}

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

  /// A2C and ACKTR print on update 1 and every `log_interval`-th
  /// (`update % log_interval == 0 or update == 1`).
  static func onPolicy(_ record: @escaping (UpdateProgress) -> LogRecord) -> ProgressTable {
    ProgressTable(isDue: { update, interval in update % interval == 0 || update == 1 }, record: record)
  }
}

/// SB2's `fps` of A2C and ACKTR: `int((update · n_batch) / n_seconds)`, truncated; 0 when no time
/// has passed.
func framesPerSecond(_ progress: UpdateProgress) -> Int {
  let fps = progress.metrics.stepsPerSecond
  return fps.isFinite ? Int(fps) : 0
}

/// `ep_reward_mean` and `ep_len_mean` over the last 100 episodes, once there is one (SB2 logs
/// them only when `ep_info_buf` is not empty).
func appendEpisodeMeans(_ progress: UpdateProgress, to record: inout LogRecord) {
  guard !progress.episodes.episodes.isEmpty else { return }
  record["ep_reward_mean"] = .real(progress.episodes.meanReturn())
  record["ep_len_mean"] = .real(progress.episodes.meanLength())
}

/// The mean of `values` in `Double`, NaN when empty.
func batchMean(_ values: [Float]) -> Double {
  values.isEmpty ? .nan : values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
}

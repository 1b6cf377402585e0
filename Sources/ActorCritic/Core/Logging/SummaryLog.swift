import Foundation

/// The scalar summaries of one `learn` call, what stable-baselines 2 writes with
/// `writer.add_summary(summary, step)`: one dump per update under SB2's tags (`loss/loss`,
/// `input_info/learning_rate`, …) and one per completed episode (`episode_reward`), each at SB2's
/// step. They go to a ``TensorBoardScalarWriter`` in the run folder when the model has a
/// `tensorboard_log`, and to the model's extra ``TrainingState/summaryWriters``.
///
/// Writing never interrupts an update: the first failure is kept in ``error`` and `learn` throws
/// it once the update is done.
final class SummaryLog {
  /// The run folder (`<tensorboard_log>/<tb_log_name>_<n>`), `nil` without a `tensorboard_log`.
  let runFolder: URL?
  private let logger: Logger
  /// The first write that failed.
  private(set) var error: LoggingError?

  init(runFolder: URL?, writers: [any KeyValueWriter]) throws(LoggingError) {
    self.runFolder = runFolder
    var all = writers
    if let runFolder { all.insert(try TensorBoardScalarWriter(directory: runFolder), at: 0) }
    logger = Logger(writers: all)
  }

  /// Writes `scalars` as one event at `step`.
  func write(_ scalars: KeyValuePairs<String, Double>, step: Int) {
    for (tag, value) in scalars { logger.record(tag, .real(value)) }
    dump(step: step)
  }

  /// Writes one `episode_reward` point (SB2 logs each as its own event).
  func writeEpisodeReward(_ value: Double, step: Int) {
    logger.record("episode_reward", .real(value))
    dump(step: step)
  }

  /// Passes on what the writers buffer (SB2 flushes its `FileWriter` when `learn` ends).
  func flush() throws(LoggingError) {
    if let error { throw error }
    try logger.flush()
  }

  private func dump(step: Int) {
    do { try logger.dump(step: step) } catch { if self.error == nil { self.error = error } }
  }
}

/// A key/value logger in the shape of Stable-Baselines3's `logger.Logger` (stable-baselines 2's
/// `logger.py` before it): values are recorded during an update, and ``dump(step:)`` passes the
/// record to every writer and starts a new one.
///
/// ```swift
/// let logger = Logger(writers: [HumanReadableWriter.standardOutput(), try CSVWriter(url: csv)])
/// logger.record("total_timesteps", .integer(2048))
/// logger.recordMean("loss", 0.5)
/// try logger.dump(step: 2048)
/// ```
/// A model's ``TrainingState/logger`` receives the table SB2 prints at `verbose = 1`.
public final class Logger {
  /// Where dumps go.
  public var writers: [any KeyValueWriter]
  /// What has been recorded since the last dump.
  public private(set) var pending = LogRecord()
  private var meanCounts: [String: Int] = [:]

  public init(writers: [any KeyValueWriter]) { self.writers = writers }

  /// SB2's logger at `verbose = 1`: the human-readable table on standard output.
  public static func standardOutput() -> Logger { Logger(writers: [HumanReadableWriter.standardOutput()]) }

  /// Records `value` under `key`; the last value recorded before a dump wins (SB2 `logkv`).
  public func record(_ key: String, _ value: LogValue) {
    pending[key] = value
    meanCounts[key] = nil
  }

  /// Records the running mean of every value given for `key` until the next dump (SB2
  /// `logkv_mean`: `old·n/(n+1) + value/(n+1)`).
  public func recordMean(_ key: String, _ value: Double) {
    let n = meanCounts[key] ?? 0
    let old = n == 0 ? 0 : (pending[key]?.number ?? 0)
    pending[key] = .real(old * Double(n) / Double(n + 1) + value / Double(n + 1))
    meanCounts[key] = n + 1
  }

  /// Writes the pending record to every writer at `step`, then clears it (SB2 `dumpkvs`). An
  /// empty record is not written.
  public func dump(step: Int) throws(LoggingError) {
    defer {
      pending = LogRecord()
      meanCounts = [:]
    }
    guard !pending.isEmpty else { return }
    for writer in writers { try writer.write(pending, step: step) }
  }

  /// Passes on what every writer buffers.
  public func flush() throws(LoggingError) {
    for writer in writers { try writer.flush() }
  }
}

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Deterministic crash points for the kill-and-resume tests, chosen by the environment variable
/// `ACBENCH_FAULT` (unset in normal use, when every check is one comparison):
///
/// ```
/// ACBENCH_FAULT=kill-after-checkpoint:<n>    SIGKILL itself right after its n-th checkpoint
///                                            is written (between two updates)
/// ACBENCH_FAULT=kill-during-checkpoint:<n>   SIGKILL itself halfway through writing its n-th
///                                            checkpoint (a half-written temporary file is left)
/// ACBENCH_FAULT=kill-during-evaluation       SIGKILL itself when the evaluation after training starts
/// ```
/// Counts are per process. SIGKILL cannot be caught, so the process dies exactly as under
/// `kill -9`, a scheduler's hard kill or a power loss after the last `fsync`.
enum FaultInjection {
  enum Point: Equatable {
    case afterCheckpoint(Int)
    case duringCheckpoint(Int)
    case duringEvaluation
  }

  static let point: Point? = {
    guard let text = ProcessInfo.processInfo.environment["ACBENCH_FAULT"] else { return nil }
    let parts = text.split(separator: ":")
    switch (parts.first, parts.count > 1 ? Int(parts[1]) : nil) {
    case ("kill-after-checkpoint", let n?): return .afterCheckpoint(n)
    case ("kill-during-checkpoint", let n?): return .duringCheckpoint(n)
    case ("kill-during-evaluation", _): return .duringEvaluation
    default: return nil
    }
  }()

  private static let counter = Counter()

  /// Called before a checkpoint write: the bytes to write before dying, or nil to write all.
  static func bytesBeforeKill(checkpointBytes: Int) -> Int? {
    guard let point else { return nil }
    let n = counter.next(.started)
    if case .duringCheckpoint(let k) = point, k == n { return checkpointBytes / 2 }
    return nil
  }

  /// Called after a checkpoint is complete.
  static func checkpointWritten() {
    guard let point else { return }
    let n = counter.next(.written)
    if case .afterCheckpoint(let k) = point, k == n { kill("after checkpoint \(n)") }
  }

  /// Called when the evaluation starts.
  static func evaluationStarted() {
    if point == .duringEvaluation { kill("during the evaluation") }
  }

  static func kill(_ where: String) -> Never {
    FileHandle.standardError.write(Data("ACBENCH_FAULT: SIGKILL \(`where`)\n".utf8))
    _ = Glibc.kill(getpid(), SIGKILL)
    fatalError("SIGKILL did not end the process")
  }

  /// Per-process counts of started and written checkpoints.
  final class Counter: @unchecked Sendable {
    enum Kind { case started, written }
    private let lock = NSLock()
    private var started = 0
    private var written = 0
    func next(_ kind: Kind) -> Int {
      lock.withLock {
        switch kind {
        case .started:
          started += 1
          return started
        case .written:
          written += 1
          return written
        }
      }
    }
  }
}

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Deterministic crash points for the kill-and-resume tests, armed only by the hidden option
/// `bench run --fault <point>` (absent from `--help`; `bench run --jobs N` passes it on to its
/// `run-one` children):
///
/// ```
/// kill-after-checkpoint:<n>    SIGKILL itself right after its n-th checkpoint is written
///                              (between two updates)
/// kill-during-checkpoint:<n>   SIGKILL itself halfway through writing its n-th checkpoint
///                              (a half-written temporary file is left)
/// kill-during-evaluation       SIGKILL itself when the evaluation after training starts
/// ```
/// Counts are per process. SIGKILL cannot be caught, so the process dies exactly as under
/// `kill -9`, a scheduler's hard kill or a power loss after the last `fsync`. Unarmed (normal
/// use), each hook — at a checkpoint write and at the evaluation's start — reads one locked
/// optional.
///
/// Why an option and not an environment variable (as before): a variable left in a shell, a job
/// script or a cluster's environment would silently kill a user's runs, while an option has to be
/// typed on the command line that starts them, which the run's log shows. Why not `#if DEBUG`:
/// the tests run the release build (`-c release -enable-testing`), the build users run. Armed, the
/// process says so on standard error before it trains.
public enum FaultInjection {
  /// Where to die.
  public enum Point: Equatable, Sendable, CustomStringConvertible {
    case afterCheckpoint(Int)
    case duringCheckpoint(Int)
    case duringEvaluation

    /// Parses `kill-after-checkpoint:<n>`, `kill-during-checkpoint:<n>` (n ≥ 1) or
    /// `kill-during-evaluation`.
    /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` naming the allowed values.
    public init(parsing text: String) throws(BenchmarkError) {
      let parts = text.split(separator: ":", omittingEmptySubsequences: false)
      let count = parts.count == 2 ? Int(parts[1]) : nil
      switch (parts.first, count) {
      case ("kill-after-checkpoint", let n?) where n >= 1: self = .afterCheckpoint(n)
      case ("kill-during-checkpoint", let n?) where n >= 1: self = .duringCheckpoint(n)
      case ("kill-during-evaluation", nil) where parts.count == 1: self = .duringEvaluation
      default:
        throw .invalidOption(
          name: "--fault", value: text,
          allowed: "kill-after-checkpoint:<n>, kill-during-checkpoint:<n> (n ≥ 1), kill-during-evaluation")
      }
    }

    public var description: String {
      switch self {
      case .afterCheckpoint(let n): return "kill-after-checkpoint:\(n)"
      case .duringCheckpoint(let n): return "kill-during-checkpoint:\(n)"
      case .duringEvaluation: return "kill-during-evaluation"
      }
    }
  }

  private static let state = State()

  /// Arms `point` for the rest of this process and says so on standard error.
  public static func arm(_ point: Point) {
    state.arm(point)
    FileHandle.standardError.write(Data("Fault injection armed (--fault \(point)): this process kills itself there.\n".utf8))
  }

  /// The armed point, if any.
  public static var point: Point? { state.point }

  /// Called before a checkpoint write: the bytes to write before dying, or nil to write all.
  static func bytesBeforeKill(checkpointBytes: Int) -> Int? {
    guard let point else { return nil }
    let n = state.next(.started)
    if case .duringCheckpoint(let k) = point, k == n { return checkpointBytes / 2 }
    return nil
  }

  /// Called after a checkpoint is complete.
  static func checkpointWritten() {
    guard let point else { return }
    let n = state.next(.written)
    if case .afterCheckpoint(let k) = point, k == n { kill("after checkpoint \(n)") }
  }

  /// Called when the evaluation starts.
  static func evaluationStarted() {
    if point == .duringEvaluation { kill("during the evaluation") }
  }

  static func kill(_ where: String) -> Never {
    FileHandle.standardError.write(Data("--fault: SIGKILL \(`where`)\n".utf8))
    _ = Glibc.kill(getpid(), SIGKILL)
    fatalError("SIGKILL did not end the process")
  }

  /// The armed point and per-process counts of started and written checkpoints.
  final class State: @unchecked Sendable {
    enum Kind { case started, written }
    private let lock = NSLock()
    private var armed: Point?
    private var started = 0
    private var written = 0

    var point: Point? { lock.withLock { armed } }

    func arm(_ point: Point) { lock.withLock { armed = point } }

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

import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// SIGTERM and SIGINT turned into a request to stop: the running run writes a checkpoint after
/// its current update and `bench` exits with status 128 + signal (143 for SIGTERM, 130 for
/// SIGINT), the status a shell or Slurm reports for a process ended by that signal.
///
/// Slurm sends SIGTERM (then SIGKILL after `KillWait`, 30 s by default) at a job's time limit or
/// pre-emption; `scripts/slurm/bench-array.sbatch` sends it five minutes before the limit itself
/// (on Slurm's SIGUSR1) and requeues the task; a terminal sends SIGINT on Ctrl-C. Once
/// ``install()`` ran, neither ends the process by itself: a dispatch source records the signal
/// and calls the handlers (for example forwarding it to child processes); training polls
/// ``received`` after every update.
public final class StopSignal: @unchecked Sendable {
  /// The process-wide instance `bench run` installs.
  public static let shared = StopSignal()

  private let lock = NSLock()
  private var signalNumber: Int32?
  private var sources: [any DispatchSourceSignal] = []
  private var handlers: [@Sendable (Int32) -> Void] = []

  public init() {}

  /// Catches SIGTERM and SIGINT from now on (idempotent).
  public func install() {
    lock.withLock {
      guard sources.isEmpty else { return }
      for number in [SIGTERM, SIGINT] {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { [weak self] in self?.deliver(number) }
        source.resume()
        sources.append(source)
      }
    }
  }

  /// Records `number` as if it had been received (the first one wins) and runs the handlers.
  public func deliver(_ number: Int32) {
    let toCall: [@Sendable (Int32) -> Void] = lock.withLock {
      if signalNumber == nil { signalNumber = number }
      return handlers
    }
    for handler in toCall { handler(number) }
  }

  /// Adds a handler called (on a background queue) for every signal received.
  public func onSignal(_ handler: @escaping @Sendable (Int32) -> Void) { lock.withLock { handlers.append(handler) } }

  /// The first signal received, if any.
  public var received: Int32? { lock.withLock { signalNumber } }

  /// `SIGTERM`, `SIGINT`, or `signal <n>`.
  public static func name(_ number: Int32) -> String {
    switch number {
    case SIGTERM: return "SIGTERM"
    case SIGINT: return "SIGINT"
    default: return "signal \(number)"
    }
  }
}

import Foundation
import LinearAlgebra

/// One piece of work on its own thread, joined later: how K-FAC's asynchronous eigendecomposition
/// runs beside training (stable-baselines' `QueueRunner` thread) while staying deterministic —
/// the work's inputs are copied before it starts and its result is used at a fixed update.
final class BackgroundJob: @unchecked Sendable {
  private let done = DispatchSemaphore(value: 0)
  private var failure: (any Error)?
  private var joined = false

  /// Starts `work` on a new thread (16 MiB of stack: LAPACK's divide and conquer recurses). The
  /// work's BLAS and LAPACK calls count on the starting thread's ``FlopCounter/current``.
  init(_ work: @escaping () throws -> Void) {
    let box = WorkBox(work)
    let counter = FlopCounter.current
    let thread = Thread { [self] in
      do { try FlopCounter.counting(on: counter) { try box.work() } } catch { failure = error }
      done.signal()
    }
    thread.stackSize = 16 << 20
    thread.name = "KFAC eigendecomposition"
    thread.start()
  }

  /// Waits for the work to finish and rethrows its error; later calls return at once.
  func wait() throws {
    if !joined {
      done.wait()
      joined = true
    }
    if let failure { throw failure }
  }
}

/// Carries a non-`Sendable` closure to the job's thread; only that thread runs it.
private final class WorkBox: @unchecked Sendable {
  let work: () throws -> Void
  init(_ work: @escaping () throws -> Void) { self.work = work }
}

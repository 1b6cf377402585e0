import Synchronization

/// Counts the floating-point operations of the BLAS and LAPACK calls this module makes, from their
/// shapes by the usual formulas (LAPACK Working Note 41), so that a measured time gives the achieved
/// arithmetic rate to set beside the core's peak (one Haswell core: 32 single-precision flop/cycle):
///
/// | routine | operations |
/// | --- | --- |
/// | `sgemm`, `dgemm` (`op(A)` m×k, `op(B)` k×n) | 2·m·n·k |
/// | `ssyrk` (C n×n, k rows) | k·n·(n+1) (one triangle) |
/// | `sgemv`, `sger` (A m×n) | 2·m·n |
/// | `saxpy`, `sdot` (length n) | 2·n |
/// | `sscal` (length n) | n |
/// | `ssyevd`, `dsyevd` with eigenvectors (n×n) | 10·n³/3 |
///
/// The eigendecomposition counts its two dense stages, the reduction to tridiagonal form
/// (`xSYTRD`, 4n³/3) and the back-transformation of the eigenvectors (`xORMTR`, 2n³); the
/// divide-and-conquer solve of the tridiagonal problem between them, at most ≈ 4n³/3 and less the
/// more eigenvalues deflate, is left out. Also left out: element-wise work outside BLAS
/// (activations, optimiser steps, gathering image patches), the SVD of the orthogonal
/// initialisation, and the QR decomposition (which no training code calls). A count is therefore a
/// lower bound on the arithmetic done, and `count / time` a lower bound on the rate achieved.
/// Work on a second thread counts too (K-FAC's asynchronous eigendecomposition), so such a rate
/// can exceed one core's peak.
///
/// Counting is scoped: ``counting(_:)`` makes this counter ``current`` for the calls its body
/// makes on the calling thread (and in tasks it starts, while the scope is open). Work handed to
/// another thread counts when that thread binds the same counter with ``counting(on:_:)``, as
/// K-FAC's background eigendecomposition does; work still running when the caller reads
/// ``operations`` adds to it later (the count read after a training leaves out a decomposition
/// still in flight, one of thousands in a long run). Concurrent code that binds another counter, or none, is not counted, so
/// the counts of parallel tests do not mix. While no scope is open, a call costs one relaxed atomic
/// load.
public final class FlopCounter: Sendable {
  private let total = Atomic<Int>(0)

  public init() {}

  /// The operations counted so far.
  public var operations: Int { total.load(ordering: .relaxed) }

  /// The counter the calls of the current task (or thread, outside tasks) add to, if any.
  @TaskLocal public static var current: FlopCounter?

  /// How many ``counting(_:)`` scopes are open in the process: while none is, a call skips the
  /// task-local lookup of ``current``. Measured with `bench regress` (callgrind, CartPole A2C, whose
  /// BLAS calls are small): the lookup on every call adds 0.6% instructions, this gate 0.05%.
  /// `bench run` counts, so its training pays the lookup; `bench regress`, which counts nothing,
  /// measures the gate only.
  private static let openScopes = Atomic<Int>(0)

  /// Runs `body` with this counter as ``current``.
  public func counting<R>(_ body: () throws -> R) rethrows -> R {
    FlopCounter.openScopes.wrappingAdd(1, ordering: .relaxed)
    defer { FlopCounter.openScopes.wrappingSubtract(1, ordering: .relaxed) }
    return try FlopCounter.$current.withValue(self) { try body() }
  }

  /// Runs `body` counting on `counter` when there is one (``counting(_:)``), else uncounted: how
  /// work handed to another thread counts on the counter of the code that handed it over, e.g.
  /// `let counter = FlopCounter.current` before starting the thread, this inside it.
  public static func counting<R>(on counter: FlopCounter?, _ body: () throws -> R) rethrows -> R {
    guard let counter else { return try body() }
    return try counter.counting(body)
  }

  /// Adds `operations` to ``current``, if there is one.
  @usableFromInline
  static func record(_ operations: Int) {
    guard openScopes.load(ordering: .relaxed) > 0 else { return }
    current?.total.wrappingAdd(operations, ordering: .relaxed)
  }

  /// The operations ``FlopCounter`` counts for an eigendecomposition of an `n × n` symmetric
  /// matrix with eigenvectors (see the table above).
  public static func symmetricEigendecompositionOperations(dimension n: Int) -> Int {
    10 * n * n * n / 3
  }
}

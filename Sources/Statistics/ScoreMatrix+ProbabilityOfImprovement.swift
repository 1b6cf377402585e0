/// The probability that one algorithm beats another on a randomly chosen task.
extension ScoreMatrix {
  /// The average probability of improvement P(X > Y) of `self` (X) over `other` (Y).
  ///
  /// ```
  /// Pₘ(X > Y) = U_m / (N_x · N_y),   U_m = Σᵢ Σⱼ S(x_im, y_jm),   S(a, b) = 1 if a > b,
  ///                                                                   ½ if a = b, 0 if a < b
  /// P(X > Y) = (1/M) Σₘ Pₘ(X > Y)
  /// ```
  /// `U_m` is the Mann–Whitney U statistic of X on task m (SciPy `mannwhitneyu(x, y,
  /// alternative="greater").statistic`). As in rliable (`probability_of_improvement`), a task whose
  /// two score columns are identical, element by element, counts as exactly ½. The runs of X and Y
  /// may differ in number; the tasks must match.
  ///
  /// Reference: google-research/rliable `rliable/metrics.py`; Agarwal et al. 2021,
  /// https://arxiv.org/abs/2108.13264.
  /// - Throws: ``StatisticsError/taskCountMismatch(field:expected:actual:)`` if the matrices
  ///   cover different numbers of tasks.
  public func probabilityOfImprovement(over other: ScoreMatrix) throws(StatisticsError) -> Double {
    guard other.taskCount == taskCount else {
      throw .taskCountMismatch(field: "other", expected: taskCount, actual: other.taskCount)
    }
    var workspace = ImprovementWorkspace(xRuns: runCount, yRuns: other.runCount)
    return scores.withUnsafeBufferPointer { x in
      other.scores.withUnsafeBufferPointer { y in
        workspace.probability(x: x, xRuns: runCount, y: y, yRuns: other.runCount, tasks: taskCount)
      }
    }
  }
}

/// Reusable column buffers so that the bootstrap computes P(X > Y) without allocating.
struct ImprovementWorkspace {
  private var xs: [Double]
  private var ys: [Double]

  init(xRuns: Int, yRuns: Int) {
    xs = [Double](repeating: 0, count: xRuns)
    ys = [Double](repeating: 0, count: yRuns)
  }

  /// P(X > Y) averaged over tasks for row-major buffers of shape `xRuns × tasks`, `yRuns × tasks`.
  mutating func probability(
    x: UnsafeBufferPointer<Double>, xRuns: Int, y: UnsafeBufferPointer<Double>, yRuns: Int,
    tasks: Int
  ) -> Double {
    var total = 0.0
    xs.withUnsafeMutableBufferPointer { xs in
      ys.withUnsafeMutableBufferPointer { ys in
        for task in 0..<tasks {
          for run in 0..<xRuns { xs[run] = x[run * tasks + task] }
          for run in 0..<yRuns { ys[run] = y[run * tasks + task] }
          total += Self.taskProbability(xs, ys)
        }
      }
    }
    return total / Double(tasks)
  }

  /// U/(nₓ·n_y) for one task; sorts both columns in place.
  private static func taskProbability(
    _ xs: UnsafeMutableBufferPointer<Double>, _ ys: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    // Reference: rliable returns 0.5 when np.array_equal(x, y) (same length, same order).
    if xs.count == ys.count && elementsEqual(xs, ys) { return 0.5 }
    Descriptive.sortInPlace(xs)
    Descriptive.sortInPlace(ys)
    // Two pointers over sorted y: `below` = #{y < x}, `notAbove` = #{y ≤ x}.
    var below = 0
    var notAbove = 0
    var u = 0.0
    for x in xs {
      while below < ys.count && ys[below] < x { below += 1 }
      if notAbove < below { notAbove = below }
      while notAbove < ys.count && ys[notAbove] <= x { notAbove += 1 }
      u += Double(below) + 0.5 * Double(notAbove - below)
    }
    return u / (Double(xs.count) * Double(ys.count))
  }

  private static func elementsEqual(
    _ a: UnsafeMutableBufferPointer<Double>, _ b: UnsafeMutableBufferPointer<Double>
  ) -> Bool {
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
  }
}

/// The average probability of improvement P(X > Y) of algorithm `x` over algorithm `y`, as
/// rliable's `probability_of_improvement(scores_x, scores_y)`; the same as
/// `x.probabilityOfImprovement(over: y)` (see ``ScoreMatrix/probabilityOfImprovement(over:)``).
///
/// ```
/// P(X > Y) = (1/M) Σₘ U_m / (N_x · N_y)
/// ```
/// - Throws: ``StatisticsError/taskCountMismatch(field:expected:actual:)`` if the matrices
///   cover different numbers of tasks.
public func probabilityOfImprovement(_ x: ScoreMatrix, _ y: ScoreMatrix) throws(StatisticsError)
  -> Double
{
  try x.probabilityOfImprovement(over: y)
}

internal import CGSL

/// An aggregate performance metric over a ``ScoreMatrix`` (rliable's `aggregate_*` functions).
///
/// ```
/// mean            = (1/M) Σₘ x̄ₘ                      x̄ₘ = (1/N) Σₙ scores[n][m]
/// median          = median over tasks of x̄ₘ
/// IQM             = trim_mean(all N·M scores, 0.25)    (SciPy semantics, see Descriptive)
/// optimality gap  = γ − (1/NM) Σₙₘ min(scores[n][m], γ)
/// ```
/// Reference: google-research/rliable `rliable/metrics.py`; Agarwal et al. 2021,
/// "Deep Reinforcement Learning at the Edge of the Statistical Precipice",
/// https://arxiv.org/abs/2108.13264. Mean and median aggregate the per-task *mean* scores; IQM and
/// the optimality gap pool every run of every task.
public enum AggregateMetric: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Mean over tasks of the per-task mean score (`aggregate_mean`).
  case mean
  /// Median over tasks of the per-task mean score (`aggregate_median`).
  case median
  /// Interquartile mean over all runs × tasks (`aggregate_iqm`).
  case iqm
  /// How far scores fall short of the threshold `gamma` (γ) on average, after clipping at γ
  /// (`aggregate_optimality_gap`; lower is better).
  case optimalityGap(gamma: Double)

  /// rliable's usual quartet, in the order its examples report them: median, IQM, mean,
  /// optimality gap at γ = 1.
  public static let standard: [AggregateMetric] = [
    .median, .iqm, .mean, .optimalityGap(gamma: 1),
  ]

  /// A short human-readable name ("Median", "IQM", "Mean", "Optimality gap").
  public var description: String {
    switch self {
    case .mean: return "Mean"
    case .median: return "Median"
    case .iqm: return "IQM"
    case .optimalityGap: return "Optimality gap"
    }
  }

  /// A stable machine identifier ("mean", "median", "iqm", "optimality-gap@1.0"), used to name
  /// bootstrap random streams.
  public var identifier: String {
    switch self {
    case .mean: return "mean"
    case .median: return "median"
    case .iqm: return "iqm"
    case .optimalityGap(let gamma): return "optimality-gap@\(gamma)"
    }
  }

  /// The metric's value on `scores`.
  public func value(of scores: ScoreMatrix) -> Double {
    var scratch = [Double](repeating: 0, count: scores.runCount * scores.taskCount)
    return scores.scores.withUnsafeBufferPointer { values in
      scratch.withUnsafeMutableBufferPointer { scratch in
        evaluate(values, runCount: scores.runCount, taskCount: scores.taskCount, scratch: scratch)
      }
    }
  }

  /// Evaluates the metric on a row-major buffer without allocating; `scratch` must hold at least
  /// `runCount · taskCount` values and is overwritten.
  func evaluate(
    _ values: UnsafeBufferPointer<Double>, runCount: Int, taskCount: Int,
    scratch: UnsafeMutableBufferPointer<Double>
  ) -> Double {
    switch self {
    case .mean:
      taskMeans(values, runCount: runCount, taskCount: taskCount, into: scratch)
      var sum = 0.0
      for task in 0..<taskCount { sum += scratch[task] }
      return sum / Double(taskCount)
    case .median:
      taskMeans(values, runCount: runCount, taskCount: taskCount, into: scratch)
      let means = UnsafeMutableBufferPointer(rebasing: scratch[0..<taskCount])
      Descriptive.sortInPlace(means)
      _ = GSLRuntime.configured
      return gsl_stats_median_from_sorted_data(means.baseAddress, 1, taskCount)
    case .iqm:
      let count = runCount * taskCount
      let pooled = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
      _ = pooled.initialize(from: values)
      return Descriptive.trimmedMeanSortingInPlace(pooled, 0.25)
    case .optimalityGap(let gamma):
      var sum = 0.0
      for value in values { sum += Swift.min(value, gamma) }
      return gamma - sum / Double(values.count)
    }
  }

  private func taskMeans(
    _ values: UnsafeBufferPointer<Double>, runCount: Int, taskCount: Int,
    into means: UnsafeMutableBufferPointer<Double>
  ) {
    for task in 0..<taskCount {
      var sum = 0.0
      for run in 0..<runCount { sum += values[run * taskCount + task] }
      means[task] = sum / Double(runCount)
    }
  }
}

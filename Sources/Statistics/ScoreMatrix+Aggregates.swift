/// The aggregate metrics of ``AggregateMetric`` as properties, for readable call sites
/// (`scores.iqm`).
extension ScoreMatrix {
  /// The mean score of each task over runs.
  ///
  /// ```
  /// x̄ₘ = (1/N) Σₙ scores[n][m]
  /// ```
  public var taskMeans: [Double] {
    (0..<taskCount).map { task in
      var sum = 0.0
      for run in 0..<runCount { sum += scores[run * taskCount + task] }
      return sum / Double(runCount)
    }
  }

  /// Mean over tasks of the per-task mean score (rliable `aggregate_mean`).
  public var mean: Double { AggregateMetric.mean.value(of: self) }

  /// Median over tasks of the per-task mean score (rliable `aggregate_median`).
  public var median: Double { AggregateMetric.median.value(of: self) }

  /// Interquartile mean over all runs × tasks: SciPy `trim_mean(scores, 0.25, axis=None)`
  /// (rliable `aggregate_iqm`).
  public var iqm: Double { AggregateMetric.iqm.value(of: self) }

  /// The optimality gap at threshold γ (rliable `aggregate_optimality_gap`; lower is better).
  ///
  /// ```
  /// gap(γ) = γ − (1/NM) Σₙₘ min(scores[n][m], γ)
  /// ```
  public func optimalityGap(gamma: Double = 1) -> Double {
    AggregateMetric.optimalityGap(gamma: gamma).value(of: self)
  }
}

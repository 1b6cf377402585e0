import Randomness

/// Interval estimates for a set of algorithms at once (rliable's `get_interval_estimates`).
extension StratifiedBootstrap {
  /// Point estimates and intervals of `metrics` for every algorithm in `scores`.
  ///
  /// Each algorithm gets its own stream, `seeds.stream(for: "bootstrap/<name>")`, so adding an
  /// algorithm, or iterating the dictionary in another order, never changes another algorithm's
  /// interval (design.md §3).
  /// - Returns: for each algorithm name, the interval of each requested metric.
  public func intervalEstimates(
    for scores: [String: ScoreMatrix], metrics: [AggregateMetric] = AggregateMetric.standard,
    seeds: SeedSequence
  ) -> [String: [AggregateMetric: IntervalEstimate]] {
    var result: [String: [AggregateMetric: IntervalEstimate]] = [:]
    for (name, matrix) in scores {
      let stream = seeds.stream(for: Self.streamPurpose(forAlgorithm: name))
      let estimates = intervals(for: matrix, metrics: metrics, using: stream)
      result[name] = Dictionary(zip(metrics, estimates), uniquingKeysWith: { first, _ in first })
    }
    return result
  }

  /// Intervals of one metric along a learning curve: one score matrix per checkpoint (for
  /// IQM-versus-steps plots, rliable's `plot_sample_efficiency_curve`). Checkpoint `k` uses
  /// `seeds.stream(for: "bootstrap/<name>", index: k)`.
  public func curveEstimates(
    checkpoints: [ScoreMatrix], metric: AggregateMetric, algorithm name: String,
    seeds: SeedSequence
  ) -> [IntervalEstimate] {
    checkpoints.enumerated().map { index, matrix in
      let stream = seeds.stream(for: Self.streamPurpose(forAlgorithm: name), index: index)
      return interval(for: matrix, metric: metric, using: stream)
    }
  }

  /// The stream purpose used for an algorithm's bootstrap: `"bootstrap/<name>"`.
  public static func streamPurpose(forAlgorithm name: String) -> StreamPurpose {
    StreamPurpose(rawValue: StreamPurpose.bootstrap.rawValue + "/" + name)
  }
}

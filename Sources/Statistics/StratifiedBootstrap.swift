import Randomness

/// Stratified bootstrap percentile confidence intervals for statistics of score matrices.
///
/// One replicate resamples, *within every task independently*, `N` runs with replacement:
/// ```
/// resample[n][m] = scores[Iₙₘ][m],   Iₙₘ ~ Uniform{0, …, N−1} i.i.d.
/// θ*ᵦ = statistic(resampleᵦ),  b = 1 … B
/// CI = [ Q(θ*, α), Q(θ*, 1 − α) ],  α = (1 − confidenceLevel)/2   (type-7 quantiles)
/// ```
/// With ``Resampling/runsAndTasks`` the tasks are resampled too (`Jₘ` i.i.d. over tasks, drawn
/// before the run indices of the replicate): `resample[n][m] = scores[Iₙₘ][Jₘ]`.
///
/// Reference: google-research/rliable `rliable/library.py` (`StratifiedBootstrap`,
/// `get_interval_estimates`, percentile method of `arch.bootstrap`'s `conf_int`, which calls
/// `np.percentile` with linear interpolation); Agarwal et al. 2021,
/// https://arxiv.org/abs/2108.13264. Deviation: rliable draws its indices from NumPy's global RNG
/// even when given a `random_state`; every draw here comes from the ``RandomStream`` passed in, so
/// the same stream state gives the same interval, bit for bit.
public struct StratifiedBootstrap: Sendable, Hashable, Codable {
  /// What a replicate resamples.
  public enum Resampling: String, Sendable, Hashable, Codable {
    /// Runs within each task (rliable's default, `task_bootstrap=False`): uncertainty from
    /// re-running the same tasks with new seeds.
    case runsWithinTasks
    /// Runs within tasks and the tasks themselves (`task_bootstrap=True`): also the
    /// sensitivity to which tasks were chosen.
    case runsAndTasks
  }

  /// rliable's default replicate count for interval estimates (`reps=50000`).
  public static let defaultRepetitions = 50_000
  /// rliable's default replicate count for performance profiles (`reps=2000`).
  public static let defaultProfileRepetitions = 2_000

  /// The number of bootstrap replicates `B`.
  public let repetitions: Int
  /// The coverage of the interval, in `(0, 1)`; 0.95 gives 2.5 % and 97.5 % percentiles.
  public let confidenceLevel: Double
  /// What each replicate resamples.
  public let resampling: Resampling

  /// A bootstrap with `repetitions` replicates and the given coverage.
  /// - Throws: ``StatisticsError`` if `repetitions < 1` or `confidenceLevel` is outside `(0, 1)`.
  public init(
    repetitions: Int = StratifiedBootstrap.defaultRepetitions, confidenceLevel: Double = 0.95,
    resampling: Resampling = .runsWithinTasks
  ) throws(StatisticsError) {
    guard repetitions >= 1 else {
      throw .countTooSmall(field: "repetitions", value: repetitions, minimum: 1)
    }
    guard confidenceLevel > 0 && confidenceLevel < 1 else {
      throw .outOfRange(field: "confidenceLevel", value: confidenceLevel, allowed: "(0, 1)")
    }
    self.repetitions = repetitions
    self.confidenceLevel = confidenceLevel
    self.resampling = resampling
  }

  /// rliable's interval-estimate defaults: 50 000 replicates, 95 % coverage, runs within tasks.
  public static let standard = StratifiedBootstrap(
    validatedRepetitions: defaultRepetitions, confidenceLevel: 0.95, resampling: .runsWithinTasks)

  /// rliable's performance-profile defaults: 2 000 replicates, 95 % coverage, runs within tasks.
  public static let performanceProfile = StratifiedBootstrap(
    validatedRepetitions: defaultProfileRepetitions, confidenceLevel: 0.95,
    resampling: .runsWithinTasks)

  private init(validatedRepetitions: Int, confidenceLevel: Double, resampling: Resampling) {
    self.repetitions = validatedRepetitions
    self.confidenceLevel = confidenceLevel
    self.resampling = resampling
  }

  /// Decodes and validates a bootstrap configuration.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    try self.init(
      repetitions: container.decode(Int.self, forKey: .repetitions),
      confidenceLevel: container.decode(Double.self, forKey: .confidenceLevel),
      resampling: container.decode(Resampling.self, forKey: .resampling))
  }

  // MARK: - Public entry points

  /// Intervals for a vector-valued statistic (for example a performance profile over thresholds).
  ///
  /// `statistic` must return the same number of values for every input; it is called once on
  /// `scores` (the point estimates) and once per replicate.
  public func intervals(
    for scores: ScoreMatrix, using stream: RandomStream, statistic: (ScoreMatrix) -> [Double]
  ) -> [IntervalEstimate] {
    let point = statistic(scores)
    let replicates = replicate(scores, parameterCount: point.count, using: stream) {
      resample, output in
      let values = statistic(resample)
      precondition(values.count == output.count, "statistic must return \(output.count) values")
      for (i, value) in values.enumerated() { output[i] = value }
    }
    return intervals(point: point, sortedReplicates: replicates)
  }

  /// The interval for a scalar statistic.
  public func interval(
    for scores: ScoreMatrix, using stream: RandomStream, statistic: (ScoreMatrix) -> Double
  ) -> IntervalEstimate {
    intervals(for: scores, using: stream) { [statistic($0)] }[0]
  }

  /// Intervals for several aggregate metrics, all evaluated on the same replicates (as rliable's
  /// `lambda x: np.array([median(x), iqm(x), mean(x), og(x)])`). Adding or removing a metric
  /// does not change the others' intervals: the draws do not depend on the metrics.
  public func intervals(
    for scores: ScoreMatrix, metrics: [AggregateMetric], using stream: RandomStream
  ) -> [IntervalEstimate] {
    let point = metrics.map { $0.value(of: scores) }
    var scratch = [Double](repeating: 0, count: scores.runCount * scores.taskCount)
    let replicates = replicate(scores, parameterCount: metrics.count, using: stream) {
      resample, output in
      resample.scores.withUnsafeBufferPointer { values in
        scratch.withUnsafeMutableBufferPointer { scratch in
          for (i, metric) in metrics.enumerated() {
            output[i] = metric.evaluate(
              values, runCount: resample.runCount, taskCount: resample.taskCount, scratch: scratch)
          }
        }
      }
    }
    return intervals(point: point, sortedReplicates: replicates)
  }

  /// The interval for one aggregate metric.
  public func interval(
    for scores: ScoreMatrix, metric: AggregateMetric, using stream: RandomStream
  ) -> IntervalEstimate {
    intervals(for: scores, metrics: [metric], using: stream)[0]
  }

  /// The interval for the average probability of improvement P(X > Y), resampling the runs of
  /// X and of Y independently within each task (rliable's `StratifiedIndependentBootstrap`).
  ///
  /// Each replicate draws X's indices, then Y's, row-major. ``resampling`` must be
  /// ``Resampling/runsWithinTasks``; task resampling is not defined for two inputs (as in rliable).
  /// - Throws: ``StatisticsError`` if the task counts differ or tasks are to be resampled.
  public func probabilityOfImprovement(
    of x: ScoreMatrix, over y: ScoreMatrix, using stream: RandomStream
  ) throws(StatisticsError) -> IntervalEstimate {
    guard resampling == .runsWithinTasks else {
      throw .outOfRange(
        field: "resampling", value: .nan,
        allowed: "runsWithinTasks (task resampling is undefined for two score matrices)")
    }
    let point = try x.probabilityOfImprovement(over: y)
    var workspace = ImprovementWorkspace(xRuns: x.runCount, yRuns: y.runCount)
    var xResample = x
    var yResample = y
    var replicates = [Double](repeating: 0, count: repetitions)
    for rep in 0..<repetitions {
      xResample.withUnsafeMutableScores { resampleRuns(x.scores, x.runCount, x.taskCount, $0, stream) }
      yResample.withUnsafeMutableScores { resampleRuns(y.scores, y.runCount, y.taskCount, $0, stream) }
      replicates[rep] = xResample.scores.withUnsafeBufferPointer { xs in
        yResample.scores.withUnsafeBufferPointer { ys in
          workspace.probability(
            x: xs, xRuns: x.runCount, y: ys, yRuns: y.runCount, tasks: x.taskCount)
        }
      }
    }
    replicates.withUnsafeMutableBufferPointer { Descriptive.sortInPlace($0) }
    return intervals(point: [point], sortedReplicates: replicates)[0]
  }

  // MARK: - Engine

  /// Runs the replicates; returns them sorted, parameter-major: `[p · B + b]`.
  func replicate(
    _ scores: ScoreMatrix, parameterCount: Int, using stream: RandomStream,
    _ statistic: (ScoreMatrix, UnsafeMutableBufferPointer<Double>) -> Void
  ) -> [Double] {
    let runs = scores.runCount
    let tasks = scores.taskCount
    var resample = scores
    var output = [Double](repeating: 0, count: parameterCount)
    var taskIndices = [Int](repeating: 0, count: tasks)
    var results = [Double](repeating: 0, count: parameterCount * repetitions)
    for rep in 0..<repetitions {
      switch resampling {
      case .runsWithinTasks:
        resample.withUnsafeMutableScores { resampleRuns(scores.scores, runs, tasks, $0, stream) }
      case .runsAndTasks:
        for task in 0..<tasks { taskIndices[task] = stream.uniformInt(below: tasks) }
        resample.withUnsafeMutableScores { destination in
          for run in 0..<runs {
            for task in 0..<tasks {
              let source = stream.uniformInt(below: runs)
              destination[run * tasks + task] = scores.scores[source * tasks + taskIndices[task]]
            }
          }
        }
      }
      output.withUnsafeMutableBufferPointer { statistic(resample, $0) }
      for p in 0..<parameterCount { results[p * repetitions + rep] = output[p] }
    }
    results.withUnsafeMutableBufferPointer { all in
      for p in 0..<parameterCount {
        let start = p * repetitions
        Descriptive.sortInPlace(UnsafeMutableBufferPointer(rebasing: all[start..<(start + repetitions)]))
      }
    }
    return results
  }

  /// Percentile intervals from sorted, parameter-major replicates.
  func intervals(point: [Double], sortedReplicates: [Double]) -> [IntervalEstimate] {
    let alpha = (1 - confidenceLevel) / 2
    return sortedReplicates.withUnsafeBufferPointer { all in
      point.enumerated().map { p, estimate in
        let start = p * repetitions
        let sorted = UnsafeBufferPointer(rebasing: all[start..<(start + repetitions)])
        return IntervalEstimate(
          estimate: estimate,
          lower: Descriptive.quantileOfSorted(sorted, alpha),
          upper: Descriptive.quantileOfSorted(sorted, 1 - alpha))
      }
    }
  }
}

/// Fills `destination` (row-major `runs × tasks`) with runs drawn with replacement within each
/// task, row-major draw order.
func resampleRuns(
  _ source: [Double], _ runs: Int, _ tasks: Int, _ destination: UnsafeMutableBufferPointer<Double>,
  _ stream: RandomStream
) {
  source.withUnsafeBufferPointer { source in
    for run in 0..<runs {
      for task in 0..<tasks {
        destination[run * tasks + task] = source[stream.uniformInt(below: runs) * tasks + task]
      }
    }
  }
}

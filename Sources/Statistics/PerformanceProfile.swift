import Randomness

/// A performance profile: the fraction of scores above each threshold τ, with bootstrap intervals.
///
/// ```
/// run-score distribution:       F(τ) = (1/NM) Σₙₘ 1[scores[n][m] > τ]
/// average-score distribution:   F(τ) = (1/M)  Σₘ  1[x̄ₘ > τ]
/// ```
/// A profile that lies above another everywhere is stochastically dominant. Reference:
/// google-research/rliable `rliable/library.py` (`create_performance_profile`,
/// `run_score_deviation`, `mean_score_deviation`); Agarwal et al. 2021,
/// https://arxiv.org/abs/2108.13264 (§4.2, default 2 000 bootstrap replicates).
public struct PerformanceProfile: Sendable, Hashable, Codable {
  /// Which distribution the profile describes.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// Every run of every task counts (rliable `use_score_distribution=True`, the default:
    /// smaller uncertainty, unbiased).
    case runScores
    /// Only the per-task mean scores count (`use_score_distribution=False`).
    case taskMeans
  }

  /// The thresholds τ, in the order given.
  public let thresholds: [Double]
  /// The fraction above each threshold with its confidence interval.
  public let estimates: [IntervalEstimate]
  /// The distribution the profile describes.
  public let kind: Kind

  /// The point fractions `F(τ)` (one per threshold).
  public var fractions: [Double] { estimates.map(\.estimate) }
  /// The lower ends of the intervals.
  public var lower: [Double] { estimates.map(\.lower) }
  /// The upper ends of the intervals.
  public var upper: [Double] { estimates.map(\.upper) }

  /// The profile of `scores` at `thresholds`, with intervals from `bootstrap` driven by `stream`.
  /// - Throws: ``StatisticsError`` if `thresholds` is empty or holds a non-finite value.
  public init(
    scores: ScoreMatrix, thresholds: [Double], kind: Kind = .runScores,
    bootstrap: StratifiedBootstrap = .performanceProfile, using stream: RandomStream
  ) throws(StatisticsError) {
    try Descriptive.validate(thresholds, minimum: 1, field: "thresholds")
    var sorted = [Double](repeating: 0, count: scores.runCount * scores.taskCount)
    func profile(_ matrix: ScoreMatrix, into output: UnsafeMutableBufferPointer<Double>) {
      sorted.withUnsafeMutableBufferPointer { sorted in
        Self.fractionsAbove(thresholds, matrix, kind, scratch: sorted, into: output)
      }
    }
    let point = [Double](unsafeUninitializedCapacity: thresholds.count) { buffer, count in
      profile(scores, into: buffer)
      count = thresholds.count
    }
    let replicates = bootstrap.replicate(
      scores, parameterCount: thresholds.count, using: stream, profile)
    self.thresholds = thresholds
    self.estimates = bootstrap.intervals(point: point, sortedReplicates: replicates)
    self.kind = kind
  }

  /// Profiles for every algorithm in `scores`; algorithm `name` uses the stream
  /// `seeds.stream(for: "bootstrap/profile/<name>")`.
  /// - Throws: ``StatisticsError`` if `thresholds` is empty or holds a non-finite value.
  public static func profiles(
    for scores: [String: ScoreMatrix], thresholds: [Double], kind: Kind = .runScores,
    bootstrap: StratifiedBootstrap = .performanceProfile, seeds: SeedSequence
  ) throws(StatisticsError) -> [String: PerformanceProfile] {
    var result: [String: PerformanceProfile] = [:]
    for (name, matrix) in scores {
      let purpose = StreamPurpose(rawValue: StreamPurpose.bootstrap.rawValue + "/profile/" + name)
      result[name] = try PerformanceProfile(
        scores: matrix, thresholds: thresholds, kind: kind, bootstrap: bootstrap,
        using: seeds.stream(for: purpose))
    }
    return result
  }

  /// `count` evenly spaced thresholds from `start` to `end` inclusive (NumPy `linspace`).
  ///
  /// ```
  /// τₖ = start + k (end − start)/(count − 1),  k = 0 … count − 1
  /// ```
  /// - Throws: ``StatisticsError`` if `count < 2` or an end is not finite.
  public static func thresholds(from start: Double, to end: Double, count: Int)
    throws(StatisticsError) -> [Double]
  {
    guard count >= 2 else { throw .countTooSmall(field: "count", value: count, minimum: 2) }
    try StatisticsError.checkFinite([start, end], field: "[start, end]")
    let step = (end - start) / Double(count - 1)
    return (0..<count).map { $0 == count - 1 ? end : start + Double($0) * step }
  }

  /// F(τ) for every threshold: sort the pooled scores (or task means) once, then count the
  /// values ≤ τ by binary search.
  private static func fractionsAbove(
    _ thresholds: [Double], _ matrix: ScoreMatrix, _ kind: Kind,
    scratch: UnsafeMutableBufferPointer<Double>, into output: UnsafeMutableBufferPointer<Double>
  ) {
    let count: Int
    switch kind {
    case .runScores:
      count = matrix.runCount * matrix.taskCount
      matrix.scores.withUnsafeBufferPointer { _ = scratch.initialize(from: $0) }
    case .taskMeans:
      count = matrix.taskCount
      for task in 0..<matrix.taskCount {
        var sum = 0.0
        for run in 0..<matrix.runCount { sum += matrix.scores[run * matrix.taskCount + task] }
        scratch[task] = sum / Double(matrix.runCount)
      }
    }
    let values = UnsafeMutableBufferPointer(rebasing: scratch[0..<count])
    Descriptive.sortInPlace(values)
    for (k, tau) in thresholds.enumerated() {
      var low = 0
      var high = count
      while low < high {
        let mid = (low + high) / 2
        if values[mid] <= tau { low = mid + 1 } else { high = mid }
      }
      output[k] = Double(count - low) / Double(count)
    }
  }
}

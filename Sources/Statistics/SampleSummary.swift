/// The usual one-line description of a sample: count, mean, spread, median, IQM, extremes.
///
/// ```
/// mean = x̄,  standardDeviation = s (n − 1 in the denominator),  standardError = s / √n
/// ```
/// `bench` writes one of these per (environment, algorithm) into `aggregate/<suite>.json`
/// (design.md §5).
public struct SampleSummary: Sendable, Hashable, Codable {
  /// Number of values.
  public let count: Int
  /// Arithmetic mean.
  public let mean: Double
  /// Sample standard deviation (Bessel-corrected); `nil` when `count < 2`.
  public let standardDeviation: Double?
  /// Standard error of the mean, `s / √n`; `nil` when `count < 2`.
  public let standardError: Double?
  /// Median.
  public let median: Double
  /// Interquartile mean (SciPy `trim_mean` with 0.25 cut).
  public let iqm: Double
  /// Smallest value.
  public let minimum: Double
  /// Largest value.
  public let maximum: Double

  /// Summarises `sample`.
  /// - Throws: ``StatisticsError`` if the sample is empty or holds a non-finite value.
  public init(_ sample: [Double]) throws(StatisticsError) {
    try Descriptive.validate(sample, minimum: 1)
    let sorted = Descriptive.sortedCopy(sample)
    count = sample.count
    mean = try Descriptive.mean(sample)
    if count >= 2 {
      let sd = try Descriptive.standardDeviation(sample)
      standardDeviation = sd
      standardError = sd / Double(count).squareRoot()
    } else {
      standardDeviation = nil
      standardError = nil
    }
    median = try Descriptive.median(sorted)
    iqm = try Descriptive.iqm(sorted)
    minimum = sorted[0]
    maximum = sorted[sorted.count - 1]
  }
}

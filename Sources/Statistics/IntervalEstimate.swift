/// A point estimate with a confidence interval around it.
///
/// ```
/// lower ≤ (usually) estimate ≤ upper
/// ```
/// Percentile bootstrap intervals need not contain the point estimate for strongly skewed
/// statistics; for the aggregate metrics on ordinary score data they do.
public struct IntervalEstimate: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The statistic on the original data.
  public let estimate: Double
  /// The lower end of the confidence interval.
  public let lower: Double
  /// The upper end of the confidence interval.
  public let upper: Double

  /// An estimate with its interval.
  public init(estimate: Double, lower: Double, upper: Double) {
    self.estimate = estimate
    self.lower = lower
    self.upper = upper
  }

  /// `upper − lower`.
  public var width: Double { upper - lower }

  /// Whether `lower ≤ value ≤ upper`.
  public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

  /// `"estimate [lower, upper]"`.
  public var description: String { "\(estimate) [\(lower), \(upper)]" }
}

internal import CGSL

/// Welch's unequal-variances t-test of two independent samples (two-sided).
///
/// ```
/// t  = (x̄ − ȳ) / √(sₓ²/nₓ + s_y²/n_y)
/// ν  = (sₓ²/nₓ + s_y²/n_y)² / ( (sₓ²/nₓ)²/(nₓ − 1) + (s_y²/n_y)²/(n_y − 1) )
/// p  = 2 · P(T_ν > |t|)          (gsl_cdf_tdist_Q)
/// ```
/// Same as SciPy `scipy.stats.ttest_ind(x, y, equal_var=False)`. Reference: Welch 1947,
/// "The generalization of 'Student's' problem when several different population variances are
/// involved", Biometrika 34. Colas et al. 2019 (https://arxiv.org/abs/1904.06979) recommend it
/// for comparing RL algorithms over seeds.
public struct WelchTTest: Sendable, Hashable, Codable {
  /// The t statistic; positive when the first sample's mean is larger.
  public let statistic: Double
  /// The Welch–Satterthwaite degrees of freedom ν.
  public let degreesOfFreedom: Double
  /// The two-sided p-value.
  public let pValue: Double

  /// Tests whether `x` and `y` have the same mean.
  /// - Throws: ``StatisticsError`` if a sample has fewer than 2 values or a non-finite value, or
  ///   if both samples have zero variance.
  public init(_ x: [Double], _ y: [Double]) throws(StatisticsError) {
    try Descriptive.validate(x, minimum: 2, field: "x")
    try Descriptive.validate(y, minimum: 2, field: "y")
    let nx = Double(x.count)
    let ny = Double(y.count)
    let vx = try Descriptive.variance(x) / nx
    let vy = try Descriptive.variance(y) / ny
    guard vx + vy > 0 else { throw .zeroVariance(field: "x, y") }
    let t = (try Descriptive.mean(x) - Descriptive.mean(y)) / (vx + vy).squareRoot()
    let nu = (vx + vy) * (vx + vy) / (vx * vx / (nx - 1) + vy * vy / (ny - 1))
    _ = GSLRuntime.configured
    statistic = t
    degreesOfFreedom = nu
    pValue = Swift.min(1, 2 * gsl_cdf_tdist_Q(abs(t), nu))
  }
}

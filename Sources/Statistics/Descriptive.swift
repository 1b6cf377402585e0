internal import CGSL

/// Descriptive statistics of one sample, computed with GSL's `gsl_stats_*` routines.
///
/// Every function rejects empty samples and non-finite values with a ``StatisticsError``
/// (GSL would return NaN or sort NaNs unpredictably). Quantiles use linear interpolation between
/// order statistics, which is both GSL's `gsl_stats_quantile_from_sorted_data` and NumPy's default
/// `np.percentile(..., method="linear")`, so percentile bootstrap intervals match rliable/arch.
public enum Descriptive {
  /// The arithmetic mean (`gsl_stats_mean`).
  ///
  /// ```
  /// x̄ = (1/n) Σᵢ xᵢ
  /// ```
  /// - Throws: ``StatisticsError`` if the sample is empty or holds a non-finite value.
  public static func mean(_ sample: [Double]) throws(StatisticsError) -> Double {
    try validate(sample, minimum: 1)
    _ = GSLRuntime.configured
    return sample.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, $0.count) }
  }

  /// The unbiased sample variance with Bessel's correction (`gsl_stats_variance`).
  ///
  /// ```
  /// s² = Σᵢ (xᵢ − x̄)² / (n − 1)
  /// ```
  /// - Throws: ``StatisticsError`` if the sample has fewer than 2 values or a non-finite value.
  public static func variance(_ sample: [Double]) throws(StatisticsError) -> Double {
    try validate(sample, minimum: 2)
    _ = GSLRuntime.configured
    return sample.withUnsafeBufferPointer { gsl_stats_variance($0.baseAddress, 1, $0.count) }
  }

  /// The sample standard deviation with Bessel's correction (`gsl_stats_sd`), as
  /// `np.std(x, ddof=1)`.
  ///
  /// ```
  /// s = √( Σᵢ (xᵢ − x̄)² / (n − 1) )
  /// ```
  /// - Throws: ``StatisticsError`` if the sample has fewer than 2 values or a non-finite value.
  public static func standardDeviation(_ sample: [Double]) throws(StatisticsError) -> Double {
    try validate(sample, minimum: 2)
    _ = GSLRuntime.configured
    return sample.withUnsafeBufferPointer { gsl_stats_sd($0.baseAddress, 1, $0.count) }
  }

  /// The median: the middle order statistic, or the mean of the two middle ones
  /// (`gsl_stats_median_from_sorted_data`).
  /// - Throws: ``StatisticsError`` if the sample is empty or holds a non-finite value.
  public static func median(_ sample: [Double]) throws(StatisticsError) -> Double {
    try validate(sample, minimum: 1)
    let sorted = sortedCopy(sample)
    return sorted.withUnsafeBufferPointer {
      gsl_stats_median_from_sorted_data($0.baseAddress, 1, $0.count)
    }
  }

  /// The `probability`-quantile by linear interpolation between order statistics.
  ///
  /// ```
  /// h = p (n − 1);  Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)     (x₍ₖ₎ sorted, 0-based)
  /// ```
  /// This is Hyndman & Fan's type 7, GSL's `gsl_stats_quantile_from_sorted_data` and NumPy's
  /// default percentile.
  /// - Throws: ``StatisticsError`` if the sample is empty or holds a non-finite value, or if
  ///   `probability` is outside `[0, 1]`.
  public static func quantile(_ sample: [Double], _ probability: Double) throws(StatisticsError)
    -> Double
  {
    try quantiles(sample, [probability])[0]
  }

  /// Several quantiles of one sample, sorting it once. See ``quantile(_:_:)``.
  /// - Throws: ``StatisticsError`` if the sample is empty or holds a non-finite value, or if a
  ///   probability is outside `[0, 1]`.
  public static func quantiles(_ sample: [Double], _ probabilities: [Double])
    throws(StatisticsError) -> [Double]
  {
    try validate(sample, minimum: 1)
    for p in probabilities where !(p >= 0 && p <= 1) {
      throw .outOfRange(field: "probability", value: p, allowed: "[0, 1]")
    }
    let sorted = sortedCopy(sample)
    return sorted.withUnsafeBufferPointer { buffer in
      probabilities.map { quantileOfSorted(buffer, $0) }
    }
  }

  /// The trimmed mean with SciPy's `scipy.stats.trim_mean` semantics.
  ///
  /// ```
  /// k = ⌊proportionToCut · n⌋   (Python's int(), i.e. truncation)
  /// trimmedMean = mean(x₍ₖ₎, …, x₍ₙ₋ₖ₋₁₎)   over the sorted sample
  /// ```
  /// `k` values are dropped from *each* end, so with `proportionToCut = 0.25` and `n = 6`,
  /// `k = 1` (not 1.5): SciPy never interpolates partial observations.
  /// - Throws: ``StatisticsError`` if the sample is empty or holds a non-finite value, or if
  ///   `proportionToCut` is outside `[0, 0.5)`.
  public static func trimmedMean(_ sample: [Double], proportionToCut: Double)
    throws(StatisticsError) -> Double
  {
    try validate(sample, minimum: 1)
    guard proportionToCut >= 0 && proportionToCut < 0.5 else {
      throw .outOfRange(field: "proportionToCut", value: proportionToCut, allowed: "[0, 0.5)")
    }
    var sorted = sample
    return sorted.withUnsafeMutableBufferPointer { trimmedMeanSortingInPlace($0, proportionToCut) }
  }

  /// The interquartile mean: ``trimmedMean(_:proportionToCut:)`` with `proportionToCut = 0.25`
  /// (Agarwal et al. 2021, "Deep RL at the Edge of the Statistical Precipice",
  /// https://arxiv.org/abs/2108.13264).
  /// - Throws: ``StatisticsError`` if the sample is empty or holds a non-finite value.
  public static func iqm(_ sample: [Double]) throws(StatisticsError) -> Double {
    try trimmedMean(sample, proportionToCut: 0.25)
  }

  // MARK: - Internals shared with the aggregate metrics and the bootstrap

  static func validate(_ sample: [Double], minimum: Int, field: String = "sample")
    throws(StatisticsError)
  {
    try StatisticsError.checkCount(sample, minimum: minimum, field: field)
    try StatisticsError.checkFinite(sample, field: field)
  }

  static func sortedCopy(_ sample: [Double]) -> [Double] {
    var sorted = sample
    sorted.withUnsafeMutableBufferPointer { sortInPlace($0) }
    return sorted
  }

  /// Sorts ascending with `gsl_sort` (heapsort; deterministic).
  static func sortInPlace(_ buffer: UnsafeMutableBufferPointer<Double>) {
    guard buffer.count > 1 else { return }
    gsl_sort(buffer.baseAddress, 1, buffer.count)
  }

  /// Type-7 quantile of an already sorted, non-empty buffer, kept inside its bracket.
  ///
  /// ```
  /// h = p (n − 1),  k = ⌊h⌋:   Q(p) = GSL's (1 − δ) x₍ₖ₎ + δ x₍ₖ₊₁₎,  clamped to [x₍ₖ₎, x₍ₖ₊₁₎]
  /// ```
  /// GSL's convex combination can round one ulp outside its bracket (for x₍ₖ₎ = x₍ₖ₊₁₎ = 0.1,
  /// (1 − δ)·0.1 + δ·0.1 ≠ 0.1 for some δ), which would let the 2.5 % quantile of a constant
  /// sample — every bootstrap replicate of a single seed — exceed its 97.5 % quantile. Clamping
  /// changes nothing else: it restores Q(p) ∈ [x₍ₖ₎, x₍ₖ₊₁₎], so quantiles are monotone in p.
  static func quantileOfSorted(_ sorted: UnsafeBufferPointer<Double>, _ p: Double) -> Double {
    _ = GSLRuntime.configured
    let q = gsl_stats_quantile_from_sorted_data(sorted.baseAddress, 1, sorted.count, p)
    let n = sorted.count
    let h = p * Double(n - 1)
    let k = min(max(Int(h.rounded(.down)), 0), n - 1)
    return min(max(q, sorted[k]), sorted[min(k + 1, n - 1)])
  }

  /// SciPy's trim_mean over a scratch buffer, which it sorts in place.
  static func trimmedMeanSortingInPlace(
    _ buffer: UnsafeMutableBufferPointer<Double>, _ proportionToCut: Double
  ) -> Double {
    sortInPlace(buffer)
    let n = buffer.count
    let cut = Int((proportionToCut * Double(n)).rounded(.towardZero))
    var sum = 0.0
    for i in cut..<(n - cut) { sum += buffer[i] }
    return sum / Double(n - 2 * cut)
  }
}

internal import CGSL

/// Student's t distribution with ν degrees of freedom (GSL `gsl_cdf_tdist_*`).
///
/// ```
/// upperTail(t, ν) = P(T_ν > t)          quantile(p, ν) = t with P(T_ν ≤ t) = p
/// ```
/// ν may be fractional (Welch–Satterthwaite); ν = ∞ is the standard normal.
public enum StudentT {
  /// P(T_ν > t).
  public static func upperTail(_ t: Double, degreesOfFreedom nu: Double) -> Double {
    _ = GSLRuntime.configured
    return nu.isInfinite ? gsl_cdf_ugaussian_Q(t) : gsl_cdf_tdist_Q(t, nu)
  }

  /// The p-quantile, p ∈ (0, 1).
  public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
    _ = GSLRuntime.configured
    return nu.isInfinite ? gsl_cdf_ugaussian_Pinv(p) : gsl_cdf_tdist_Pinv(p, nu)
  }
}

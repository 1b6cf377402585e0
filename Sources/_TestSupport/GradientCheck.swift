/// Central finite differences of a scalar function, for gradient checks.
///
/// ```
/// ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h
/// ```
/// Evaluated in `Double` so that the check measures the analytic gradient, not the rounding of the
/// difference quotient.
public func numericalGradient(
  of f: ([Double]) -> Double, at x: [Double], step h: Double = 1e-5
) -> [Double] {
  var gradient = [Double](repeating: 0, count: x.count)
  var probe = x
  for i in x.indices {
    probe[i] = x[i] + h
    let up = f(probe)
    probe[i] = x[i] - h
    let down = f(probe)
    probe[i] = x[i]
    gradient[i] = (up - down) / (2 * h)
  }
  return gradient
}

/// The largest relative error between two gradients, `|a − n| / max(1, |a|, |n|)` per element.
public func maxRelativeError(_ analytic: [Double], _ numeric: [Double]) -> Double {
  precondition(analytic.count == numeric.count, "gradients differ in length")
  var worst = 0.0
  for (a, n) in zip(analytic, numeric) {
    worst = max(worst, abs(a - n) / max(1, abs(a), abs(n)))
  }
  return worst
}

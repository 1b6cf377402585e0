import Foundation
import Statistics

/// Fixed-precision number formatting for tables and reports: the same value always prints the
/// same text (C `printf` rounding, no locale, no "-0").
public enum Format {
  /// `x` with `digits` decimals; `nan`, `inf`, `-inf` for non-finite values.
  public static func fixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    let text = String(format: "%.\(digits)f", x)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(text.dropFirst())
    }
    return text
  }

  /// Decimals that suit the magnitude of a return: 1 for |x| ≥ 100, 2 for ≥ 1, else 3.
  public static func digits(for x: Double) -> Int {
    let a = abs(x)
    return a >= 100 ? 1 : (a >= 1 ? 2 : 3)
  }

  /// A return with magnitude-appropriate decimals.
  public static func score(_ x: Double) -> String { fixed(x, digits(for: x)) }

  /// `estimate [lower, upper]` with `digits` decimals.
  public static func interval(_ e: IntervalEstimate, _ digits: Int) -> String {
    "\(fixed(e.estimate, digits)) [\(fixed(e.lower, digits)), \(fixed(e.upper, digits))]"
  }

  /// ``interval(_:_:)`` of an estimate over `seeds` seeds; from one seed every bootstrap resample is
  /// that seed and the "interval" is the point, so the value alone is shown: `-20.32 (1 seed)`.
  public static func interval(_ e: IntervalEstimate, _ digits: Int, seeds: Int) -> String {
    seeds >= 2 ? interval(e, digits) : "\(fixed(e.estimate, digits)) (1 seed)"
  }

  /// A p-value: 3 significant decimals, `< 0.001` below that.
  public static func pValue(_ p: Double) -> String { p < 0.001 ? "< 0.001" : fixed(p, 3) }

  /// `2M`, `27.5M`, `500k`, `513k`, `950` for step counts (rounded to 3 significant figures at most).
  public static func steps(_ n: Int) -> String {
    if n >= 1_000_000 { return fixed(Double(n) / 1e6, n % 1_000_000 == 0 ? 0 : 1) + "M" }
    if n >= 1_000 { return "\(Int((Double(n) / 1e3).rounded()))k" }
    return "\(n)"
  }

  /// `12.3 s`, `4 min 05 s`, `1 h 02 min`.
  public static func duration(_ seconds: Double) -> String {
    if seconds < 60 { return fixed(seconds, 1) + " s" }
    let s = Int(seconds.rounded())
    if s < 3600 { return String(format: "%d min %02d s", s / 60, s % 60) }
    return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
  }
}

/// Short tick labels: `0`, `0.25`, `−250`, `1.5k`, `100k`, `1M`, `2.5B`.
///
/// ```
/// suffix  = B, M, k or none for |v| ≥ 10⁹, 10⁶, 10³, else
/// digits  = fewest decimals (≤ 6) that represent step / 10^(suffix) exactly
/// label   = v / 10^(suffix) to `digits` decimals, trailing zeros dropped, "−" for negatives
/// ```
/// Choosing the decimals from the tick *step* (not the value) keeps floating-point noise such as
/// `0.30000000000000004` out of labels, while each label still drops its own trailing zeros.
/// Negative numbers use the minus sign U+2212, which the built-in font draws wider than a hyphen.
public enum CompactNumberFormat {
  /// The label of `value` on an axis whose ticks are `step` apart.
  public static func string(for value: Double, step: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
    let step = step.isFinite && step > 0 ? step : max(abs(value), 1)
    if abs(value) < step * 1e-9 { return "0" }
    let magnitude = abs(value)
    let (divisor, suffix): (Double, String) =
      magnitude >= 1e9 ? (1e9, "B") : magnitude >= 1e6 ? (1e6, "M") : magnitude >= 1e3 ? (1e3, "k") : (1, "")
    let scaledStep = step / divisor
    var decimals = 0
    while decimals < 6 {
      let shifted = scaledStep * pow10(decimals)
      if abs(shifted - shifted.rounded()) <= 1e-6 * max(1, shifted) { break }
      decimals += 1
    }
    let body = fixed(magnitude / divisor, decimals: decimals)
    if body == "0" { return "0" }
    return (value < 0 ? "\u{2212}" : "") + body + suffix
  }

  /// `x ≥ 0` with `decimals` digits after the point, trailing zeros (and a bare point) removed.
  static func fixed(_ x: Double, decimals: Int) -> String {
    let scale = pow10(decimals)
    guard x * scale < 9e15 else { return String(x) }
    let units = UInt64((x * scale).rounded())
    let whole = units / UInt64(scale)
    var fraction = String(units % UInt64(scale))
    guard decimals > 0 else { return String(whole) }
    fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
  }
}

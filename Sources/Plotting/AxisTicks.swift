#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// "Nice" tick positions for a numeric axis by the 1-2-5 rule (Heckbert 1990, "Nice numbers
/// for graph labels", Graphics Gems).
///
/// ```
/// step  = nice((upper − lower) / (count − 1)),   nice(x) ∈ {1, 2, 5} · 10ᵏ  (nearest)
/// ticks = k · step  for  k = ⌊lower/step⌋ … ⌈upper/step⌉      (loose labelling)
/// ```
/// Heckbert first rounds the range itself to a nice number; we skip that step because it can
/// double the step (530 → 1000 → 500 for four ticks) and leave an axis with two labels.
/// With `extendToTicks` the axis grows to the outermost ticks, so the data never touches an
/// unlabelled end; otherwise the axis keeps `lower…upper` and only ticks inside it are kept.
public struct AxisTicks: Sendable, Hashable {
  /// The axis minimum.
  public let lower: Double
  /// The axis maximum.
  public let upper: Double
  /// The distance between ticks: 1, 2 or 5 times a power of ten.
  public let step: Double
  /// The tick positions, ascending.
  public let values: [Double]

  /// Ticks for data spanning `lower…upper`, aiming for about `targetCount` ticks.
  ///
  /// A degenerate range (`lower == upper`) is widened to ±1 around the value (±10 % when the
  /// value is large) so a constant series still gets an axis.
  public init(lower: Double, upper: Double, targetCount: Int = 6, extendToTicks: Bool = true) {
    precondition(lower.isFinite && upper.isFinite && lower <= upper, "tick range must be finite")
    var low = lower
    var high = upper
    if high - low <= max(abs(low), abs(high)) * 1e-12 {
      let pad = max(1, abs(low) * 0.1)
      low -= pad
      high += pad
    }
    let count = max(2, targetCount)
    let step = Self.nice((high - low) / Double(count - 1))
    let firstIndex = Int((low / step).rounded(.down))
    let lastIndex = Int((high / step).rounded(.up))
    var values = (firstIndex...lastIndex).map { Double($0) * step }
    if extendToTicks {
      low = values[0]
      high = values[values.count - 1]
    } else {
      let tolerance = step * 1e-9
      values = values.filter { $0 >= low - tolerance && $0 <= high + tolerance }
    }
    self.lower = low
    self.upper = high
    self.step = step
    self.values = values
  }

  /// Heckbert's nice number: the value of {1, 2, 5} · 10ᵏ nearest to `x` (geometric cut-offs
  /// 1.5, 3, 7 on the mantissa).
  static func nice(_ x: Double) -> Double {
    let exponent = (x.isNormal ? log10(x) : 0).rounded(.down)
    let magnitude = pow10(Int(exponent))
    let fraction = x / magnitude
    let niceFraction: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
    return niceFraction * magnitude
  }

  /// The compact labels of ``values`` (see ``CompactNumberFormat``).
  public var labels: [String] { values.map { CompactNumberFormat.string(for: $0, step: step) } }
}

/// 10ᵏ, exact for the integer powers a double can hold exactly, by repeated multiplication or
/// division (no Foundation `pow`).
func pow10(_ k: Int) -> Double {
  var result = 1.0
  if k >= 0 {
    for _ in 0..<k { result *= 10 }
  } else {
    for _ in 0..<(-k) { result /= 10 }
  }
  return result
}

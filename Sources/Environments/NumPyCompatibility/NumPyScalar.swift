/// A scalar with the type NumPy 2 gives it, so arithmetic can follow NEP 50 promotion exactly.
///
/// Gymnasium's MountainCarContinuous mixes `np.float32` (its state after the first step and its
/// action), `np.float64` (its state right after `reset()`) and plain Python floats (constants and
/// clipped values). Under NEP 50 (NumPy ≥ 2) a Python float is *weak*: it takes the other
/// operand's NumPy type. The rules, for arithmetic and comparisons alike:
/// ```
/// float32 ∘ float32 → float32      float32 ∘ python → float32 (the Python value rounded first)
/// float64 ∘ any     → float64      float32 ∘ float64 → float64      python ∘ python → python
/// ```
/// (NEP 50: https://numpy.org/neps/nep-0050-scalar-promotion.html)
enum NumPyScalar {
  /// `np.float32`.
  case float32(Float)
  /// `np.float64`.
  case float64(Double)
  /// A Python `float` (or `int`): a double-precision value with weak type.
  case python(Double)

  /// The value widened to `Double` (exact).
  var value: Double {
    switch self {
    case .float32(let x): return Double(x)
    case .float64(let x), .python(let x): return x
    }
  }

  private enum Kind { case single, double, python }

  private var kind: Kind {
    switch self {
    case .float32: return .single
    case .float64: return .double
    case .python: return .python
    }
  }

  private var single: Float {
    switch self {
    case .float32(let x): return x
    case .float64(let x), .python(let x): return Float(x)
    }
  }

  private static func resultKind(_ a: NumPyScalar, _ b: NumPyScalar) -> Kind {
    switch (a.kind, b.kind) {
    case (.double, _), (_, .double): return .double
    case (.single, _), (_, .single): return .single
    case (.python, .python): return .python
    }
  }

  private static func apply(
    _ a: NumPyScalar, _ b: NumPyScalar, _ single: (Float, Float) -> Float,
    _ double: (Double, Double) -> Double
  ) -> NumPyScalar {
    switch resultKind(a, b) {
    case .single: return .float32(single(a.single, b.single))
    case .double: return .float64(double(a.value, b.value))
    case .python: return .python(double(a.value, b.value))
    }
  }

  private static func compare(
    _ a: NumPyScalar, _ b: NumPyScalar, _ single: (Float, Float) -> Bool,
    _ double: (Double, Double) -> Bool
  ) -> Bool {
    resultKind(a, b) == .single ? single(a.single, b.single) : double(a.value, b.value)
  }

  static func + (a: NumPyScalar, b: NumPyScalar) -> NumPyScalar { apply(a, b, +, +) }
  static func - (a: NumPyScalar, b: NumPyScalar) -> NumPyScalar { apply(a, b, -, -) }
  static func * (a: NumPyScalar, b: NumPyScalar) -> NumPyScalar { apply(a, b, *, *) }
  static func > (a: NumPyScalar, b: NumPyScalar) -> Bool { compare(a, b, >, >) }
  static func < (a: NumPyScalar, b: NumPyScalar) -> Bool { compare(a, b, <, <) }
  static func >= (a: NumPyScalar, b: NumPyScalar) -> Bool { compare(a, b, >=, >=) }
  static func == (a: NumPyScalar, b: NumPyScalar) -> Bool { compare(a, b, ==, ==) }
}

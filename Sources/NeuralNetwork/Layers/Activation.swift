#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An elementwise nonlinearity `h = φ(s)`.
public enum Activation: String, Codable, Sendable, CaseIterable {
  /// `φ(s) = tanh(s)`, `φ'(s) = 1 − h²` (the stable-baselines MLP default).
  case tanh
  /// `φ(s) = max(0, s)`, `φ'(s) = 1[s > 0]` (the Nature CNN).
  case relu
  /// `φ(s) = s` (output heads).
  case identity

  /// Applies φ to `count` elements.
  @inlinable
  public func apply(_ s: UnsafePointer<Float>, _ h: UnsafeMutablePointer<Float>, count: Int) {
    switch self {
    case .tanh: for i in 0..<count { h[i] = fastTanh(s[i]) }
    case .relu: for i in 0..<count { h[i] = Swift.max(0, s[i]) }
    case .identity: h.update(from: s, count: count)
    }
  }

  /// Multiplies `gradient` in place by φ'(s), written in terms of the output `h` where possible.
  @inlinable
  public func multiplyByDerivative(
    _ gradient: UnsafeMutablePointer<Float>, preActivation s: UnsafePointer<Float>,
    output h: UnsafePointer<Float>, count: Int
  ) {
    switch self {
    case .tanh: for i in 0..<count { gradient[i] *= 1 - h[i] * h[i] }
    case .relu: for i in 0..<count where s[i] <= 0 { gradient[i] = 0 }
    case .identity: break
    }
  }

  /// Writes `δ = g ⊙ φ'(s)` in one pass, with the same arithmetic as copying `g` and calling
  /// ``multiplyByDerivative(_:preActivation:output:count:)`` (the ReLU mask is a select, so it
  /// vectorises).
  @inlinable
  public func writeDerivativeProduct(
    _ gradient: UnsafePointer<Float>, preActivation s: UnsafePointer<Float>, output h: UnsafePointer<Float>,
    into delta: UnsafeMutablePointer<Float>, count: Int
  ) {
    switch self {
    case .tanh: for i in 0..<count { delta[i] = gradient[i] * (1 - h[i] * h[i]) }
    case .relu: for i in 0..<count { delta[i] = s[i] <= 0 ? 0 : gradient[i] }
    case .identity: delta.update(from: gradient, count: count)
    }
  }
}

/// `tanh` for `Float` as Eigen's `generic_fast_tanh_float`: a 13/6 rational approximation on
/// `[−7.9988, 7.9988]` (clamped outside, where `tanh` rounds to ±1 in `Float`).
///
/// ```
/// tanh(x) ≈ x·(α₁ + α₃x² + … + α₁₃x¹²) / (β₀ + β₂x² + β₄x⁴ + β₆x⁶)
/// ```
/// This is the kernel TensorFlow's CPU `Tanh` op runs (through Eigen), so it is the reference's
/// own arithmetic; it is branch-free, so the compiler vectorises the activation loop, which
/// glibc's `tanhf` prevents. Maximum error against `tanh` in `Double`: below 1e-6 absolute
/// (tested).
@inlinable @inline(__always)
public func fastTanh(_ x: Float) -> Float {
  let clamped = Swift.min(Swift.max(x, -7.998_811_72), 7.998_811_72)
  let x2 = clamped * clamped
  var p: Float = -2.760_768_47e-16
  p = p * x2 + 2.000_187_9e-13
  p = p * x2 - 8.604_671_52e-11
  p = p * x2 + 5.122_297_09e-08
  p = p * x2 + 1.485_722_36e-05
  p = p * x2 + 6.372_619_29e-04
  p = p * x2 + 4.893_524_56e-03
  p *= clamped
  var q: Float = 1.198_258_39e-06
  q = q * x2 + 1.185_347_06e-04
  q = q * x2 + 2.268_434_63e-03
  q = q * x2 + 4.893_525_19e-03
  let r = p / q
  // Eigen returns x itself for |x| < 4e-4, where the rational form loses relative accuracy.
  return Swift.abs(x) < 0.0004 ? x : r
}

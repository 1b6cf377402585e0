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
    case .tanh: for i in 0..<count { h[i] = tanhf(s[i]) }
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
}

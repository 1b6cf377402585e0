/// The scalar type of one observation component, as a NumPy `dtype` names it.
///
/// Gymnasium's spaces fix the element type of what an environment emits: `Discrete` and
/// `MultiDiscrete` observations are `int64`, `MultiBinary` ones `int8`, and a `Box` carries its own
/// `dtype` (`uint8` for Atari and MinAtar frames, `float32` for classic control, sometimes `float64`).
/// Observations keep that type from the environment through rollouts, replay and frame stacking;
/// only the policy converts them to `Float` (stable-baselines' `common/input.py`).
public enum ElementType: String, Codable, Sendable, CaseIterable, CustomStringConvertible {
  /// Unsigned bytes, `0…255` (image frames).
  case uint8
  /// Signed bytes (Gymnasium's `MultiBinary` dtype).
  case int8
  /// 64-bit integers (Gymnasium's `Discrete` and `MultiDiscrete` dtype).
  case int64
  /// IEEE single precision (classic control).
  case float32
  /// IEEE double precision.
  case float64

  /// Bytes per component.
  public var byteCount: Int {
    switch self {
    case .uint8, .int8: return 1
    case .int64, .float64: return 8
    case .float32: return 4
    }
  }

  /// Whether the type is a floating-point type.
  public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

  /// NumPy's name: `uint8`, `int8`, `int64`, `float32`, `float64`.
  public var description: String { rawValue }
}

/// A Swift scalar type that observations can be made of; the bridge between ``ElementType`` tags
/// and typed buffers.
///
/// `floatValue` is NumPy's `astype(np.float32)`: exact for `UInt8`, `Int8` and small integers,
/// round-to-nearest-even for `Double` and large `Int64`.
public protocol ObservationElement: Sendable {
  /// The tag of this Swift type.
  static var elementType: ElementType { get }
  /// The component as the network reads it, before any scaling.
  var floatValue: Float { get }
  /// The component as a `Double` (exact for every element type).
  var doubleValue: Double { get }
}

extension UInt8: ObservationElement {
  public static var elementType: ElementType { .uint8 }
  @inlinable public var floatValue: Float { Float(self) }
  @inlinable public var doubleValue: Double { Double(self) }
}

extension Int8: ObservationElement {
  public static var elementType: ElementType { .int8 }
  @inlinable public var floatValue: Float { Float(self) }
  @inlinable public var doubleValue: Double { Double(self) }
}

extension Int64: ObservationElement {
  public static var elementType: ElementType { .int64 }
  @inlinable public var floatValue: Float { Float(self) }
  @inlinable public var doubleValue: Double { Double(self) }
}

extension Float: ObservationElement {
  public static var elementType: ElementType { .float32 }
  @inlinable public var floatValue: Float { self }
  @inlinable public var doubleValue: Double { Double(self) }
}

extension Double: ObservationElement {
  public static var elementType: ElementType { .float64 }
  @inlinable public var floatValue: Float { Float(self) }
  @inlinable public var doubleValue: Double { self }
}

extension ElementType {
  /// Calls `body` with the Swift type of this tag.
  @inlinable
  public func withSwiftType<R>(_ body: (any ObservationElement.Type) throws -> R) rethrows -> R {
    switch self {
    case .uint8: return try body(UInt8.self)
    case .int8: return try body(Int8.self)
    case .int64: return try body(Int64.self)
    case .float32: return try body(Float.self)
    case .float64: return try body(Double.self)
    }
  }
}

/// How ACER's replay buffer stores one observation component.
///
/// stable-baselines keeps image observations as `uint8` and everything else as `float32`
/// (`acer/buffer.py`, algorithms.md §4.4). The buffer is generic over this element, so image
/// observations can be stored at a quarter of the size by choosing `UInt8`:
/// ```
/// stored = Element(encoding: x);   x' = stored.decoded
/// ```
public protocol ReplayObservationElement: Sendable {
  /// Encodes one observation component for storage.
  init(encoding value: Float)
  /// The component as the network reads it.
  var decoded: Float { get }
}

extension Float: ReplayObservationElement {
  /// Stores the value unchanged.
  @inlinable public init(encoding value: Float) { self = value }
  /// The stored value.
  @inlinable public var decoded: Float { self }
}

extension UInt8: ReplayObservationElement {
  /// Stores a pixel intensity: `round(x)` clamped to `0…255` (exact for integer pixels).
  @inlinable public init(encoding value: Float) {
    self = value.isNaN ? 0 : UInt8(Swift.min(Swift.max(value.rounded(), 0), 255))
  }
  /// The intensity as a float, `0…255`.
  @inlinable public var decoded: Float { Float(self) }
}

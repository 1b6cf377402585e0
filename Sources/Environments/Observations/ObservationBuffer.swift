import Foundation

/// `count` observations of one space, stored contiguously in the space's own element type.
///
/// ```
/// observation i  =  bytes[i·bytesPerObservation ..< (i + 1)·bytesPerObservation]
/// bytesPerObservation = elementsPerObservation · elementType.byteCount
/// ```
/// This is the one observation contract of the package: environments write raw observations into
/// slices of a buffer (a `uint8` frame stays `uint8`), vector environments, frame stacking,
/// rollouts and ACER's replay move bytes, and only the policy converts to `Float`
/// (stable-baselines' `common/input.py`). The memory is allocated once, aligned to 64 bytes and
/// bound to the element type, so environments can write through typed pointers
/// (``typedElements(as:)``) and the rest can copy bytes.
///
/// A reference type, because environments and wrappers overwrite the same buffer every step; take
/// a ``copy()`` to keep observations across steps.
public final class ObservationBuffer {
  /// The type of every component.
  public let elementType: ElementType
  /// Components per observation (`Space.observationElementCount`).
  public let elementsPerObservation: Int
  /// Number of observations.
  public let count: Int
  /// `elementsPerObservation · elementType.byteCount`.
  public let bytesPerObservation: Int

  private let base: UnsafeMutableRawPointer

  /// A zero-filled buffer of `count` observations of `elementsPerObservation` components each.
  ///
  /// - Precondition: `elementsPerObservation ≥ 1` and `count ≥ 0`.
  public init(elementType: ElementType, elementsPerObservation: Int, count: Int) {
    precondition(elementsPerObservation >= 1, "an observation needs at least one component")
    precondition(count >= 0, "an observation buffer cannot hold \(count) observations")
    self.elementType = elementType
    self.elementsPerObservation = elementsPerObservation
    self.count = count
    bytesPerObservation = elementsPerObservation * elementType.byteCount
    let byteCount = max(1, bytesPerObservation * count)
    base = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    let elements = elementsPerObservation * count
    elementType.withSwiftType { type in Self.bind(base, to: type, capacity: elements) }
  }

  /// A zero-filled buffer for `count` observations of `space`.
  public convenience init(space: Space, count: Int) {
    self.init(
      elementType: space.observationElementType, elementsPerObservation: space.observationElementCount,
      count: count)
  }

  /// A buffer holding `values` as `count = values.count / elementsPerObservation` observations.
  ///
  /// - Precondition: `values.count` is a positive multiple of `elementsPerObservation`.
  public convenience init<T: ObservationElement>(_ values: [T], elementsPerObservation: Int) {
    precondition(
      elementsPerObservation >= 1 && !values.isEmpty && values.count % elementsPerObservation == 0,
      "\(values.count) values do not make whole observations of \(elementsPerObservation) components")
    self.init(
      elementType: T.elementType, elementsPerObservation: elementsPerObservation,
      count: values.count / elementsPerObservation)
    let typed = typedElements(as: T.self)
    for i in values.indices { typed[i] = values[i] }
  }

  deinit { base.deallocate() }

  private static func bind<T>(_ pointer: UnsafeMutableRawPointer, to type: T.Type, capacity: Int) {
    _ = pointer.bindMemory(to: type, capacity: capacity)
  }

  /// `bytesPerObservation · count`.
  public var byteCount: Int { bytesPerObservation * count }

  /// Every byte of the buffer.
  public var bytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: byteCount) }

  /// The bytes of observation `i`, for an environment to write into.
  public func observation(_ i: Int) -> UnsafeMutableRawBufferPointer {
    precondition(i >= 0 && i < count, "observation \(i) is outside 0..<\(count)")
    return UnsafeMutableRawBufferPointer(start: base + i * bytesPerObservation, count: bytesPerObservation)
  }

  /// Every component as `T`.
  ///
  /// - Precondition: `T.elementType == elementType`.
  public func typedElements<T: ObservationElement>(as type: T.Type) -> UnsafeMutableBufferPointer<T> {
    precondition(T.elementType == elementType, "the buffer holds \(elementType), not \(T.elementType)")
    return UnsafeMutableBufferPointer(
      start: base.assumingMemoryBound(to: T.self), count: elementsPerObservation * count)
  }

  /// Copies observation `j` of `source` into observation `i` (same element type and size).
  public func copyObservation(_ i: Int, from source: ObservationBuffer, at j: Int) {
    precondition(
      source.elementType == elementType && source.elementsPerObservation == elementsPerObservation,
      "cannot copy \(source.elementsPerObservation) × \(source.elementType) into "
        + "\(elementsPerObservation) × \(elementType)")
    observation(i).copyMemory(from: UnsafeRawBufferPointer(source.observation(j)))
  }

  /// Copies all of `source` (same element type, size and count).
  public func copyAll(from source: ObservationBuffer) {
    precondition(
      source.elementType == elementType && source.byteCount == byteCount,
      "cannot copy a buffer of another shape")
    bytes.copyMemory(from: UnsafeRawBufferPointer(source.bytes))
  }

  /// Sets observation `i` to all zeros (every element type's zero is all-zero bits; `memset` keeps
  /// the memory bound to the element type, which `initializeMemory(as: UInt8.self, …)` would not).
  public func zeroObservation(_ i: Int) {
    let slot = observation(i)
    memset(slot.baseAddress!, 0, slot.count)
  }

  /// Sets every observation to zeros.
  public func zeroAll() { memset(base, 0, max(1, byteCount)) }

  /// An independent copy.
  public func copy() -> ObservationBuffer {
    let result = ObservationBuffer(
      elementType: elementType, elementsPerObservation: elementsPerObservation, count: count)
    result.copyAll(from: self)
    return result
  }

  /// Every component converted to `Float` (NumPy `astype(np.float32)`); allocates.
  public func floats() -> [Float] {
    elementType.withSwiftType { type in floats(as: type) }
  }

  /// The components of observation `i` converted to `Float`; allocates.
  public func floats(of i: Int) -> [Float] {
    precondition(i >= 0 && i < count, "observation \(i) is outside 0..<\(count)")
    return elementType.withSwiftType { type in floats(as: type, range: (i * elementsPerObservation)..<((i + 1) * elementsPerObservation)) }
  }

  private func floats<T: ObservationElement>(as type: T.Type, range: Range<Int>? = nil) -> [Float] {
    let all = typedElements(as: type)
    return (range ?? 0..<all.count).map { all[$0].floatValue }
  }

  /// Whether both buffers hold the same element type, shape and bytes.
  public func hasSameContents(as other: ObservationBuffer) -> Bool {
    elementType == other.elementType && elementsPerObservation == other.elementsPerObservation
      && count == other.count && bytes.elementsEqual(other.bytes)
  }
}

extension UnsafeMutableRawBufferPointer {
  /// The bytes as `Float32` components (the memory must be bound to `Float`, as an
  /// ``ObservationBuffer`` of `float32` is); for environments that emit `float32` observations.
  @inlinable
  public var float32Components: UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(
      start: baseAddress!.assumingMemoryBound(to: Float.self), count: count / MemoryLayout<Float>.stride)
  }
}

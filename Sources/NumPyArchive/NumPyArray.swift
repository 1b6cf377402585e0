/// An n-dimensional NumPy array as a `.npy` file holds it: a dtype, a C-order shape and the
/// elements as little-endian bytes.
///
/// Only the plain numeric dtypes and `bool` are represented (NumPy `descr` `|b1`, `|i1`, `|u1`,
/// `<i2`, `<u2`, `<i4`, `<u4`, `<i8`, `<u8`, `<f4`, `<f8`); object arrays (`|O`, pickled) and
/// structured dtypes are refused by the reader, since nothing here may run pickle.
public struct NumPyArray: Equatable, Sendable {
  /// The element type.
  public let dtype: DType
  /// The shape, outermost axis first (`[]` for a 0-d array).
  public let shape: [Int]
  /// The elements in C order, each `dtype.byteCount` little-endian bytes.
  public let bytes: [UInt8]

  /// The element types a `.npy` file may hold here.
  public enum DType: String, Sendable, CaseIterable, CustomStringConvertible {
    case bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64

    /// Bytes per element.
    public var byteCount: Int {
      switch self {
      case .bool, .int8, .uint8: 1
      case .int16, .uint16: 2
      case .int32, .uint32, .float32: 4
      case .int64, .uint64, .float64: 8
      }
    }

    /// NumPy's type character (`b`, `i`, `u`, `f`).
    var kind: Character {
      switch self {
      case .bool: "b"
      case .int8, .int16, .int32, .int64: "i"
      case .uint8, .uint16, .uint32, .uint64: "u"
      case .float32, .float64: "f"
      }
    }

    /// NumPy's `descr` as `np.save` writes it on a little-endian machine (`<f4`, `|b1`).
    public var descr: String { "\(byteCount == 1 ? "|" : "<")\(kind)\(byteCount)" }

    /// The dtype of a `descr` kind and size, or `nil`.
    init?(kind: Character, byteCount: Int) {
      guard let match = DType.allCases.first(where: { $0.kind == kind && $0.byteCount == byteCount }) else { return nil }
      self = match
    }

    public var description: String { rawValue }
  }

  /// The number of elements (the product of the shape; 1 for a 0-d array).
  public var count: Int { shape.reduce(1, *) }

  /// Wraps raw little-endian element bytes.
  ///
  /// - Throws: ``NumPyArchiveError/invalidArray(reason:)`` when a dimension is negative or the
  ///   byte count is not `count · dtype.byteCount`.
  public init(dtype: DType, shape: [Int], bytes: [UInt8]) throws(NumPyArchiveError) {
    guard let count = NumPyArray.elementCount(shape) else {
      throw .invalidArray(reason: "shape \(shape.prefix(8)) must have non-negative dimensions with a representable product")
    }
    let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount)
    guard !overflow, bytes.count == expected else {
      throw .invalidArray(reason: "a \(dtype) array of shape \(shape) needs \(count) × \(dtype.byteCount) bytes, got \(bytes.count)")
    }
    self.dtype = dtype
    self.shape = shape
    self.bytes = bytes
  }

  /// The product of `shape`, or `nil` for a negative dimension or an overflow.
  static func elementCount(_ shape: [Int]) -> Int? {
    var product = 1
    for d in shape {
      guard d >= 0 else { return nil }
      let (p, overflow) = product.multipliedReportingOverflow(by: d)
      if overflow { return nil }
      product = p
    }
    return product
  }

  // MARK: - Building from Swift values

  /// A `float32` array.
  public init(float32 values: [Float], shape: [Int]) throws(NumPyArchiveError) {
    try self.init(dtype: .float32, shape: shape, bytes: NumPyArray.littleEndianBytes(values.map(\.bitPattern)))
  }

  /// A `float64` array.
  public init(float64 values: [Double], shape: [Int]) throws(NumPyArchiveError) {
    try self.init(dtype: .float64, shape: shape, bytes: NumPyArray.littleEndianBytes(values.map(\.bitPattern)))
  }

  /// An `int64` array.
  public init(int64 values: [Int64], shape: [Int]) throws(NumPyArchiveError) {
    try self.init(dtype: .int64, shape: shape, bytes: NumPyArray.littleEndianBytes(values))
  }

  /// A `bool` array (one byte per element, 0 or 1).
  public init(bool values: [Bool], shape: [Int]) throws(NumPyArchiveError) {
    try self.init(dtype: .bool, shape: shape, bytes: values.map { $0 ? 1 : 0 })
  }

  static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(values.count * MemoryLayout<T>.size)
    for v in values { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
    return out
  }

  // MARK: - Reading as Swift values

  /// Every element converted to `Double` as NumPy's `astype(np.float64)` does (booleans 0/1;
  /// 64-bit integers beyond 2⁵³ round to nearest).
  public func doubles() -> [Double] {
    bytes.withUnsafeBytes { raw in
      (0..<count).map { i in
        let o = i * dtype.byteCount
        switch dtype {
        case .bool: return raw[o] != 0 ? 1 : 0
        case .int8: return Double(Int8(bitPattern: raw[o]))
        case .uint8: return Double(raw[o])
        case .int16: return Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int16.self)))
        case .uint16: return Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
        case .int32: return Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int32.self)))
        case .uint32: return Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
        case .int64: return Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int64.self)))
        case .uint64: return Double(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        case .float32:
          return Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self))))
        case .float64:
          return Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        }
      }
    }
  }

  /// Every element as `Float` (`astype(np.float32)`: a `float64` rounds to nearest once).
  public func floats() -> [Float] {
    if dtype == .float32 {
      return bytes.withUnsafeBytes { raw in
        (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
      }
    }
    return doubles().map { Float($0) }
  }

  /// Every element as a truth value (non-zero is `true`, as NumPy's `astype(bool)`).
  public func bools() -> [Bool] { doubles().map { $0 != 0 } }
}

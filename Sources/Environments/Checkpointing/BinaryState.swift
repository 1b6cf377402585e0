import Foundation

/// The byte encoding of checkpointed state: a flat little-endian stream written and read in the
/// same order, with no field names (the order is the schema; each writer documents its own).
///
/// ```
/// Int, UInt64      8 bytes, little-endian two's complement
/// UInt32           4 bytes;   UInt8, Bool 1 byte (Bool: 0 or 1, anything else is refused)
/// Double, Float    IEEE-754 bit pattern, 8 / 4 bytes, little-endian
/// String           Int byte count n, then n bytes of UTF-8
/// [T]              Int element count n, then n elements (numeric arrays as one block of bytes)
/// T?               Bool present, then T when present
/// ```
/// Reading never trusts a count: every length is checked against the bytes left before
/// anything is allocated, so a truncated or corrupt stream is a ``BinaryStateError``, never a
/// crash or a huge allocation.
///
/// The writer holds the stream as consecutive ``blocks``: a byte array of at least
/// ``sharedBlockBytes`` (ACER's replay of frames) and a nested section join as blocks of their
/// own that share their storage (copy-on-write) instead of being copied, so a checkpoint of a
/// replay ring streams to its file without a second copy of the ring in memory (the owner must
/// not change the array while the writer is alive, or Swift copies it then).
public struct BinaryStateWriter: Sendable {
  /// Sealed blocks, in stream order, before ``tail``.
  private var sealed: [[UInt8]] = []
  /// The block being written.
  private var tail: [UInt8] = []
  /// Bytes written so far.
  public private(set) var count = 0

  /// Byte arrays this long or longer join the stream as shared blocks (1 MiB).
  public static let sharedBlockBytes = 1 << 20

  public init() {}

  /// A writer that has written `bytes` already (shared, not copied).
  public init(wrapping bytes: [UInt8]) {
    sealed = [bytes]
    count = bytes.count
  }

  /// The stream as consecutive blocks (what a file writer writes one after the other).
  public var blocks: [[UInt8]] { tail.isEmpty ? sealed : sealed + [tail] }

  /// The bytes written so far, in one array (a copy when the stream holds shared blocks).
  public var bytes: [UInt8] {
    guard !sealed.isEmpty else { return tail }
    var all: [UInt8] = []
    all.reserveCapacity(count)
    for block in sealed { all.append(contentsOf: block) }
    all.append(contentsOf: tail)
    return all
  }

  private mutating func seal() {
    if !tail.isEmpty { sealed.append(tail) }
    tail = []
  }

  public mutating func write(_ value: UInt8) { append(value) }
  public mutating func write(_ value: Bool) { append(value ? 1 : 0) }
  public mutating func write(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
  public mutating func write(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
  public mutating func write(_ value: Int) { write(UInt64(bitPattern: Int64(value))) }
  public mutating func write(_ value: Double) { write(value.bitPattern) }
  public mutating func write(_ value: Float) { write(value.bitPattern) }

  public mutating func write(_ value: String) {
    let utf8 = Array(value.utf8)
    write(utf8.count)
    append(contentsOf: utf8)
  }

  public mutating func write(_ value: Int?) {
    write(value != nil)
    if let value { write(value) }
  }

  /// Raw bytes with their count.
  public mutating func write(bytes value: some Collection<UInt8>) {
    write(value.count)
    append(contentsOf: value)
  }

  /// Raw bytes with their count; an array of ``sharedBlockBytes`` or more joins as a shared block.
  public mutating func write(bytes value: [UInt8]) {
    write(value.count)
    if value.count >= Self.sharedBlockBytes {
      seal()
      sealed.append(value)
      count += value.count
    } else {
      append(contentsOf: value)
    }
  }

  /// Raw bytes with their count, from memory.
  public mutating func write(bytes value: UnsafeRawBufferPointer) {
    write(value.count)
    append(contentsOf: value)
  }

  /// A numeric array as its count and one block of little-endian elements.
  public mutating func write<T: BinaryStateScalar>(_ values: [T]) {
    write(values.count)
    #if _endian(little)
      values.withUnsafeBytes { append(contentsOf: $0) }
    #else
      for v in values { v.append(to: &self) }
    #endif
  }

  public mutating func write(_ values: [Bool]) {
    write(values.count)
    for v in values { append(v ? 1 : 0) }
  }

  /// Appends another writer's bytes with their count (a nested section that can be skipped);
  /// its blocks are shared, not copied.
  public mutating func write(section: BinaryStateWriter) {
    write(section.count)
    seal()
    sealed.append(contentsOf: section.sealed)
    tail = section.tail
    count += section.count
  }

  private mutating func append(_ byte: UInt8) {
    tail.append(byte)
    count += 1
  }

  private mutating func append(contentsOf values: some Sequence<UInt8>) {
    let before = tail.count
    tail.append(contentsOf: values)
    count += tail.count - before
  }
}

/// Reads what ``BinaryStateWriter`` wrote, in the same order.
///
/// The reader views its bytes without copying them: a nested section (``readSection(_:)``) and a
/// byte slice (``readByteSlice(_:)``) share the storage of the stream they come from, so restoring
/// a checkpoint of gigabytes (an Atari ACER replay) holds the file's bytes once, not once per level
/// of nesting.
public struct BinaryStateReader {
  private let bytes: ArraySlice<UInt8>
  /// The next byte to read, counted from the start of this reader's bytes.
  public private(set) var offset: Int

  public init(_ bytes: [UInt8], offset: Int = 0) {
    self.init(bytes[...], offset: offset)
  }

  /// A reader of `bytes` that shares their storage (nothing is copied).
  public init(_ bytes: ArraySlice<UInt8>, offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  /// Bytes not read yet.
  public var remaining: Int { bytes.count - offset }

  private mutating func take(_ count: Int, _ field: String) throws(BinaryStateError) -> ArraySlice<UInt8> {
    guard count >= 0, count <= remaining else {
      throw .truncated(field: field, needed: count, remaining: remaining)
    }
    defer { offset += count }
    let start = bytes.startIndex + offset
    return bytes[start..<(start + count)]
  }

  private mutating func little<T: FixedWidthInteger>(_ type: T.Type, _ field: String) throws(BinaryStateError) -> T {
    let slice = try take(MemoryLayout<T>.size, field)
    var value: T = 0
    for (shift, byte) in slice.enumerated() { value |= T(truncatingIfNeeded: byte) << (8 * shift) }
    return value
  }

  public mutating func readUInt8(_ field: String) throws(BinaryStateError) -> UInt8 { try little(UInt8.self, field) }
  public mutating func readUInt32(_ field: String) throws(BinaryStateError) -> UInt32 { try little(UInt32.self, field) }
  public mutating func readUInt64(_ field: String) throws(BinaryStateError) -> UInt64 { try little(UInt64.self, field) }
  public mutating func readInt(_ field: String) throws(BinaryStateError) -> Int {
    Int(Int64(bitPattern: try little(UInt64.self, field)))
  }
  public mutating func readDouble(_ field: String) throws(BinaryStateError) -> Double {
    Double(bitPattern: try little(UInt64.self, field))
  }
  public mutating func readFloat(_ field: String) throws(BinaryStateError) -> Float {
    Float(bitPattern: try little(UInt32.self, field))
  }

  public mutating func readBool(_ field: String) throws(BinaryStateError) -> Bool {
    switch try readUInt8(field) {
    case 0: return false
    case 1: return true
    case let other: throw .invalid(field: field, reason: "a Bool byte must be 0 or 1, found \(other)")
    }
  }

  public mutating func readString(_ field: String) throws(BinaryStateError) -> String {
    let count = try readInt(field)
    guard let text = String(validating: try take(count, field), as: UTF8.self) else {
      throw .invalid(field: field, reason: "not UTF-8")
    }
    return text
  }

  public mutating func readOptionalInt(_ field: String) throws(BinaryStateError) -> Int? {
    try readBool(field) ? try readInt(field) : nil
  }

  /// Bytes written by ``BinaryStateWriter/write(bytes:)-(Collection)``.
  public mutating func readBytes(_ field: String) throws(BinaryStateError) -> [UInt8] {
    Array(try take(try readInt(field), field))
  }

  /// Bytes written by ``BinaryStateWriter/write(bytes:)-(Collection)``, as a slice of the reader's
  /// storage: nothing is copied (a restore that validates a replay ring's gigabytes before taking
  /// them reads them once, into the ring).
  public mutating func readByteSlice(_ field: String) throws(BinaryStateError) -> ArraySlice<UInt8> {
    try take(try readInt(field), field)
  }

  /// Bytes of a known count (checked), copied into `destination`.
  public mutating func readBytes(_ field: String, into destination: UnsafeMutableRawBufferPointer) throws(BinaryStateError) {
    let count = try readInt(field)
    guard count == destination.count else {
      throw .invalid(field: field, reason: "expected \(destination.count) bytes, found \(count)")
    }
    let slice = try take(count, field)
    slice.withUnsafeBytes { destination.copyMemory(from: $0) }
  }

  /// A numeric array; `expectedCount` (when given) must match.
  public mutating func readArray<T: BinaryStateScalar>(
    _ type: T.Type, _ field: String, count expectedCount: Int? = nil
  ) throws(BinaryStateError) -> [T] {
    let count = try readInt(field)
    if let expectedCount, count != expectedCount {
      throw .invalid(field: field, reason: "expected \(expectedCount) elements, found \(count)")
    }
    guard count >= 0, count <= remaining / MemoryLayout<T>.size else {
      throw .truncated(field: field, needed: max(count, 0) &* MemoryLayout<T>.size, remaining: remaining)
    }
    #if _endian(little)
      let slice = try take(count * MemoryLayout<T>.size, field)
      return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        slice.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
        initialized = count
      }
    #else
      var values: [T] = []
      values.reserveCapacity(count)
      for _ in 0..<count { values.append(try T.read(from: &self, field)) }
      return values
    #endif
  }

  public mutating func readBools(_ field: String, count expectedCount: Int? = nil) throws(BinaryStateError) -> [Bool] {
    let count = try readInt(field)
    if let expectedCount, count != expectedCount {
      throw .invalid(field: field, reason: "expected \(expectedCount) elements, found \(count)")
    }
    guard count >= 0, count <= remaining else { throw .truncated(field: field, needed: count, remaining: remaining) }
    var values: [Bool] = []
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(try readBool(field)) }
    return values
  }

  /// A nested section written by ``BinaryStateWriter/write(section:)``, sharing this reader's
  /// storage (nothing is copied).
  public mutating func readSection(_ field: String) throws(BinaryStateError) -> BinaryStateReader {
    BinaryStateReader(try readByteSlice(field))
  }

  /// Throws unless every byte was read (a section longer than its reader expects is corrupt).
  public func requireEnd(_ field: String) throws(BinaryStateError) {
    guard remaining == 0 else { throw .invalid(field: field, reason: "\(remaining) unexpected trailing bytes") }
  }
}

/// A fixed-width number type ``BinaryStateWriter`` writes in arrays (on little-endian machines
/// as one block of memory).
public protocol BinaryStateScalar {
  func append(to writer: inout BinaryStateWriter)
  static func read(from reader: inout BinaryStateReader, _ field: String) throws(BinaryStateError) -> Self
}

extension Double: BinaryStateScalar {
  public func append(to writer: inout BinaryStateWriter) { writer.write(self) }
  public static func read(from reader: inout BinaryStateReader, _ field: String) throws(BinaryStateError) -> Double {
    try reader.readDouble(field)
  }
}

extension Float: BinaryStateScalar {
  public func append(to writer: inout BinaryStateWriter) { writer.write(self) }
  public static func read(from reader: inout BinaryStateReader, _ field: String) throws(BinaryStateError) -> Float {
    try reader.readFloat(field)
  }
}

extension Int: BinaryStateScalar {
  public func append(to writer: inout BinaryStateWriter) { writer.write(self) }
  public static func read(from reader: inout BinaryStateReader, _ field: String) throws(BinaryStateError) -> Int {
    try reader.readInt(field)
  }
}

extension Int32: BinaryStateScalar {
  public func append(to writer: inout BinaryStateWriter) { writer.write(UInt32(bitPattern: self)) }
  public static func read(from reader: inout BinaryStateReader, _ field: String) throws(BinaryStateError) -> Int32 {
    Int32(bitPattern: try reader.readUInt32(field))
  }
}

/// A checkpointed state stream that cannot be read back: truncated, or a value out of range.
public enum BinaryStateError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The stream ends before `field` (`needed` bytes, `remaining` left).
  case truncated(field: String, needed: Int, remaining: Int)
  /// `field` holds a value that does not fit the object it is restored into.
  case invalid(field: String, reason: String)

  public var description: String {
    switch self {
    case .truncated(let field, let needed, let remaining):
      return "state ends inside \(field) (needs \(needed) bytes, \(remaining) left)"
    case .invalid(let field, let reason):
      return "state field \(field): \(reason)"
    }
  }
}

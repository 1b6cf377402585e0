import Environments

/// Reads the little-endian numbers of a bridge frame's payload (``BridgeProtocol``) in order;
/// every read is bounds-checked and a short payload is a protocol violation, never a trap.
struct WireReader {
  let bytes: UnsafeRawBufferPointer
  private(set) var offset = 0
  /// The environment named in errors.
  let environment: String

  init(_ bytes: UnsafeRawBufferPointer, environment: String) {
    self.bytes = bytes
    self.environment = environment
  }

  var remaining: Int { bytes.count - offset }

  /// The next `count` bytes.
  mutating func take(_ count: Int) throws(EnvironmentError) -> UnsafeRawBufferPointer {
    guard count >= 0, count <= remaining else {
      throw .hosted(
        HostedEnvironmentFailure(
          kind: .protocolViolation, environment: environment,
          message: "a reply ended after \(bytes.count) bytes; \(count) more were expected at offset \(offset)"))
    }
    let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    offset += count
    return slice
  }

  mutating func read<T: FixedWidthInteger>(_ type: T.Type) throws(EnvironmentError) -> T {
    let raw = try take(MemoryLayout<T>.size)
    return T(littleEndian: raw.loadUnaligned(as: T.self))
  }

  mutating func readDouble() throws(EnvironmentError) -> Double {
    Double(bitPattern: try read(UInt64.self))
  }

  /// `count` f64 values.
  mutating func readDoubles(_ count: Int) throws(EnvironmentError) -> [Double] {
    guard count >= 0, count <= remaining / 8 else { _ = try take(remaining + 1); return [] }
    var values = [Double](repeating: 0, count: count)
    for i in 0..<count { values[i] = try readDouble() }
    return values
  }
}

/// Appends little-endian numbers to a frame payload.
struct WireWriter {
  private(set) var bytes: [UInt8] = []

  mutating func append<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func append(_ value: Double) { append(value.bitPattern) }

  mutating func append(contentsOf raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }
}

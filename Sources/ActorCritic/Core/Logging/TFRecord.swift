/// TFRecord framing, the container of TensorBoard event files:
///
/// ```
/// u64 length (little-endian) | u32 masked_crc32c(length bytes) | payload | u32 masked_crc32c(payload)
/// ```
/// (tensorflow/core/lib/io/record_writer.cc; pixels-and-bridge.md §6.) A single bad data CRC makes
/// TensorBoard load no scalars from a file at all, so a reader must check both CRCs.
public enum TFRecord {
  /// One framed record.
  public static func frame(_ payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(payload.count + 16)
    let length = withUnsafeBytes(of: UInt64(payload.count).littleEndian) { Array($0) }
    out.append(contentsOf: length)
    withUnsafeBytes(of: CRC32C.maskedChecksum(length).littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: payload)
    withUnsafeBytes(of: CRC32C.maskedChecksum(payload).littleEndian) { out.append(contentsOf: $0) }
    return out
  }

  /// What ``records(in:)`` found.
  public struct Scan: Sendable {
    /// The payloads whose two CRCs are right, in file order.
    public var payloads: [[UInt8]]
    /// One message per skipped or truncated record, naming its byte offset.
    public var warnings: [String]
  }

  /// Splits `bytes` into records, keeping only those whose length and data CRCs are right. A
  /// record with a bad data CRC is skipped with a warning (its length was sound, so the next
  /// record is found); a bad length CRC or a truncated tail ends the scan with a warning.
  public static func records(in bytes: [UInt8]) -> Scan {
    var scan = Scan(payloads: [], warnings: [])
    var offset = 0
    func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
    while offset < bytes.count {
      guard bytes.count - offset >= 12 else {
        scan.warnings.append("record at byte \(offset): truncated header, ignored")
        break
      }
      let lengthBytes = Array(bytes[offset..<(offset + 8)])
      guard CRC32C.maskedChecksum(lengthBytes) == u32(offset + 8) else {
        scan.warnings.append("record at byte \(offset): length CRC mismatch, rest of the file ignored")
        break
      }
      let length = lengthBytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
      let available = UInt64(bytes.count - offset - 12)
      guard length <= available, available - length >= 4 else {
        scan.warnings.append("record at byte \(offset): truncated payload (\(length) bytes announced), ignored")
        break
      }
      let start = offset + 12, end = start + Int(length)
      let payload = Array(bytes[start..<end])
      if CRC32C.maskedChecksum(payload) == u32(end) {
        scan.payloads.append(payload)
      } else {
        scan.warnings.append("record at byte \(offset): data CRC mismatch, skipped")
      }
      offset = end + 4
    }
    return scan
  }
}

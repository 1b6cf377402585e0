/// CRC-32C (Castagnoli), the checksum of TFRecord framing, and TensorFlow's masked form.
///
/// ```
/// crc32c: reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF
///         crc32c("123456789") = 0xE3069283
/// masked(crc) = ((crc >> 15) | (crc << 17)) + 0xA282EAD8   (mod 2³²)
/// ```
/// (tensorflow/core/lib/hash/crc32c.h, `Mask`; pixels-and-bridge.md §6.)
public enum CRC32C {
  /// The byte-at-a-time lookup table of the reflected polynomial.
  private static let table: [UInt32] = (0..<256).map { byte in
    var crc = UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    return crc
  }

  /// The CRC-32C of `bytes`.
  public static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }

  /// TensorFlow's masked CRC of `bytes` (what TFRecord files store).
  public static func maskedChecksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
    let crc = checksum(bytes)
    return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }
}

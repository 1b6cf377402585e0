import CZlib

/// zlib's raw DEFLATE decoder (RFC 1951) and CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320,
/// `crc32("123456789") = 0xCBF43926`), the two pieces of zlib a zip archive needs.
enum Deflate {
  /// The CRC-32 of `bytes`, as zip stores it.
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
      var crc: UInt = CZlib.crc32(0, nil, 0)
      var offset = 0
      // zlib takes a 32-bit length; feed large buffers in pieces.
      while offset < buffer.count {
        let n = min(buffer.count - offset, 1 << 30)
        crc = CZlib.crc32(crc, buffer.baseAddress! + offset, uInt(n))
        offset += n
      }
      return UInt32(truncatingIfNeeded: crc)
    }
  }

  /// Inflates a raw DEFLATE stream that must decode to exactly `expectedCount` bytes.
  ///
  /// - Throws: ``NumPyArchiveError/corruptMember(member:reason:)`` when the stream is malformed,
  ///   ends early, or decodes to more or fewer bytes.
  static func inflate(_ compressed: ArraySlice<UInt8>, expectedCount: Int, member: String) throws(NumPyArchiveError) -> [UInt8] {
    var stream = z_stream()
    guard czlib_inflate_init_raw(&stream) == Z_OK else {
      throw .corruptMember(member: member, reason: "zlib could not start a decoder")
    }
    defer { inflateEnd(&stream) }
    // One spare byte: a stream that would write past `expectedCount` shows itself.
    var output = [UInt8](repeating: 0, count: expectedCount + 1)
    var input = Array(compressed)
    let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        stream.next_in = inBuffer.baseAddress
        stream.next_out = outBuffer.baseAddress
        var status = Z_OK
        var inputLeft = inBuffer.count, outputLeft = outBuffer.count
        repeat {
          let inChunk = min(inputLeft, Int(UInt32.max)), outChunk = min(outputLeft, Int(UInt32.max))
          stream.avail_in = uInt(inChunk)
          stream.avail_out = uInt(outChunk)
          status = CZlib.inflate(&stream, Z_NO_FLUSH)
          inputLeft -= inChunk - Int(stream.avail_in)
          outputLeft -= outChunk - Int(stream.avail_out)
        } while status == Z_OK && inputLeft > 0 && outputLeft > 0
        return status
      }
    }
    let produced = Int(stream.total_out)
    guard status == Z_STREAM_END else {
      let reason = status == Z_OK || status == Z_BUF_ERROR
        ? "the compressed data ends before the stream does (or decodes to more than \(expectedCount) bytes)"
        : "zlib error \(status) (\(stream.msg.map { String(cString: $0) } ?? "corrupt data"))"
      throw .corruptMember(member: member, reason: reason)
    }
    guard produced == expectedCount else {
      throw .corruptMember(member: member, reason: "decompresses to \(produced) bytes, the directory says \(expectedCount)")
    }
    output.removeLast()
    return output
  }
}

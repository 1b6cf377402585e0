internal import CPNG

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Encodes canvases as 8-bit RGB PNG with libpng 1.6's simplified API and writes them atomically.
///
/// ```
/// bytes = png_image_write_to_memory(png_image{ RGB, width, height }, canvas.pixels, stride 3w)
/// file  = write(path.tmp-<pid>); fsync; rename(path.tmp-<pid>, path)
/// ```
/// The simplified API reports errors through `png_image.message` instead of `setjmp`/`longjmp`,
/// which Swift cannot use safely (style-anchors.md §5.3, pitfall 5). libpng writes no timestamp
/// or other varying chunk here, so the same pixels give the same bytes with the same libpng and
/// zlib. A reader never sees a half-written file: it sees the old file or the new one
/// (design.md §5).
public enum PNGWriter {
  /// The PNG bytes of `canvas`.
  /// - Throws: ``PNGError/encodingFailed(message:)`` with libpng's message.
  public static func encode(_ canvas: Canvas) throws(PNGError) -> [UInt8] {
    var image = png_image()
    image.version = png_uint_32(PNG_IMAGE_VERSION)
    image.width = png_uint_32(canvas.width)
    image.height = png_uint_32(canvas.height)
    image.format = png_uint_32(PNG_FORMAT_RGB)
    let stride = png_int_32(3 * canvas.width)
    var size: png_alloc_size_t = 0
    let measured = canvas.pixels.withUnsafeBytes {
      png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, stride, nil)
    }
    guard measured != 0, size > 0 else {
      let message = Self.message(of: &image)
      png_image_free(&image)
      throw .encodingFailed(message: message)
    }
    var bytes = [UInt8](repeating: 0, count: Int(size))
    let written = bytes.withUnsafeMutableBytes { memory in
      canvas.pixels.withUnsafeBytes {
        png_image_write_to_memory(&image, memory.baseAddress, &size, 0, $0.baseAddress, stride, nil)
      }
    }
    guard written != 0 else {
      let message = Self.message(of: &image)
      png_image_free(&image)
      throw .encodingFailed(message: message)
    }
    bytes.removeLast(bytes.count - Int(size))
    return bytes
  }

  /// Encodes `canvas` and writes it to `path` atomically (temporary file, `fsync`, `rename`).
  /// - Throws: ``PNGError`` naming the file and the system's reason.
  public static func write(_ canvas: Canvas, to path: String) throws(PNGError) {
    try writeAtomically(encode(canvas), to: path)
  }

  /// Writes `bytes` to `path` through a temporary file in the same directory.
  /// - Throws: ``PNGError`` naming the file and the system's reason.
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(PNGError) {
    let temporary = "\(path).tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard descriptor >= 0 else {
      throw .cannotCreateFile(path: temporary, reason: Self.systemReason())
    }
    var offset = 0
    while offset < bytes.count {
      let count = bytes.withUnsafeBytes { buffer in
        systemWrite(descriptor, buffer.baseAddress! + offset, bytes.count - offset)
      }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        let reason = Self.systemReason()
        close(descriptor)
        unlink(temporary)
        throw .writeFailed(path: temporary, reason: reason)
      }
      offset += count
    }
    guard fsync(descriptor) == 0 else {
      let reason = Self.systemReason()
      close(descriptor)
      unlink(temporary)
      throw .writeFailed(path: temporary, reason: reason)
    }
    close(descriptor)
    guard rename(temporary, path) == 0 else {
      let reason = Self.systemReason()
      unlink(temporary)
      throw .renameFailed(from: temporary, to: path, reason: reason)
    }
  }

  /// The libpng version string this module was built against (for provenance).
  public static var libpngVersion: String { String(cString: cpng_version_string()) }

  static func message(of image: inout png_image) -> String {
    withUnsafeBytes(of: &image.message) { raw in
      let bytes = raw.prefix { $0 != 0 }
      return bytes.isEmpty ? "unknown libpng error" : String(decoding: bytes, as: UTF8.self)
    }
  }

  static func systemReason() -> String { String(cString: strerror(errno)) }
}

/// POSIX `write(2)`, named apart from ``PNGWriter/write(_:to:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}

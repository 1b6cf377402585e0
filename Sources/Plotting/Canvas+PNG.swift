internal import CPNG

/// Reading PNG files back into canvases (for round-trip tests and for comparing committed
/// figures).
extension Canvas {
  /// Decodes PNG bytes into an RGB canvas with libpng's simplified API (any PNG colour type is
  /// converted to 8-bit RGB; transparency is composited over white).
  /// - Throws: ``PNGError/decodingFailed(message:)`` with libpng's message, or if the image is
  ///   larger than a canvas may be.
  public init(pngData bytes: [UInt8]) throws(PNGError) {
    // libpng keeps the memory pointer from `begin_read` until `finish_read`, so both calls run
    // inside one `withUnsafeBytes` (a pointer escaping the closure is undefined behaviour, and
    // optimised builds do reuse that memory).
    let result: Result<Canvas, PNGError> = bytes.withUnsafeBytes { memory in
      var image = png_image()
      image.version = png_uint_32(PNG_IMAGE_VERSION)
      guard png_image_begin_read_from_memory(&image, memory.baseAddress, memory.count) != 0 else {
        let message = PNGWriter.message(of: &image)
        png_image_free(&image)
        return .failure(.decodingFailed(message: message))
      }
      let width = Int(image.width)
      let height = Int(image.height)
      guard PlotError.sideRange.contains(width), PlotError.sideRange.contains(height),
        var canvas = try? Canvas(width: width, height: height)
      else {
        png_image_free(&image)
        return .failure(.decodingFailed(message: "image is \(width)×\(height); sides must be 1...16384"))
      }
      image.format = png_uint_32(PNG_FORMAT_RGB)
      var background = png_color(red: 255, green: 255, blue: 255)
      let finished = canvas.pixels.withUnsafeMutableBytes {
        png_image_finish_read(&image, &background, $0.baseAddress, png_int_32(3 * width), nil)
      }
      guard finished != 0 else {
        let message = PNGWriter.message(of: &image)
        png_image_free(&image)
        return .failure(.decodingFailed(message: message))
      }
      return .success(canvas)
    }
    self = try result.get()
  }
}

/// Raw RGB images on canvases: rendered environment frames become canvases and are copied into
/// larger ones (``FrameGrid``).
extension Canvas {
  /// A canvas holding `rgb`, `3 · width · height` bytes, row-major from the top (the layout of
  /// ``pixels`` and of Gymnasium's `rgb_array` frames).
  /// - Throws: ``PlotError/invalidSize(field:value:allowed:)`` unless both sides are in
  ///   1…16384, ``PlotError/lengthMismatch(field:expected:actual:)`` when `rgb` has another
  ///   length.
  public init(width: Int, height: Int, rgb: [UInt8]) throws(PlotError) {
    try self.init(width: width, height: height)
    guard rgb.count == 3 * width * height else {
      throw .lengthMismatch(field: "rgb", expected: 3 * width * height, actual: rgb.count)
    }
    pixels = rgb
  }

  /// Copies `image` with its top-left pixel at `(x, y)`, pixel for pixel (no blending); what
  /// falls outside the drawable area (``clip``) is left out.
  public mutating func draw(_ image: Canvas, x: Int, y: Int) {
    let area = bounds.intersection(PixelRectangle(x: x, y: y, width: image.width, height: image.height))
    guard area.width > 0, area.height > 0 else { return }
    for row in area.y..<(area.y + area.height) {
      let source = 3 * ((row - y) * image.width + (area.x - x))
      let target = 3 * (row * width + area.x)
      pixels.replaceSubrange(target..<(target + 3 * area.width), with: image.pixels[source..<(source + 3 * area.width)])
    }
  }

  /// The image enlarged `factor` times by repeating pixels (nearest neighbour): pixel `(x, y)` of
  /// the result is pixel `(⌊x / factor⌋, ⌊y / factor⌋)` of this one. For small frames (MinAtar's
  /// 10×10).
  /// - Throws: ``PlotError/invalidSize(field:value:allowed:)`` for a factor outside 1…64 or a
  ///   result larger than a canvas may be.
  public func scaled(by factor: Int) throws(PlotError) -> Canvas {
    guard (1...64).contains(factor) else { throw .invalidSize(field: "scale", value: factor, allowed: 1...64) }
    if factor == 1 { return self }
    var result = try Canvas(width: width * factor, height: height * factor)
    for y in 0..<result.height {
      for x in 0..<result.width {
        let source = 3 * ((y / factor) * width + x / factor)
        let target = 3 * (y * result.width + x)
        result.pixels[target] = pixels[source]
        result.pixels[target + 1] = pixels[source + 1]
        result.pixels[target + 2] = pixels[source + 2]
      }
    }
    return result
  }
}

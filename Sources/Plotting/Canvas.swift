/// A point in canvas coordinates: `x` grows to the right, `y` grows downwards, in pixels.
///
/// Pixel `(i, j)` covers the square `[i, i + 1) × [j, j + 1)`, so its centre is
/// `(i + 0.5, j + 0.5)`; a 1-pixel line through pixel centres is perfectly crisp.
public struct Point: Sendable, Hashable {
  /// Horizontal position in pixels.
  public var x: Double
  /// Vertical position in pixels (downwards).
  public var y: Double

  /// A point at `(x, y)`.
  public init(x: Double, y: Double) {
    self.x = x
    self.y = y
  }
}

/// An axis-aligned rectangle of whole pixels: columns `x ..< x + width`, rows `y ..< y + height`.
public struct PixelRectangle: Sendable, Hashable {
  /// Left column.
  public var x: Int
  /// Top row.
  public var y: Int
  /// Number of columns.
  public var width: Int
  /// Number of rows.
  public var height: Int

  /// A rectangle from its top-left pixel and size.
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// The overlap of two rectangles (possibly empty).
  func intersection(_ other: PixelRectangle) -> PixelRectangle {
    let x0 = max(x, other.x)
    let y0 = max(y, other.y)
    let x1 = min(x + width, other.x + other.width)
    let y1 = min(y + height, other.y + other.height)
    return PixelRectangle(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
  }
}

/// An RGB raster that plots are drawn on: 8 bits per channel, row-major, top row first.
///
/// ```
/// pixels[3 (y · width + x) + c],  c ∈ {0: red, 1: green, 2: blue}
/// ```
/// Drawing composites with straight alpha, `out = a · src + (1 − a) · dst`, rounded to the
/// nearest integer, where `a` is the caller's opacity times the pixel's coverage. Lines and
/// polygons are anti-aliased by exact area (lines) or 4 sub-scanlines with exact horizontal
/// coverage (polygons); everything is computed in `Float` in a fixed order, so the same drawing
/// calls give the same bytes (the determinism PNG goldens rely on).
///
/// Drawing is limited to ``clip`` when it is set.
public struct Canvas: Sendable {
  /// Width in pixels.
  public let width: Int
  /// Height in pixels.
  public let height: Int
  /// The RGB bytes, `3 · width · height` of them, row-major from the top.
  public internal(set) var pixels: [UInt8]
  /// When set, drawing touches only pixels inside this rectangle.
  public var clip: PixelRectangle?

  /// Per-pixel coverage scratch for strokes, allocated on first use and always left zeroed.
  var coverage: [Float] = []

  /// A canvas filled with `background`.
  /// - Throws: ``PlotError/invalidSize(field:value:allowed:)`` unless both sides are in
  ///   1…16384.
  public init(width: Int, height: Int, background: RGBColor = .white) throws(PlotError) {
    guard PlotError.sideRange.contains(width) else {
      throw .invalidSize(field: "width", value: width, allowed: PlotError.sideRange)
    }
    guard PlotError.sideRange.contains(height) else {
      throw .invalidSize(field: "height", value: height, allowed: PlotError.sideRange)
    }
    self.width = width
    self.height = height
    var pixels = [UInt8](repeating: 0, count: 3 * width * height)
    for i in 0..<(width * height) {
      pixels[3 * i] = background.red
      pixels[3 * i + 1] = background.green
      pixels[3 * i + 2] = background.blue
    }
    self.pixels = pixels
  }

  /// The colour of pixel `(x, y)`.
  public func pixel(x: Int, y: Int) -> RGBColor {
    precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) is off the canvas")
    let i = 3 * (y * width + x)
    return RGBColor(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2])
  }

  /// The drawable area: the canvas, intersected with ``clip``.
  var bounds: PixelRectangle {
    let all = PixelRectangle(x: 0, y: 0, width: width, height: height)
    return clip.map { all.intersection($0) } ?? all
  }

  /// Composites `color` with opacity `alpha` (0…1) onto pixel `(x, y)`, which must be in bounds.
  @inline(__always)
  mutating func blend(_ x: Int, _ y: Int, _ color: RGBColor, _ alpha: Float) {
    let i = 3 * (y * width + x)
    if alpha >= 1 {
      pixels[i] = color.red
      pixels[i + 1] = color.green
      pixels[i + 2] = color.blue
      return
    }
    if alpha <= 0 { return }
    let keep = 1 - alpha
    pixels[i] = UInt8((alpha * Float(color.red) + keep * Float(pixels[i])).rounded())
    pixels[i + 1] = UInt8((alpha * Float(color.green) + keep * Float(pixels[i + 1])).rounded())
    pixels[i + 2] = UInt8((alpha * Float(color.blue) + keep * Float(pixels[i + 2])).rounded())
  }

  /// Paints whole pixels of `rectangle` (clipped) with `color` at opacity `alpha`.
  public mutating func fill(_ rectangle: PixelRectangle, color: RGBColor, alpha: Double = 1) {
    let area = bounds.intersection(rectangle)
    let a = Float(min(max(alpha, 0), 1))
    for y in area.y..<(area.y + area.height) {
      for x in area.x..<(area.x + area.width) { blend(x, y, color, a) }
    }
  }

  /// Paints the whole drawable area with `color`.
  public mutating func fill(_ color: RGBColor) {
    fill(bounds, color: color)
  }
}

extension Canvas: Equatable {
  /// Two canvases are equal when they have the same size and the same pixels (the clip and the
  /// scratch buffers are not part of the image).
  public static func == (lhs: Canvas, rhs: Canvas) -> Bool {
    lhs.width == rhs.width && lhs.height == rhs.height && lhs.pixels == rhs.pixels
  }
}

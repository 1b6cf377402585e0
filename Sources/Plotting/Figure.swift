/// Anything that renders to a canvas: ``LinePlot``, ``IntervalBarChart``,
/// ``PerformanceProfilePlot``.
///
/// Figures are plain data (titles, labels, numbers); rendering is a pure function of that data,
/// so the same figure always gives the same pixels and, through ``PNGWriter``, the same bytes.
public protocol Figure: Sendable {
  /// Draws the figure.
  /// - Throws: ``PlotError`` if the figure's data is malformed (mismatched lengths, non-finite
  ///   values, empty series, an invalid size or range).
  func render() throws(PlotError) -> Canvas
}

/// Sizes and colours shared by every figure. The defaults suit a 900 × 560 image viewed at
/// 100 %; for a print-resolution figure double `width`, `height` and `textScale`.
public struct FigureStyle: Sendable, Hashable {
  /// Image width in pixels.
  public var width: Int
  /// Image height in pixels.
  public var height: Int
  /// Magnification of tick labels, legend and axis titles (1 = 7-pixel capitals).
  public var textScale: Int
  /// Magnification of the figure title.
  public var titleScale: Int
  /// Width of data lines in pixels.
  public var lineWidth: Double
  /// Opacity of confidence bands.
  public var bandOpacity: Double
  /// Space between the image edge and anything drawn, in pixels.
  public var padding: Int

  /// A style; every argument has the default of ``standard``.
  public init(
    width: Int = 900, height: Int = 560, textScale: Int = 2, titleScale: Int = 3,
    lineWidth: Double = 2,
    bandOpacity: Double = 0.2, padding: Int = 16
  ) {
    self.width = width
    self.height = height
    self.textScale = textScale
    self.titleScale = titleScale
    self.lineWidth = lineWidth
    self.bandOpacity = bandOpacity
    self.padding = padding
  }

  /// 900 × 560, 2-pixel lines, bands at 20 % opacity.
  public static let standard = FigureStyle()

  func validate() throws(PlotError) {
    guard PlotError.sideRange.contains(width) else {
      throw .invalidSize(field: "style.width", value: width, allowed: PlotError.sideRange)
    }
    guard PlotError.sideRange.contains(height) else {
      throw .invalidSize(field: "style.height", value: height, allowed: PlotError.sideRange)
    }
    guard (1...8).contains(textScale) else {
      throw .invalidSize(field: "style.textScale", value: textScale, allowed: 1...8)
    }
    guard (1...8).contains(titleScale) else {
      throw .invalidSize(field: "style.titleScale", value: titleScale, allowed: 1...8)
    }
    guard (1...4096).contains(padding) else {
      throw .invalidSize(field: "style.padding", value: padding, allowed: 1...4096)
    }
  }
}

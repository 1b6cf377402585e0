/// A line chart: learning curves with 95 % bands, reference lines, axes, legend and title.
///
/// ```
/// pixel x = left + (x − x_min)/(x_max − x_min) · plotWidth
/// pixel y = bottom − (y − y_min)/(y_max − y_min) · plotHeight
/// ```
/// Axis limits come from the data unless ``xRange`` / ``yRange`` fix them: x spans the data
/// exactly, y spans lines, bands and reference lines plus 4 % at each end; ticks follow the
/// 1-2-5 rule inside the limits. The legend sits in a row under the
/// title, outside the data area, so it never hides a curve. Bands are drawn under every line.
public struct LinePlot: Figure, Hashable {
  /// The title, centred at the top (empty for none).
  public var title: String
  /// The x-axis title.
  public var xLabel: String
  /// The y-axis title, written bottom to top.
  public var yLabel: String
  /// The curves, drawn in order; series `i` without a colour gets ``Palette/color(at:)`` `i`.
  public var series: [LineSeries]
  /// Horizontal dashed reference lines.
  public var referenceLines: [ReferenceLine]
  /// Fixed x limits, or `nil` to fit the data.
  public var xRange: ClosedRange<Double>?
  /// Fixed y limits, or `nil` to fit the data.
  public var yRange: ClosedRange<Double>?
  /// Size and look.
  public var style: FigureStyle

  /// A line plot.
  public init(
    title: String = "", xLabel: String = "", yLabel: String = "", series: [LineSeries],
    referenceLines: [ReferenceLine] = [], xRange: ClosedRange<Double>? = nil,
    yRange: ClosedRange<Double>? = nil, style: FigureStyle = .standard
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
    self.referenceLines = referenceLines
    self.xRange = xRange
    self.yRange = yRange
    self.style = style
  }

  /// Draws the plot.
  /// - Throws: ``PlotError`` if there is no series, a series is malformed (see
  ///   ``LineSeries``), a reference value is not finite, or a fixed range is empty.
  public func render() throws(PlotError) -> Canvas {
    guard !series.isEmpty else { throw .empty(field: "series") }
    for (i, s) in series.enumerated() { try s.validate(index: i) }
    try PlotError.checkFinite(referenceLines.map(\.value), field: "referenceLines.value")
    let xData = series.flatMap(\.x)
    let xLimits = try limits(xRange, field: "xRange") ?? (xData.min() ?? 0, xData.max() ?? 1)
    var yData = series.flatMap(\.y) + referenceLines.map(\.value)
    for s in series { if let band = s.band { yData += band.lower + band.upper } }
    let yLimits = try limits(yRange, field: "yRange") ?? FigureFrame.paddedRange(yData)

    let colors = series.indices.map { series[$0].color ?? Palette.color(at: $0) }
    var legend = series.indices.map {
      FigureFrame.LegendEntry(name: series[$0].name, color: colors[$0], swatch: .line(dashed: false))
    }
    legend += referenceLines.map {
      FigureFrame.LegendEntry(name: $0.name, color: $0.color, swatch: .line(dashed: true))
    }
    var frame = try FigureFrame(
      style: style, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
      xAxis: .numeric(lower: xLimits.lower, upper: xLimits.upper),
      yRange: yLimits)
    frame.clipToPlot()
    let px = { (x: Double) in frame.px(x) }
    let py = { (y: Double) in frame.py(y) }

    // 1. Bands under everything.
    for (i, s) in series.enumerated() {
      guard let band = s.band else { continue }
      let upper = s.path(band.upper, px, py)
      let lower = s.path(band.lower, px, py)
      frame.canvas.fillPolygon(upper + lower.reversed(), color: colors[i], alpha: style.bandOpacity)
    }
    // 2. Reference lines.
    for line in referenceLines {
      let y = py(line.value)
      frame.canvas.strokeLine(
        from: Point(x: Double(frame.plot.x), y: y),
        to: Point(x: Double(frame.plot.x + frame.plot.width), y: y), color: line.color,
        width: 1.5, dash: [6, 4])
    }
    // 3. Lines (a single point is drawn as a dot).
    for (i, s) in series.enumerated() {
      var path = s.path(s.y, px, py)
      if path.count == 1 { path.append(path[0]) }
      frame.canvas.stroke(path, color: colors[i], width: style.lineWidth)
    }
    return frame.finish()
  }

  private func limits(_ fixed: ClosedRange<Double>?, field: String)
    throws(PlotError) -> (lower: Double, upper: Double)?
  {
    guard let fixed else { return nil }
    guard
      fixed.lowerBound.isFinite && fixed.upperBound.isFinite
        && fixed.lowerBound < fixed.upperBound
    else { throw .invalidRange(field: field, lower: fixed.lowerBound, upper: fixed.upperBound) }
    return (fixed.lowerBound, fixed.upperBound)
  }
}

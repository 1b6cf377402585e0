/// The chrome every figure shares: title, legend row, axes, grid, ticks, tick labels and axis
/// titles. Built first; the figure then draws its data with ``clipToPlot()`` and calls
/// ``finish()`` to put the axis lines on top.
struct FigureFrame {
  /// A legend entry: a line swatch (optionally dashed) or a filled box.
  struct LegendEntry {
    enum Swatch {
      case line(dashed: Bool)
      case box
    }
    var name: String
    var color: RGBColor
    var swatch: Swatch
  }

  /// What the horizontal axis shows.
  enum HorizontalAxis {
    /// A numeric axis spanning exactly `lower…upper`, with 1-2-5 ticks inside.
    case numeric(lower: Double, upper: Double)
    /// Slots of equal width whose labels the figure draws itself.
    case categories
  }

  var canvas: Canvas
  /// The data area (whole pixels); data coordinates map onto its edges.
  let plot: PixelRectangle
  let xTicks: AxisTicks?
  let yTicks: AxisTicks
  let style: FigureStyle

  static let tickLength = 5
  static let gap = 6

  /// Lays out and draws everything but the data.
  init(
    style: FigureStyle, title: String, xLabel: String, yLabel: String, legend: [LegendEntry],
    xAxis: HorizontalAxis, yRange: (lower: Double, upper: Double)
  ) throws(PlotError) {
    try style.validate()
    self.style = style
    let font = BitmapFont.standard
    let s = style.textScale
    let pad = style.padding
    let gap = Self.gap * s
    var canvas = try Canvas(width: style.width, height: style.height)

    // 1. Title.
    var top = pad
    if !title.isEmpty {
      let fitted = font.truncated(title, toWidth: style.width - 2 * pad, scale: style.titleScale)
      canvas.drawText(
        fitted, x: style.width / 2, y: top, color: .ink, scale: style.titleScale, alignment: .center,
        baseline: .top)
      top += font.height(scale: style.titleScale) + gap
    }

    // 2. Legend rows, centred, wrapped to the image width.
    let rows = Self.legendRows(legend, maxWidth: style.width - 2 * pad, scale: s)
    let legendLineHeight = font.height(scale: s) + gap
    for row in rows {
      var x = max(pad, (style.width - row.width) / 2)
      for entry in row.entries {
        Self.drawLegendEntry(entry, x: x, y: top, scale: s, maxWidth: style.width - 2 * pad, on: &canvas)
        x += Self.legendEntryWidth(entry, scale: s) + Self.legendSpacing * s
      }
      top += legendLineHeight
    }
    if !rows.isEmpty { top += gap / 2 }

    // 3. Vertical layout: tick labels and the x title below the plot.
    let labelHeight = font.height(scale: s)
    var bottomMargin = pad + Self.tickLength + gap + labelHeight
    if !xLabel.isEmpty { bottomMargin += gap + labelHeight }
    let plotTop = top + labelHeight / 2
    let plotHeight = style.height - plotTop - bottomMargin
    guard plotHeight >= 20 else {
      let minimum = style.height - plotHeight + 20
      throw .invalidSize(
        field: "style.height", value: style.height, allowed: minimum...PlotError.sideRange.upperBound)
    }

    // 4. y ticks (their labels set the left margin).
    let yTicks = AxisTicks(
      lower: yRange.lower, upper: yRange.upper, targetCount: max(3, plotHeight / (25 * s + 10)),
      extendToTicks: false)
    let yLabels = yTicks.labels
    let yLabelWidth = yLabels.map { font.width(of: $0, scale: s) }.max() ?? 0
    var left = pad + yLabelWidth + gap + Self.tickLength
    if !yLabel.isEmpty { left += labelHeight + gap }

    // 5. x ticks (the last label's half-width sets the right margin).
    var right = pad
    var xTicks: AxisTicks? = nil
    if case .numeric(let lower, let upper) = xAxis {
      let widthGuess = style.width - left - pad
      let ticks = AxisTicks(
        lower: lower, upper: upper, targetCount: max(3, widthGuess / (60 * s + 30)),
        extendToTicks: false)
      xTicks = ticks
      if let last = ticks.labels.last {
        right = max(pad, font.width(of: last, scale: s) / 2 + gap)
      }
    }
    let plotWidth = style.width - left - right
    guard plotWidth >= 20 else {
      let minimum = style.width - plotWidth + 20
      throw .invalidSize(
        field: "style.width", value: style.width, allowed: minimum...PlotError.sideRange.upperBound)
    }
    let plot = PixelRectangle(x: left, y: plotTop, width: plotWidth, height: plotHeight)
    self.plot = plot
    self.xTicks = xTicks
    self.yTicks = yTicks

    // 6. Grid, ticks and tick labels.
    let plotBottom = plot.y + plot.height
    for (value, label) in zip(yTicks.values, yLabels) {
      let y = Self.snap(Self.map(value, yTicks.lower, yTicks.upper, Double(plotBottom), Double(plot.y)))
      canvas.strokeLine(
        from: Point(x: Double(plot.x), y: y), to: Point(x: Double(plot.x + plot.width), y: y),
        color: .grid)
      canvas.strokeLine(
        from: Point(x: Double(plot.x - Self.tickLength), y: y), to: Point(x: Double(plot.x), y: y),
        color: .ink)
      canvas.drawText(
        label, x: plot.x - Self.tickLength - gap, y: Int(y.rounded(.down)), scale: s,
        alignment: .trailing, baseline: .middle)
    }
    if let xTicks {
      for (value, label) in zip(xTicks.values, xTicks.labels) {
        let x = Self.snap(
          Self.map(value, xTicks.lower, xTicks.upper, Double(plot.x), Double(plot.x + plot.width)))
        canvas.strokeLine(
          from: Point(x: x, y: Double(plot.y)), to: Point(x: x, y: Double(plotBottom)), color: .grid)
        canvas.strokeLine(
          from: Point(x: x, y: Double(plotBottom)),
          to: Point(x: x, y: Double(plotBottom + Self.tickLength)), color: .ink)
        canvas.drawText(
          label, x: Int(x.rounded(.down)), y: plotBottom + Self.tickLength + gap, scale: s,
          alignment: .center, baseline: .top)
      }
    }

    // 7. Axis titles.
    if !xLabel.isEmpty {
      canvas.drawText(
        font.truncated(xLabel, toWidth: plot.width, scale: s), x: plot.x + plot.width / 2,
        y: style.height - pad, scale: s, alignment: .center,
        baseline: .bottom)
    }
    if !yLabel.isEmpty {
      canvas.drawText(
        font.truncated(yLabel, toWidth: plot.height, scale: s), x: pad, y: plot.y + plot.height / 2, scale: s,
        alignment: .center, baseline: .top,
        orientation: .upward)
    }
    self.canvas = canvas
  }

  // MARK: - Coordinates

  /// The y limits for `data`: its span widened by 4 % at each end, except that an end at exactly
  /// zero stays at zero when `anchorZero` (bars grow from the axis).
  static func paddedRange(_ data: [Double], anchorZero: Bool = false) -> (lower: Double, upper: Double) {
    let low = data.min() ?? 0
    let high = data.max() ?? 1
    let pad = (high - low) * 0.04
    return (anchorZero && low == 0 ? 0 : low - pad, anchorZero && high == 0 ? 0 : high + pad)
  }

  /// Linear map of `value` from `[a, b]` onto `[p, q]`.
  static func map(_ value: Double, _ a: Double, _ b: Double, _ p: Double, _ q: Double) -> Double {
    p + (value - a) / (b - a) * (q - p)
  }

  /// Moves a coordinate to the nearest pixel centre, for crisp 1-pixel rules.
  static func snap(_ v: Double) -> Double { v.rounded(.down) + 0.5 }

  /// The pixel x of data value `x` (numeric axes only).
  func px(_ x: Double) -> Double {
    guard let xTicks else { return Double(plot.x) }
    return Self.map(x, xTicks.lower, xTicks.upper, Double(plot.x), Double(plot.x + plot.width))
  }

  /// The pixel y of data value `y`.
  func py(_ y: Double) -> Double {
    Self.map(y, yTicks.lower, yTicks.upper, Double(plot.y + plot.height), Double(plot.y))
  }

  /// Restricts drawing to the data area plus a few pixels, so lines on an edge stay whole.
  mutating func clipToPlot() {
    let margin = Int(style.lineWidth.rounded(.up)) + 1
    canvas.clip = PixelRectangle(
      x: plot.x - margin, y: plot.y - margin, width: plot.width + 2 * margin,
      height: plot.height + 2 * margin)
  }

  /// Draws the left and bottom axis lines over the data and lifts the clip.
  mutating func finish() -> Canvas {
    canvas.clip = nil
    // The spines run through the centres of the first column and the last row + 1, over the
    // grid lines of the axis minima.
    let bottom = Double(plot.y + plot.height) + 0.5
    let left = Double(plot.x) + 0.5
    canvas.strokeLine(
      from: Point(x: left, y: Double(plot.y)), to: Point(x: left, y: bottom), color: .ink)
    canvas.strokeLine(
      from: Point(x: left, y: bottom), to: Point(x: Double(plot.x + plot.width), y: bottom),
      color: .ink)
    return canvas
  }

  // MARK: - Legend

  static let legendSpacing = 22
  static let swatchWidth = 22

  static func legendEntryWidth(_ entry: LegendEntry, scale: Int) -> Int {
    swatchWidth * scale + gap * scale + BitmapFont.standard.width(of: entry.name, scale: scale)
  }

  static func legendRows(_ entries: [LegendEntry], maxWidth: Int, scale: Int)
    -> [(entries: [LegendEntry], width: Int)]
  {
    var rows: [(entries: [LegendEntry], width: Int)] = []
    var current: [LegendEntry] = []
    var width = 0
    for entry in entries {
      let w = legendEntryWidth(entry, scale: scale)
      let added = current.isEmpty ? w : width + legendSpacing * scale + w
      if !current.isEmpty && added > maxWidth {
        rows.append((current, width))
        current = [entry]
        width = w
      } else {
        current.append(entry)
        width = added
      }
    }
    if !current.isEmpty { rows.append((current, width)) }
    return rows
  }

  static func drawLegendEntry(
    _ entry: LegendEntry, x: Int, y: Int, scale: Int, maxWidth: Int, on canvas: inout Canvas
  ) {
    let font = BitmapFont.standard
    let middle = Double(y) + Double(font.ascent * scale) / 2
    let swatch = Double(swatchWidth * scale)
    switch entry.swatch {
    case .line(let dashed):
      canvas.strokeLine(
        from: Point(x: Double(x) + 1, y: middle), to: Point(x: Double(x) + swatch - 1, y: middle),
        color: entry.color, width: 2.5 * Double(scale), dash: dashed ? [5, 3] : [])
    case .box:
      let side = Double(font.ascent * scale + 1)
      canvas.fillRectangle(
        x: Double(x) + (swatch - side) / 2, y: middle - side / 2, width: side, height: side,
        color: entry.color)
    }
    let room = maxWidth - (swatchWidth + gap) * scale
    canvas.drawText(
      font.truncated(entry.name, toWidth: room, scale: scale), x: x + (swatchWidth + gap) * scale,
      y: y, scale: scale, baseline: .top)
  }
}

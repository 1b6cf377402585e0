/// A bar chart with confidence whiskers: one bar per (group, series), e.g. the IQM of each
/// algorithm with its 95 % bootstrap interval, per environment or for the whole suite.
///
/// ```
/// bar     from 0 (or the axis end nearest 0) to value; a zero line when 0 is inside the axis
/// whisker from lower to upper, capped at both ends
/// ```
/// With a single group each bar is labelled with its series name under the axis; with several
/// groups the group names label the axis and a legend names the series.
public struct IntervalBarChart: Figure, Hashable {
  /// The bars of one series (one algorithm), one value per group.
  public struct Series: Sendable, Hashable {
    /// The legend or bar label.
    public var name: String
    /// The bar heights, one per group.
    public var values: [Double]
    /// Lower whisker ends, one per group, or `nil` for no whiskers.
    public var lower: [Double]?
    /// Upper whisker ends, one per group, or `nil` for no whiskers.
    public var upper: [Double]?
    /// The colour; `nil` takes the series' position in the ``Palette``.
    public var color: RGBColor?
    /// The groups this series has no value in: nothing is drawn there (no bar, no whisker), and
    /// their entries in `values`, `lower` and `upper` are ignored.
    public var missing: Set<Int>

    /// A series of bars; `lower` and `upper` must be given together.
    public init(
      name: String, values: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
      color: RGBColor? = nil, missing: Set<Int> = []
    ) {
      self.name = name
      self.values = values
      self.lower = lower
      self.upper = upper
      self.color = color
      self.missing = missing
    }
  }

  /// The title.
  public var title: String
  /// The y-axis title (for example "IQM of normalized score").
  public var yLabel: String
  /// The x-axis title under the category labels (empty for none).
  public var xLabel: String
  /// The category names along the x axis (for example environments).
  public var groups: [String]
  /// The series; each has one value per group.
  public var series: [Series]
  /// Fixed y limits, or `nil` to fit bars and whiskers (always including 0).
  public var yRange: ClosedRange<Double>?
  /// Size and look.
  public var style: FigureStyle

  /// A bar chart.
  public init(
    title: String = "", yLabel: String = "", xLabel: String = "", groups: [String],
    series: [Series], yRange: ClosedRange<Double>? = nil, style: FigureStyle = .standard
  ) {
    self.title = title
    self.yLabel = yLabel
    self.xLabel = xLabel
    self.groups = groups
    self.series = series
    self.yRange = yRange
    self.style = style
  }

  /// Draws the chart.
  /// - Throws: ``PlotError`` if there is no group or series, a series has the wrong number of
  ///   values, only one whisker end, a non-finite value, a whisker with `lower > upper`, a missing
  ///   group that is not a group, or the fixed range is empty (missing groups are not checked).
  public func render() throws(PlotError) -> Canvas {
    guard !groups.isEmpty else { throw .empty(field: "groups") }
    guard !series.isEmpty else { throw .empty(field: "series") }
    var yData: [Double] = [0]
    for (i, s) in series.enumerated() {
      let field = "series[\(i)]"
      guard s.values.count == groups.count else {
        throw .lengthMismatch(field: "\(field).values", expected: groups.count, actual: s.values.count)
      }
      if let outside = s.missing.filter({ !groups.indices.contains($0) }).min() {
        throw .invalidIndex(field: "\(field).missing", index: outside, count: groups.count)
      }
      let present = groups.indices.filter { !s.missing.contains($0) }
      try PlotError.checkFinite(s.values, at: present, field: "\(field).values")
      yData += present.map { s.values[$0] }
      switch (s.lower, s.upper) {
      case (nil, nil): break
      case (let lower?, let upper?):
        guard lower.count == groups.count else {
          throw .lengthMismatch(field: "\(field).lower", expected: groups.count, actual: lower.count)
        }
        guard upper.count == groups.count else {
          throw .lengthMismatch(field: "\(field).upper", expected: groups.count, actual: upper.count)
        }
        try PlotError.checkFinite(lower, at: present, field: "\(field).lower")
        try PlotError.checkFinite(upper, at: present, field: "\(field).upper")
        for g in present where lower[g] > upper[g] {
          throw .invertedInterval(field: field, index: g)
        }
        yData += present.map { lower[$0] } + present.map { upper[$0] }
      case (nil, .some):
        throw .lengthMismatch(field: "\(field).lower", expected: groups.count, actual: 0)
      case (.some, nil):
        throw .lengthMismatch(field: "\(field).upper", expected: groups.count, actual: 0)
      }
    }
    let yLimits: (lower: Double, upper: Double)
    if let yRange {
      guard
        yRange.lowerBound.isFinite && yRange.upperBound.isFinite
          && yRange.lowerBound < yRange.upperBound
      else {
        throw .invalidRange(field: "yRange", lower: yRange.lowerBound, upper: yRange.upperBound)
      }
      yLimits = (yRange.lowerBound, yRange.upperBound)
    } else {
      yLimits = FigureFrame.paddedRange(yData, anchorZero: true)
    }

    let colors = series.indices.map { series[$0].color ?? Palette.color(at: $0) }
    let singleGroup = groups.count == 1
    let legend =
      singleGroup
      ? []
      : series.indices.map { FigureFrame.LegendEntry(name: series[$0].name, color: colors[$0], swatch: .box) }
    var frame = try FigureFrame(
      style: style, title: title, xLabel: xLabel, yLabel: yLabel, legend: legend,
      xAxis: .categories, yRange: yLimits)

    // Geometry: each group gets an equal slot; its bars share the middle 70 % of it, each at
    // most `maximumBarWidth` wide (centred in its share).
    let plot = frame.plot
    let slot = Double(plot.width) / Double(groups.count)
    let share = slot * 0.7 / Double(series.count)
    let barWidth = min(share, Double(Self.maximumBarWidth * style.textScale / 2))
    func barCenter(group g: Int, series i: Int) -> Double {
      Double(plot.x) + Double(g) * slot + slot * 0.15 + (Double(i) + 0.5) * share
    }
    let base = frame.py(min(max(0, frame.yTicks.lower), frame.yTicks.upper))
    let s = style.textScale
    let font = BitmapFont.standard
    let labelY = plot.y + plot.height + FigureFrame.tickLength + FigureFrame.gap * s

    frame.clipToPlot()
    if frame.yTicks.lower < 0 && frame.yTicks.upper > 0 {
      let zero = FigureFrame.snap(base)
      frame.canvas.strokeLine(
        from: Point(x: Double(plot.x), y: zero), to: Point(x: Double(plot.x + plot.width), y: zero),
        color: .mutedInk)
    }
    for g in groups.indices {
      for (i, bar) in series.enumerated() where !bar.missing.contains(g) {
        let x = barCenter(group: g, series: i) - barWidth / 2
        let top = frame.py(bar.values[g])
        let inset = min(2, barWidth * 0.1)
        frame.canvas.fillRectangle(
          x: x + inset, y: min(top, base), width: barWidth - 2 * inset, height: abs(base - top),
          color: colors[i], alpha: 0.85)
        if let lower = bar.lower?[g], let upper = bar.upper?[g] {
          let center = x + barWidth / 2
          let cap = max(3, barWidth * 0.2)
          let yLow = frame.py(lower)
          let yHigh = frame.py(upper)
          frame.canvas.strokeLine(
            from: Point(x: center, y: yLow), to: Point(x: center, y: yHigh), color: .ink, width: 1.5)
          for yEnd in [yLow, yHigh] {
            frame.canvas.strokeLine(
              from: Point(x: center - cap, y: yEnd), to: Point(x: center + cap, y: yEnd), color: .ink,
              width: 1.5)
          }
        }
      }
    }
    var canvas = frame.finish()

    // Category labels under the axis: the series names for one group, else the group names.
    let labels: [(text: String, center: Double, room: Double)] =
      singleGroup
      ? series.indices.map { i in (series[i].name, barCenter(group: 0, series: i), share) }
      : groups.indices.map { g in (groups[g], Double(plot.x) + (Double(g) + 0.5) * slot, slot) }
    for label in labels {
      let text = font.truncated(label.text, toWidth: Int(label.room) - 4, scale: s)
      canvas.drawText(
        text, x: Int(label.center.rounded(.down)), y: labelY, scale: s, alignment: .center,
        baseline: .top)
    }
    return canvas
  }

  /// The widest a bar is drawn at text scale 2, in pixels (scaled with the text).
  static let maximumBarWidth = 120

}

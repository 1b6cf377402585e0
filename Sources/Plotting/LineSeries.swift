/// One curve of a ``LinePlot``: a line through `(x[i], y[i])` with an optional band.
public struct LineSeries: Sendable, Hashable {
  /// How consecutive points are joined.
  public enum Interpolation: Sendable, Hashable {
    /// Straight segments.
    case linear
    /// Horizontal then vertical: `y[i]` holds on `[x[i], x[i+1])` (matplotlib `where="post"`),
    /// the natural drawing of an empirical distribution such as a performance profile.
    case step
  }

  /// A shaded interval around the line, typically a 95 % confidence interval.
  public struct Band: Sendable, Hashable {
    /// The lower edge, one value per point.
    public var lower: [Double]
    /// The upper edge, one value per point.
    public var upper: [Double]

    /// A band between `lower` and `upper`.
    public init(lower: [Double], upper: [Double]) {
      self.lower = lower
      self.upper = upper
    }
  }

  /// The legend label.
  public var name: String
  /// Horizontal positions, ascending for a sensible curve.
  public var x: [Double]
  /// Vertical positions, one per `x`.
  public var y: [Double]
  /// An optional shaded interval.
  public var band: Band?
  /// The colour; `nil` takes the series' position in the ``Palette``.
  public var color: RGBColor?
  /// How points are joined.
  public var interpolation: Interpolation

  /// A series; `band`, `color` and `interpolation` are optional.
  public init(
    name: String, x: [Double], y: [Double], band: Band? = nil, color: RGBColor? = nil,
    interpolation: Interpolation = .linear
  ) {
    self.name = name
    self.x = x
    self.y = y
    self.band = band
    self.color = color
    self.interpolation = interpolation
  }

  func validate(index: Int) throws(PlotError) {
    let field = "series[\(index)]"
    guard !x.isEmpty else { throw .empty(field: "\(field).x") }
    guard y.count == x.count else {
      throw .lengthMismatch(field: "\(field).y", expected: x.count, actual: y.count)
    }
    try PlotError.checkFinite(x, field: "\(field).x")
    try PlotError.checkFinite(y, field: "\(field).y")
    if let band {
      guard band.lower.count == x.count else {
        throw .lengthMismatch(field: "\(field).band.lower", expected: x.count, actual: band.lower.count)
      }
      guard band.upper.count == x.count else {
        throw .lengthMismatch(field: "\(field).band.upper", expected: x.count, actual: band.upper.count)
      }
      try PlotError.checkFinite(band.lower, field: "\(field).band.lower")
      try PlotError.checkFinite(band.upper, field: "\(field).band.upper")
      for i in x.indices where band.lower[i] > band.upper[i] {
        throw .invertedInterval(field: "\(field).band", index: i)
      }
    }
  }

  /// The vertices of the drawn line for `values` under this series' interpolation.
  func path(_ values: [Double], _ px: (Double) -> Double, _ py: (Double) -> Double) -> [Point] {
    switch interpolation {
    case .linear:
      return x.indices.map { Point(x: px(x[$0]), y: py(values[$0])) }
    case .step:
      var points: [Point] = []
      points.reserveCapacity(2 * x.count)
      for i in x.indices {
        if i > 0 { points.append(Point(x: px(x[i]), y: py(values[i - 1]))) }
        points.append(Point(x: px(x[i]), y: py(values[i])))
      }
      return points
    }
  }
}

/// A horizontal dashed line across a ``LinePlot`` at a reference value (for example a published
/// score), listed in the legend.
public struct ReferenceLine: Sendable, Hashable {
  /// The y value.
  public var value: Double
  /// The legend label.
  public var name: String
  /// The colour.
  public var color: RGBColor

  /// A reference line at `value`.
  public init(value: Double, name: String, color: RGBColor = .mutedInk) {
    self.value = value
    self.name = name
    self.color = color
  }
}

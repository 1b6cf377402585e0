/// Performance profiles drawn as step curves with 95 % bands: the fraction of runs scoring
/// above τ, for each algorithm (Agarwal et al. 2021, https://arxiv.org/abs/2108.13264, Fig. 5;
/// rliable `plot_utils.plot_performance_profiles`).
///
/// ```
/// y(τ) = fraction of runs with normalized score > τ,   y ∈ [0, 1]
/// ```
public struct PerformanceProfilePlot: Figure, Hashable {
  /// One algorithm's profile.
  public struct Profile: Sendable, Hashable {
    /// The legend label.
    public var name: String
    /// The thresholds τ, ascending.
    public var thresholds: [Double]
    /// The fraction above each threshold.
    public var fractions: [Double]
    /// Lower ends of the confidence intervals (optional, with `upper`).
    public var lower: [Double]?
    /// Upper ends of the confidence intervals (optional, with `lower`).
    public var upper: [Double]?
    /// The colour; `nil` takes the profile's position in the ``Palette``.
    public var color: RGBColor?

    /// A profile; `lower` and `upper` must be given together.
    public init(
      name: String, thresholds: [Double], fractions: [Double], lower: [Double]? = nil,
      upper: [Double]? = nil, color: RGBColor? = nil
    ) {
      self.name = name
      self.thresholds = thresholds
      self.fractions = fractions
      self.lower = lower
      self.upper = upper
      self.color = color
    }
  }

  /// The title.
  public var title: String
  /// The x-axis title.
  public var xLabel: String
  /// The y-axis title.
  public var yLabel: String
  /// The profiles, one per algorithm.
  public var profiles: [Profile]
  /// Size and look.
  public var style: FigureStyle

  /// A performance-profile plot with rliable's axis titles by default.
  public init(
    title: String = "Performance profiles",
    xLabel: String = "Normalized score (\u{03C4})",
    yLabel: String = "Fraction of runs with score > \u{03C4}", profiles: [Profile],
    style: FigureStyle = .standard
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.profiles = profiles
    self.style = style
  }

  /// The equivalent ``LinePlot``: step series, y fixed to 0…1, x fixed to the thresholds' span.
  /// - Throws: ``PlotError`` if there is no profile, a profile has no thresholds or only one
  ///   interval end.
  public func linePlot() throws(PlotError) -> LinePlot {
    guard !profiles.isEmpty else { throw .empty(field: "profiles") }
    var series: [LineSeries] = []
    var low = Double.infinity
    var high = -Double.infinity
    for (i, profile) in profiles.enumerated() {
      guard !profile.thresholds.isEmpty else { throw .empty(field: "profiles[\(i)].thresholds") }
      try PlotError.checkFinite(profile.thresholds, field: "profiles[\(i)].thresholds")
      low = min(low, profile.thresholds.min() ?? 0)
      high = max(high, profile.thresholds.max() ?? 1)
      var band: LineSeries.Band? = nil
      switch (profile.lower, profile.upper) {
      case (nil, nil): break
      case (let lower?, let upper?): band = LineSeries.Band(lower: lower, upper: upper)
      case (nil, .some):
        throw .lengthMismatch(
          field: "profiles[\(i)].lower", expected: profile.thresholds.count, actual: 0)
      case (.some, nil):
        throw .lengthMismatch(
          field: "profiles[\(i)].upper", expected: profile.thresholds.count, actual: 0)
      }
      series.append(
        LineSeries(
          name: profile.name, x: profile.thresholds, y: profile.fractions, band: band,
          color: profile.color ?? Palette.color(at: i), interpolation: .step))
    }
    if !(low < high) { high = low + 1 }
    return LinePlot(
      title: title, xLabel: xLabel, yLabel: yLabel, series: series, xRange: low...high,
      yRange: 0...1, style: style)
  }

  /// Draws the plot (see ``linePlot()``).
  /// - Throws: ``PlotError`` as ``linePlot()`` and ``LinePlot/render()``.
  public func render() throws(PlotError) -> Canvas { try linePlot().render() }
}

import Plotting

/// Deterministic sample figures shared by the rendering tests: three learning curves with bands
/// over 1M steps, a grouped IQM bar chart and a performance-profile plot.
enum SampleFigures {
  /// A smooth saturating curve with a wobble, so lines cross and bands overlap.
  static func curve(rate: Double, ceiling: Double, wobble: Double, count: Int = 101) -> (
    x: [Double], y: [Double], lower: [Double], upper: [Double]
  ) {
    var x: [Double] = []
    var y: [Double] = []
    var lower: [Double] = []
    var upper: [Double] = []
    for i in 0..<count {
      let t = Double(i) / Double(count - 1)
      let progress = 1 - 1 / (1 + rate * t * t * 4)
      let value = 9.5 + (ceiling - 9.5) * progress + wobble * Double((i * 37) % 11 - 5)
      let spread = 15 + 60 * progress * (1 - progress) * 2
      x.append(t * 1_000_000)
      y.append(value)
      lower.append(value - spread)
      upper.append(min(value + spread, 520))
    }
    return (x, y, lower, upper)
  }

  static var learningCurves: LinePlot {
    let names = ["A2C", "ACKTR", "ACER"]
    let shapes = [(6.0, 480.0, 4.0), (12.0, 500.0, 3.0), (2.5, 310.0, 6.0)]
    let series = zip(names, shapes).map { name, shape in
      let c = curve(rate: shape.0, ceiling: shape.1, wobble: shape.2)
      return LineSeries(
        name: name, x: c.x, y: c.y, band: LineSeries.Band(lower: c.lower, upper: c.upper))
    }
    return LinePlot(
      title: "CartPole-v1: episode return (5 seeds, 95% CI)", xLabel: "Environment steps",
      yLabel: "Episode return", series: series,
      referenceLines: [ReferenceLine(value: 475, name: "Solved (475)")])
  }

  static var barChart: IntervalBarChart {
    IntervalBarChart(
      title: "IQM of final return (95% bootstrap CI)", yLabel: "IQM return",
      groups: ["CartPole-v1", "Acrobot-v1", "MountainCar-v0", "Pendulum-v1"],
      series: [
        .init(
          name: "A2C", values: [480, -85, -200, -420], lower: [455, -95, -200, -610],
          upper: [500, -78, -180, -300]),
        .init(
          name: "ACKTR", values: [500, -78, -140, -250], lower: [490, -84, -165, -330],
          upper: [500, -72, -120, -180]),
        .init(
          name: "ACER", values: [310, -90, -200, -500], lower: [260, -110, -200, -700],
          upper: [380, -80, -200, -350]),
      ])
  }

  static var aggregateBars: IntervalBarChart {
    IntervalBarChart(
      title: "Classic control, normalized (5 envs x 5 seeds)", yLabel: "IQM",
      groups: ["IQM"],
      series: [
        .init(name: "A2C", values: [0.82], lower: [0.71], upper: [0.9]),
        .init(name: "ACKTR", values: [0.93], lower: [0.86], upper: [0.98]),
        .init(name: "ACER (discrete only)", values: [0.55], lower: [0.38], upper: [0.69]),
      ], yRange: 0...1)
  }

  static var profilePlot: PerformanceProfilePlot {
    let taus = (0...40).map { Double($0) / 20 }
    func profile(_ name: String, center: Double) -> PerformanceProfilePlot.Profile {
      let f = taus.map { tau in 1 / (1 + exp((tau - center) * 6)) }
      let fractions = f.map { ($0 * 25).rounded() / 25 }
      return .init(
        name: name, thresholds: taus, fractions: fractions,
        lower: fractions.map { max(0, $0 - 0.12) }, upper: fractions.map { min(1, $0 + 0.12) })
    }
    return PerformanceProfilePlot(
      profiles: [profile("A2C", center: 0.9), profile("ACKTR", center: 1.1), profile("ACER", center: 0.6)])
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

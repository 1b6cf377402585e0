import Testing

@testable import Plotting

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct FigureTests {
  @Test func sameFigureSameBytes() throws {
    let first = try PNGWriter.encode(SampleFigures.learningCurves.render())
    let second = try PNGWriter.encode(SampleFigures.learningCurves.render())
    #expect(first == second)
    #expect(first.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    let profiles = try SampleFigures.profilePlot.render()
    #expect(try SampleFigures.profilePlot.render() == profiles)
  }

  @Test func legendAndTitleSitAboveTheDataArea() throws {
    let series = [LineSeries(name: "only", x: [0, 1], y: [0, 1])]
    let style = FigureStyle.standard
    let frame = try FigureFrame(
      style: style, title: "Title", xLabel: "x", yLabel: "y",
      legend: [.init(name: "only", color: .black, swatch: .line(dashed: false))],
      xAxis: .numeric(lower: 0, upper: 1), yRange: (0, 1))
    let font = BitmapFont.standard
    let titleBottom = style.padding + font.height(scale: style.titleScale)
    let legendBottom = titleBottom + FigureFrame.gap * style.textScale + font.height(scale: style.textScale)
    #expect(frame.plot.y > legendBottom)
    // And in a rendered plot the series colour appears in the legend swatch rows and in the data
    // area, never in between.
    let red = RGBColor(hex: 0xFF0000)
    let canvas = try LinePlot(
      title: "T", series: [LineSeries(name: series[0].name, x: [0, 1], y: [1, 1], color: red)]
    ).render()
    var redRows = Set<Int>()
    for y in 0..<canvas.height {
      for x in 0..<canvas.width where canvas.pixel(x: x, y: y) == red { redRows.insert(y) }
    }
    let sorted = redRows.sorted()
    let gaps = zip(sorted, sorted.dropFirst()).filter { $1 - $0 > 1 }
    #expect(gaps.count == 1, "legend swatch and data line must be separate bands of rows")
  }

  @Test func linePlotErrorsNameTheField() {
    #expect(throws: PlotError.empty(field: "series")) { try LinePlot(series: []).render() }
    #expect(throws: PlotError.lengthMismatch(field: "series[0].y", expected: 3, actual: 2)) {
      try LinePlot(series: [LineSeries(name: "a", x: [0, 1, 2], y: [0, 1])]).render()
    }
    #expect(throws: PlotError.nonFiniteValue(field: "series[1].y", index: 1)) {
      try LinePlot(series: [
        LineSeries(name: "a", x: [0, 1], y: [0, 1]),
        LineSeries(name: "b", x: [0, 1], y: [0, .nan]),
      ]).render()
    }
    #expect(throws: PlotError.invertedInterval(field: "series[0].band", index: 0)) {
      try LinePlot(series: [
        LineSeries(name: "a", x: [0, 1], y: [0, 1], band: .init(lower: [1, 0], upper: [0, 2]))
      ]).render()
    }
    #expect(throws: PlotError.invalidRange(field: "yRange", lower: 1, upper: 1)) {
      try LinePlot(series: [LineSeries(name: "a", x: [0, 1], y: [0, 1])], yRange: 1...1).render()
    }
    #expect(throws: PlotError.invalidSize(field: "style.textScale", value: 0, allowed: 1...8)) {
      try LinePlot(
        series: [LineSeries(name: "a", x: [0, 1], y: [0, 1])], style: FigureStyle(textScale: 0)
      ).render()
    }
    #expect(
      PlotError.lengthMismatch(field: "series[0].y", expected: 3, actual: 2).description
        == "series[0].y has 2 value(s); expected 3")
  }

  @Test func degenerateButValidDataStillRenders() throws {
    // One point, constant values: an axis is invented around them, nothing crashes.
    let canvas = try LinePlot(series: [LineSeries(name: "dot", x: [5], y: [3])]).render()
    #expect(canvas.width == 900)
    let tiny = try LinePlot(
      series: [LineSeries(name: "a", x: [0, 1], y: [2, 2])],
      style: FigureStyle(width: 200, height: 150, textScale: 1, titleScale: 1)
    ).render()
    #expect(tiny.width == 200 && tiny.height == 150)
  }

  @Test func tooSmallAFigureIsATypedError() {
    #expect {
      try LinePlot(
        title: "T", series: [LineSeries(name: "a", x: [0, 1], y: [0, 1])],
        style: FigureStyle(width: 900, height: 60)
      ).render()
    } throws: { error in
      guard case .invalidSize(let field, 60, _) = error as? PlotError else { return false }
      return field == "style.height"
    }
  }

  @Test func barChartErrorsNameTheField() {
    #expect(throws: PlotError.empty(field: "groups")) {
      try IntervalBarChart(groups: [], series: [.init(name: "a", values: [])]).render()
    }
    #expect(throws: PlotError.lengthMismatch(field: "series[0].values", expected: 2, actual: 1)) {
      try IntervalBarChart(groups: ["x", "y"], series: [.init(name: "a", values: [1])]).render()
    }
    #expect(throws: PlotError.lengthMismatch(field: "series[0].upper", expected: 1, actual: 0)) {
      try IntervalBarChart(groups: ["x"], series: [.init(name: "a", values: [1], lower: [0])])
        .render()
    }
    #expect(throws: PlotError.invertedInterval(field: "series[0]", index: 0)) {
      try IntervalBarChart(
        groups: ["x"], series: [.init(name: "a", values: [1], lower: [2], upper: [0])]
      ).render()
    }
  }

  @Test func barsGrowFromZero() throws {
    let red = RGBColor(hex: 0xFF0000)
    let chart = IntervalBarChart(
      groups: ["g"], series: [.init(name: "a", values: [2], color: red)], yRange: 0...4)
    let canvas = try chart.render()
    // The bar (85 % opaque red over white) spans the lower half of the data area.
    var rows = Set<Int>()
    for y in 0..<canvas.height {
      for x in 0..<canvas.width where canvas.pixel(x: x, y: y) == RGBColor(red: 255, green: 38, blue: 38) {
        rows.insert(y)
      }
    }
    let frame = try FigureFrame(
      style: chart.style, title: "", xLabel: "", yLabel: "", legend: [],
      xAxis: .categories, yRange: (0, 4))
    let bottom = frame.plot.y + frame.plot.height
    #expect(rows.max() == bottom - 1)
    #expect(abs(Double(rows.min() ?? 0) - (Double(frame.plot.y) + Double(frame.plot.height) / 2)) <= 1)
  }

  @Test func missingGroupsDrawNoBarAndAreNotChecked() throws {
    let red = RGBColor(hex: 0xFF0000)
    let barRed = RGBColor(red: 255, green: 38, blue: 38)
    func redColumns(_ missing: Set<Int>) throws -> (left: Bool, right: Bool) {
      let chart = IntervalBarChart(
        groups: ["g0", "g1"],
        series: [.init(name: "a", values: [2, missing.contains(1) ? .nan : 3], lower: [1, 2], upper: [3, 4], color: red, missing: missing)],
        yRange: 0...5)
      let canvas = try chart.render()
      var left = false, right = false
      for y in 0..<canvas.height {
        for x in 0..<canvas.width where canvas.pixel(x: x, y: y) == barRed {
          if x < canvas.width / 2 { left = true } else { right = true }
        }
      }
      return (left, right)
    }
    let both = try redColumns([])
    #expect(both.left && both.right)
    // Group 1 missing: its NaN is not checked and nothing is drawn there.
    let one = try redColumns([1])
    #expect(one.left && !one.right)
    #expect(throws: PlotError.invalidIndex(field: "series[0].missing", index: 2, count: 2)) {
      try IntervalBarChart(groups: ["g0", "g1"], series: [.init(name: "a", values: [1, 1], missing: [2])]).render()
    }
    #expect(throws: PlotError.nonFiniteValue(field: "series[0].values", index: 1)) {
      try IntervalBarChart(groups: ["g0", "g1"], series: [.init(name: "a", values: [1, .nan], missing: [0])]).render()
    }
  }

  @Test func performanceProfileIsAStepPlotOnTheUnitInterval() throws {
    let plot = try SampleFigures.profilePlot.linePlot()
    #expect(plot.yRange == 0...1 && plot.xRange == 0...2)
    #expect(plot.series.allSatisfy { $0.interpolation == .step && $0.band != nil })
    let step = LineSeries(name: "s", x: [0, 1, 2], y: [1, 0.5, 0], interpolation: .step)
    let path = step.path(step.y, { $0 }, { $0 })
    #expect(path.map(\.x) == [0, 1, 1, 2, 2] && path.map(\.y) == [1, 1, 0.5, 0.5, 0])
    #expect(throws: PlotError.empty(field: "profiles")) {
      try PerformanceProfilePlot(profiles: []).render()
    }
  }

  @Test func palettesAreOkabeIto() {
    #expect(Palette.okabeIto.count == 8)
    #expect(Palette.color(at: 0) == RGBColor(hex: 0x0072B2))
    #expect(Palette.color(at: 9) == Palette.color(at: 1))
    #expect(Set(Palette.okabeIto).count == 8)
  }
}

@Suite struct PNGWriterTests {
  @Test func roundTripsThroughLibpng() throws {
    let canvas = try GoldenDrawing.canvas()
    let bytes = try PNGWriter.encode(canvas)
    #expect(try Canvas(pngData: bytes) == canvas)
    #expect(PNGWriter.libpngVersion.hasPrefix("1.6"))
  }

  @Test func writesAtomicallyAndReportsErrors() throws {
    let directory = "/tmp/actorcriticbench-pngwriter-\(getpid())"
    mkdir(directory, 0o755)
    defer { rmdir(directory) }
    let path = "\(directory)/figure.png"
    let canvas = try GoldenDrawing.canvas()
    try PNGWriter.write(canvas, to: path)
    try PNGWriter.write(canvas, to: path)  // replacing an existing file
    defer { unlink(path) }
    let file = fopen(path, "rb")
    #expect(file != nil)
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while let file {
      let count = fread(&buffer, 1, buffer.count, file)
      if count == 0 { break }
      bytes += buffer[0..<count]
    }
    if let file { fclose(file) }
    #expect(try Canvas(pngData: bytes) == canvas)
    #expect(access("\(path).tmp-\(getpid())", F_OK) != 0, "temporary file must be gone")

    let missing = "/tmp/actorcriticbench-no-such-directory-\(getpid())/figure.png"
    #expect(
      throws: PNGError.cannotCreateFile(
        path: "\(missing).tmp-\(getpid())", reason: "No such file or directory")
    ) { try PNGWriter.write(canvas, to: missing) }
    #expect(throws: PNGError.self) { try Canvas(pngData: [1, 2, 3]) }
  }
}

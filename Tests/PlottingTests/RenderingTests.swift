import Plotting
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct RenderingTests {
  /// Writes the sample figures to /tmp/actorcriticbench-plotting/ for a human to look at.
  @Test func sampleFiguresRenderAndWrite() throws {
    let directory = "/tmp/actorcriticbench-plotting"
    mkdir(directory, 0o755)
    let figures: [(String, any Figure)] = [
      ("learning-curves", SampleFigures.learningCurves),
      ("iqm-bars", SampleFigures.barChart),
      ("aggregate-bars", SampleFigures.aggregateBars),
      ("performance-profiles", SampleFigures.profilePlot),
    ]
    for (name, figure) in figures {
      let canvas = try figure.render()
      #expect(canvas.width == 900 && canvas.height == 560)
      let path = "\(directory)/\(name).png"
      try PNGWriter.write(canvas, to: path)
      let bytes = try PNGWriter.encode(canvas)
      #expect(try Canvas(pngData: bytes) == canvas)
    }
    try PNGWriter.write(GoldenDrawing.canvas(), to: "\(directory)/golden-drawing.png")
  }
}

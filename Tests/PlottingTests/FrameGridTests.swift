import Testing

@testable import Plotting

/// Raw frames on canvases and in grids (the PNG strips of `bench render`).
@Suite struct FrameGridTests {
  /// A `width × height` frame whose every pixel is `(tag, x, y)`.
  static func frame(_ tag: UInt8, width: Int, height: Int) throws -> Canvas {
    var rgb: [UInt8] = []
    for y in 0..<height { for x in 0..<width { rgb += [tag, UInt8(x), UInt8(y)] } }
    return try Canvas(width: width, height: height, rgb: rgb)
  }

  @Test func rawRGBBecomesACanvasRowMajorFromTheTop() throws {
    let canvas = try Self.frame(9, width: 3, height: 2)
    #expect(canvas.pixel(x: 2, y: 1) == RGBColor(red: 9, green: 2, blue: 1))
    #expect(throws: PlotError.lengthMismatch(field: "rgb", expected: 18, actual: 17)) {
      try Canvas(width: 3, height: 2, rgb: [UInt8](repeating: 0, count: 17))
    }
  }

  @Test func drawCopiesPixelsAndClipsAtTheEdges() throws {
    var canvas = try Canvas(width: 5, height: 4)
    canvas.draw(try Self.frame(7, width: 3, height: 3), x: 3, y: -1)
    #expect(canvas.pixel(x: 3, y: 0) == RGBColor(red: 7, green: 0, blue: 1))
    #expect(canvas.pixel(x: 4, y: 1) == RGBColor(red: 7, green: 1, blue: 2))
    #expect(canvas.pixel(x: 2, y: 0) == .white)
    #expect(canvas.pixel(x: 3, y: 2) == .white)
  }

  @Test func scalingRepeatsEveryPixel() throws {
    let big = try Self.frame(1, width: 2, height: 3).scaled(by: 4)
    #expect(big.width == 8 && big.height == 12)
    #expect(big.pixel(x: 7, y: 11) == RGBColor(red: 1, green: 1, blue: 2))
    #expect(big.pixel(x: 3, y: 4) == RGBColor(red: 1, green: 0, blue: 1))
    #expect(big.pixel(x: 4, y: 3) == RGBColor(red: 1, green: 1, blue: 0))
    #expect(throws: PlotError.invalidSize(field: "scale", value: 0, allowed: 1...64)) {
      try Self.frame(1, width: 2, height: 3).scaled(by: 0)
    }
  }

  @Test func gridPlacesFramesLeftToRightThenDownWithCaptionRows() throws {
    let frames = try (0..<5).map { try Self.frame(UInt8(10 + $0), width: 6, height: 4) }
    let grid = try FrameGrid.compose(frames, columns: 2, gap: 3, captions: (0..<5).map { "t=\($0)" })
    // 3 rows of 2: width 3 + 2·(6 + 3) = 21, height 3 + 3·(4 + 11 + 3) = 57.
    #expect(grid.width == 21 && grid.height == 57)
    for i in 0..<5 {
      let x = 3 + (i % 2) * 9
      let y = 3 + (i / 2) * 18
      #expect(grid.pixel(x: x, y: y) == RGBColor(red: UInt8(10 + i), green: 0, blue: 0), "frame \(i)")
      #expect(grid.pixel(x: x + 5, y: y + 3) == RGBColor(red: UInt8(10 + i), green: 5, blue: 3), "frame \(i)")
      #expect(grid.pixel(x: x - 1, y: y) == .white, "gap left of frame \(i)")
      var caption: Set<RGBColor> = []
      for cy in (y + 4)..<(y + 15) { for cx in x..<(x + 6) { caption.insert(grid.pixel(x: cx, y: cy)) } }
      #expect(caption.count > 1, "caption of frame \(i) is drawn")
    }
    // The sixth cell is empty.
    #expect(grid.pixel(x: 12, y: 39) == .white)
    let bare = try FrameGrid.compose(frames, columns: 8, gap: 0)
    #expect(bare.width == 30 && bare.height == 4, "no captions, fewer frames than columns")
  }

  @Test func badGridArgumentsAreTypedErrors() throws {
    let frame = try Self.frame(0, width: 6, height: 4)
    #expect(throws: PlotError.empty(field: "frames")) { try FrameGrid.compose([], columns: 2) }
    #expect(throws: PlotError.invalidSize(field: "columns", value: 0, allowed: 1...1024)) {
      try FrameGrid.compose([frame], columns: 0)
    }
    #expect(throws: PlotError.invalidSize(field: "gap", value: 65, allowed: 0...64)) {
      try FrameGrid.compose([frame], columns: 1, gap: 65)
    }
    #expect(throws: PlotError.lengthMismatch(field: "captions", expected: 2, actual: 1)) {
      try FrameGrid.compose([frame, frame], columns: 1, captions: ["t=0"])
    }
    #expect(throws: PlotError.self) { try FrameGrid.compose([frame, Self.frame(0, width: 5, height: 4)], columns: 2) }
    #expect(throws: PlotError.self) {
      try FrameGrid.compose([Canvas](repeating: try Canvas(width: 4000, height: 1), count: 5), columns: 5)
    }
  }
}

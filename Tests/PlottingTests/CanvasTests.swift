import Testing

@testable import Plotting

/// FNV-1a 64-bit, for golden hashes of pixel buffers.
func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  for byte in bytes {
    hash ^= UInt64(byte)
    hash = hash &* 0x0000_0100_0000_01b3
  }
  return hash
}

@Suite struct CanvasTests {
  @Test func sizesAreValidated() {
    #expect(throws: PlotError.invalidSize(field: "width", value: 0, allowed: 1...16_384)) {
      try Canvas(width: 0, height: 10)
    }
    #expect(throws: PlotError.invalidSize(field: "height", value: 20_000, allowed: 1...16_384)) {
      try Canvas(width: 10, height: 20_000)
    }
    #expect(
      PlotError.invalidSize(field: "width", value: 0, allowed: 1...16_384).description
        == "width is 0; allowed values are 1...16384")
  }

  @Test func alphaBlendingRoundsToNearest() throws {
    var canvas = try Canvas(width: 4, height: 2)
    #expect(canvas.pixel(x: 3, y: 1) == .white)
    canvas.fill(PixelRectangle(x: 0, y: 0, width: 2, height: 1), color: .black, alpha: 0.5)
    // 0.5 · 0 + 0.5 · 255 = 127.5 → 128.
    #expect(canvas.pixel(x: 0, y: 0) == RGBColor(red: 128, green: 128, blue: 128))
    #expect(canvas.pixel(x: 2, y: 0) == .white)
    canvas.fill(RGBColor(hex: 0x0072B2))
    #expect(canvas.pixel(x: 3, y: 1) == RGBColor(red: 0, green: 0x72, blue: 0xB2))
  }

  @Test func onePixelLineThroughPixelCentresIsCrisp() throws {
    var canvas = try Canvas(width: 24, height: 20)
    canvas.strokeLine(from: Point(x: 2.5, y: 10.5), to: Point(x: 20.5, y: 10.5), color: .black)
    for x in 3...20 { #expect(canvas.pixel(x: x, y: 10) == .black) }
    for x in 0..<24 {
      #expect(canvas.pixel(x: x, y: 9) == .white)
      #expect(canvas.pixel(x: x, y: 11) == .white)
    }
    // A line on a pixel boundary covers two rows half each: 255 · ½ = 127.5 → 128.
    var boundary = try Canvas(width: 24, height: 20)
    boundary.strokeLine(from: Point(x: 2.5, y: 10), to: Point(x: 20.5, y: 10), color: .black)
    #expect(boundary.pixel(x: 8, y: 9).red == 128)
    #expect(boundary.pixel(x: 8, y: 10).red == 128)
  }

  @Test func translucentPolylineJoinsAreNotPaintedTwice() throws {
    var canvas = try Canvas(width: 30, height: 30)
    canvas.stroke(
      [Point(x: 5.5, y: 5.5), Point(x: 20.5, y: 5.5), Point(x: 20.5, y: 20.5)], color: .black,
      width: 3, alpha: 0.5)
    // The corner pixel and a straight-run pixel get the same single 50 % coat.
    #expect(canvas.pixel(x: 20, y: 5) == canvas.pixel(x: 12, y: 5))
    #expect(canvas.pixel(x: 12, y: 5).red == 128)
    #expect(canvas.coverage.allSatisfy { $0 == 0 })
  }

  @Test func polygonsCoverExactlyTheirArea() throws {
    var canvas = try Canvas(width: 12, height: 12)
    canvas.fillRectangle(x: 2, y: 3, width: 4, height: 2, color: .black)
    for y in 0..<12 {
      for x in 0..<12 {
        let inside = (2..<6).contains(x) && (3..<5).contains(y)
        #expect(canvas.pixel(x: x, y: y) == (inside ? .black : .white), "pixel (\(x), \(y))")
      }
    }
    // Half-pixel edges give half coverage.
    var half = try Canvas(width: 12, height: 12)
    half.fillRectangle(x: 2.5, y: 3, width: 2, height: 1, color: .black)
    #expect(half.pixel(x: 2, y: 3).red == 128)
    #expect(half.pixel(x: 3, y: 3) == .black)
    #expect(half.pixel(x: 4, y: 3).red == 128)
    #expect(half.pixel(x: 5, y: 3) == .white)
  }

  @Test func triangleAreaMatchesCoverage() throws {
    // Right triangle with legs 8: area 32 pixels of black → total darkness ≈ 32 · 255.
    var canvas = try Canvas(width: 16, height: 16)
    canvas.fillPolygon(
      [Point(x: 2, y: 2), Point(x: 10, y: 2), Point(x: 2, y: 10)], color: .black)
    var darkness = 0
    for y in 0..<16 { for x in 0..<16 { darkness += 255 - Int(canvas.pixel(x: x, y: y).red) } }
    #expect(abs(Double(darkness) / 255 - 32) < 0.5)
  }

  @Test func clipLimitsDrawing() throws {
    var canvas = try Canvas(width: 10, height: 10)
    canvas.clip = PixelRectangle(x: 2, y: 2, width: 3, height: 3)
    canvas.fill(.black)
    canvas.strokeLine(from: Point(x: 0, y: 8.5), to: Point(x: 10, y: 8.5), color: .black)
    var black = 0
    for y in 0..<10 { for x in 0..<10 where canvas.pixel(x: x, y: y) == .black { black += 1 } }
    #expect(black == 9)
  }

  @Test func dashesAlternate() throws {
    let segments = Canvas.dashedSegments([Point(x: 0, y: 0), Point(x: 20, y: 0)], dash: [4, 2])
    #expect(segments.map { $0.0.x } == [0, 6, 12, 18])
    #expect(segments.map { $0.1.x } == [4, 10, 16, 20])
  }

  @Test func goldenPixelHash() throws {
    // Pins the rasteriser: any change to coverage, blending or glyphs changes this hash.
    // (Recompute only for a deliberate rendering change, and look at the result.)
    let canvas = try GoldenDrawing.canvas()
    #expect(fnv1a64(canvas.pixels) == GoldenDrawing.expectedHash)
  }
}

/// A small drawing that exercises every primitive.
enum GoldenDrawing {
  static let expectedHash: UInt64 = 10_784_128_134_354_402_976

  static func canvas() throws -> Canvas {
    var canvas = try Canvas(width: 64, height: 48)
    canvas.fillPolygon(
      [Point(x: 4, y: 40), Point(x: 30, y: 6.3), Point(x: 60, y: 44.7)], color: Palette.color(at: 2),
      alpha: 0.3)
    canvas.stroke(
      [Point(x: 2, y: 30), Point(x: 20.25, y: 12.5), Point(x: 41, y: 33), Point(x: 62, y: 4)],
      color: Palette.color(at: 0), width: 2)
    canvas.strokeLine(
      from: Point(x: 0, y: 20.5), to: Point(x: 64, y: 20.5), color: .mutedInk, width: 1.5,
      dash: [5, 3])
    canvas.drawText("IQM 1.5k", x: 3, y: 3, scale: 1, baseline: .top)
    canvas.drawText("\u{2212}7", x: 60, y: 46, scale: 2, alignment: .trailing, baseline: .bottom)
    canvas.drawText("y", x: 0, y: 47, orientation: .upward)
    return canvas
  }
}

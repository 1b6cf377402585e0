import Testing

@testable import Plotting

@Suite struct BitmapFontTests {
  let font = BitmapFont.standard

  @Test func everyPrintableASCIICharacterHasAGlyph() {
    for code in 32...126 {
      let character = Character(Unicode.Scalar(UInt8(code)))
      #expect(font.hasGlyph(for: character), "missing glyph for \(code)")
    }
    for symbol in ["\u{2212}", "\u{00B1}", "\u{03C4}", "\u{03B3}", "\u{2026}"] {
      #expect(font.hasGlyph(for: Character(symbol)))
    }
    #expect(!font.hasGlyph(for: "€"))
    #expect(BitmapFont.glyphSource.count == Set(BitmapFont.glyphSource.map(\.0)).count)
  }

  @Test func glyphsAreDistinct() {
    // No two characters may share a bitmap (a copy-paste slip in the table would).
    var seen: [[UInt8]: Character] = [:]
    for (character, _) in BitmapFont.glyphSource where character != " " {
      let rows = font.glyph(for: character).rows
      #expect(seen[rows] == nil, "\(character) duplicates \(seen[rows].map(String.init) ?? "")")
      seen[rows] = character
    }
  }

  @Test func measurement() {
    #expect(font.width(of: "") == 0)
    #expect(font.width(of: "0") == 5)
    #expect(font.width(of: "100") == 17)  // digits advance 6, minus the trailing gap
    #expect(font.width(of: "100", scale: 2) == 34)
    #expect(font.width(of: "i") == 3)  // proportional: ink columns 1…3
    #expect(font.width(of: "a b") == 6 + 4 + 5)  // a advances 6, space 4, b is 5 wide
    #expect(font.height(scale: 3) == 27)
  }

  @Test func horizontalTextMatchesTheGlyphTable() throws {
    var canvas = try Canvas(width: 8, height: 10)
    canvas.drawText("A", x: 1, y: 0, color: .black, baseline: .top)
    let source = BitmapFont.glyphSource.first { $0.0 == "A" }!.1.split(separator: "|")
    for (row, pattern) in source.enumerated() {
      for (column, mark) in pattern.enumerated() {
        #expect((canvas.pixel(x: 1 + column, y: row) == .black) == (mark == "#"))
      }
    }
    #expect(canvas.pixel(x: 0, y: 3) == .white && canvas.pixel(x: 6, y: 3) == .white)
  }

  @Test func upwardTextIsTheHorizontalTextRotated() throws {
    var flat = try Canvas(width: 30, height: 12)
    flat.drawText("Fy", x: 0, y: 0, color: .black, baseline: .top)
    var upright = try Canvas(width: 12, height: 30)
    upright.drawText("Fy", x: 0, y: 30, color: .black, baseline: .top, orientation: .upward)
    // Rotating anticlockwise: flat (u, v) lands on upright (v, 29 − u).
    for v in 0..<12 {
      for u in 0..<30 {
        #expect(flat.pixel(x: u, y: v) == upright.pixel(x: v, y: 29 - u), "(\(u), \(v))")
      }
    }
  }

  @Test func alignmentAnchorsTheTextBox() throws {
    var canvas = try Canvas(width: 40, height: 20)
    canvas.drawText("HH", x: 30, y: 15, color: .black, alignment: .trailing, baseline: .baseline)
    // "HH" is 11 pixels wide; trailing at x = 30 → columns 19…29; baseline at 15 → rows 8…14.
    var columns = Set<Int>()
    var rows = Set<Int>()
    for y in 0..<20 {
      for x in 0..<40 where canvas.pixel(x: x, y: y) == .black {
        columns.insert(x)
        rows.insert(y)
      }
    }
    #expect(columns.min() == 19 && columns.max() == 29)
    #expect(rows.min() == 8 && rows.max() == 14)
  }
}

@Suite struct AxisTicksTests {
  @Test func learningCurveAxis() {
    let ticks = AxisTicks(lower: 0, upper: 1_000_000, targetCount: 6)
    #expect(ticks.step == 200_000)
    #expect(ticks.values == [0, 200_000, 400_000, 600_000, 800_000, 1_000_000])
    #expect(ticks.labels == ["0", "200k", "400k", "600k", "800k", "1M"])
  }

  @Test func oneTwoFiveSteps() {
    #expect(AxisTicks(lower: 0, upper: 1, targetCount: 6).step == 0.2)
    #expect(AxisTicks(lower: -3, upper: 7, targetCount: 6).step == 2)
    #expect(AxisTicks(lower: 0, upper: 530, targetCount: 5).step == 100)
    #expect(AxisTicks(lower: 0, upper: 37, targetCount: 5).step == 10)
    #expect(AxisTicks(lower: 0, upper: 0.003, targetCount: 4).step == 0.001)
  }

  @Test func extendingAndKeepingLimits() {
    let loose = AxisTicks(lower: 0.3, upper: 9.7, targetCount: 6)
    #expect(loose.lower == 0 && loose.upper == 10 && loose.values == [0, 2, 4, 6, 8, 10])
    let tight = AxisTicks(lower: -21.2, upper: 556, targetCount: 6, extendToTicks: false)
    #expect(tight.lower == -21.2 && tight.upper == 556)
    #expect(tight.values == [0, 100, 200, 300, 400, 500])
    #expect(tight.labels == ["0", "100", "200", "300", "400", "500"])
  }

  @Test func constantDataStillGetsAnAxis() {
    let ticks = AxisTicks(lower: 500, upper: 500, targetCount: 5, extendToTicks: false)
    #expect(ticks.lower < 500 && ticks.upper > 500 && ticks.values.contains(500))
  }

  @Test func floatingPointNoiseStaysOutOfLabels() {
    let ticks = AxisTicks(lower: 0, upper: 0.7, targetCount: 8)
    #expect(ticks.labels == ["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
  }
}

@Suite struct CompactNumberFormatTests {
  @Test(arguments: [
    (100_000.0, 20_000.0, "100k"),
    (1_000_000, 200_000, "1M"),
    (2_500_000, 500_000, "2.5M"),
    (1_250, 250, "1.25k"),
    (-250, 50, "\u{2212}250"),
    (0.30000000000000004, 0.1, "0.3"),
    (0.05, 0.05, "0.05"),
    (1.5e9, 5e8, "1.5B"),
    (0, 100, "0"),
    (-0.0, 1, "0"),
    (1e-12, 0.5, "0"),
    (999, 1, "999"),
    (-1_500, 500, "\u{2212}1.5k"),
    (12.5, 2.5, "12.5"),
  ])
  func labels(value: Double, step: Double, expected: String) {
    #expect(CompactNumberFormat.string(for: value, step: step) == expected)
  }
}

@Suite struct TruncationTests {
  @Test func longTextIsShortenedWithAnEllipsis() throws {
    let font = BitmapFont.standard
    #expect(font.truncated("A2C", toWidth: 100) == "A2C")
    let short = font.truncated("ACER (discrete only)", toWidth: 40)
    #expect(short.hasSuffix("\u{2026}") && font.width(of: short) <= 40)
    // A title far wider than the image still renders.
    let canvas = try LinePlot(
      title: String(repeating: "Very long title ", count: 20),
      series: [LineSeries(name: String(repeating: "long legend ", count: 30), x: [0, 1], y: [0, 1])]
    ).render()
    #expect(canvas.width == 900)
  }
}

/// A small proportional bitmap font for plot text: printable ASCII 32–126 and a few symbols
/// (− ± × · … γ λ τ σ °), drawn on a 5 × 9 grid (7 pixels above the baseline, 2 below).
///
/// ```
/// advance(glyph) = inkWidth + 1       (digits: always 6, so numbers line up; space: 4)
/// width(text)    = (Σ advance − 1) · scale
/// height(text)   = (ascent + descent) · scale = 9 · scale
/// ```
/// Text is drawn at integer ``Canvas/drawText(_:x:y:color:scale:alignment:baseline:orientation:)``
/// scales by pixel replication, so it is crisp at any size and identical on every platform (no
/// system fonts). The glyphs were drawn for this project (see `BitmapFont+Glyphs.swift`).
public struct BitmapFont: Sendable {
  /// One parsed glyph: rows of 5-bit masks (bit 4 = leftmost column) and its ink extent.
  struct Glyph: Sendable {
    /// `rows[r]` for r in 0..<9; bit `4 − c` is column `c`.
    let rows: [UInt8]
    /// The first column with ink (0 for digits and blanks).
    let inkLeft: Int
    /// Columns from `inkLeft` that are drawn.
    let inkWidth: Int
    /// Horizontal advance, including one column of spacing.
    let advance: Int

    func isInk(row: Int, column: Int) -> Bool { rows[row] & (1 << (4 - column)) != 0 }
  }

  /// Pixels above the baseline (capital height).
  public let ascent = 7
  /// Pixels below the baseline (descender depth).
  public let descent = 2
  /// Glyph cell width in pixels (before spacing).
  static let cellWidth = 5

  private let glyphs: [Character: Glyph]
  private let missing: Glyph

  /// The built-in font.
  public static let standard = BitmapFont()

  private init() {
    var glyphs: [Character: Glyph] = [:]
    for (character, source) in Self.glyphSource {
      glyphs[character] = Self.parse(source, fixedWidth: character.isNumber)
    }
    self.glyphs = glyphs
    self.missing = Self.parse(Self.missingGlyphSource, fixedWidth: true)
  }

  /// Whether `character` has its own glyph (others draw as a hollow box).
  public func hasGlyph(for character: Character) -> Bool { glyphs[character] != nil }

  /// The width of `text` in pixels at `scale`.
  public func width(of text: String, scale: Int = 1) -> Int {
    var total = 0
    for character in text { total += glyph(for: character).advance }
    return max(0, total - 1) * scale
  }

  /// The height of one line, top of capitals to bottom of descenders, at `scale`.
  public func height(scale: Int = 1) -> Int { (ascent + descent) * scale }

  /// `text`, shortened with "…" until it fits `width` pixels at `scale` (unchanged if it fits).
  public func truncated(_ text: String, toWidth width: Int, scale: Int = 1) -> String {
    guard self.width(of: text, scale: scale) > width else { return text }
    var shortened = text
    while !shortened.isEmpty && self.width(of: shortened + "\u{2026}", scale: scale) > width {
      shortened.removeLast()
    }
    return shortened + "\u{2026}"
  }

  func glyph(for character: Character) -> Glyph { glyphs[character] ?? missing }

  /// Parses "rows|separated|by|bars"; a malformed table is a programming error.
  static func parse(_ source: String, fixedWidth: Bool) -> Glyph {
    let rowStrings = source.split(separator: "|", omittingEmptySubsequences: false)
    precondition(rowStrings.count <= 9, "glyph has \(rowStrings.count) rows; at most 9 allowed")
    var rows = [UInt8](repeating: 0, count: 9)
    for (r, row) in rowStrings.enumerated() {
      precondition(row.count == cellWidth, "glyph row \"\(row)\" must be \(cellWidth) wide")
      for (c, mark) in row.enumerated() {
        precondition(mark == "#" || mark == ".", "glyph rows use only # and .")
        if mark == "#" { rows[r] |= 1 << (4 - c) }
      }
    }
    let used = rows.reduce(0, |)
    guard used != 0 else { return Glyph(rows: rows, inkLeft: 0, inkWidth: 0, advance: 4) }
    if fixedWidth { return Glyph(rows: rows, inkLeft: 0, inkWidth: cellWidth, advance: cellWidth + 1) }
    var first = 0
    while used & (1 << (4 - first)) == 0 { first += 1 }
    var last = cellWidth - 1
    while used & (1 << (4 - last)) == 0 { last -= 1 }
    return Glyph(rows: rows, inkLeft: first, inkWidth: last - first + 1, advance: last - first + 2)
  }
}

/// Where a text anchor sits horizontally, along the direction of writing.
public enum TextAlignment: Sendable, Hashable {
  /// The anchor is at the start of the text.
  case leading
  /// The anchor is at the middle of the text.
  case center
  /// The anchor is at the end of the text.
  case trailing
}

/// Where a text anchor sits across the direction of writing.
public enum TextBaseline: Sendable, Hashable {
  /// The anchor is at the top of the capitals.
  case top
  /// The anchor is halfway down the capitals.
  case middle
  /// The anchor is on the baseline.
  case baseline
  /// The anchor is at the bottom of the descenders.
  case bottom
}

/// The direction text is written in.
public enum TextOrientation: Sendable, Hashable {
  /// Left to right.
  case horizontal
  /// Bottom to top (rotated 90° anticlockwise), as a y-axis title.
  case upward
}

/// Bitmap text.
extension Canvas {
  /// Draws `text` with the built-in ``BitmapFont`` so that the anchor `(x, y)` sits at the given
  /// alignment and baseline.
  ///
  /// ```
  /// horizontal:  pixel (x − u₀ + u, y − v₀ + v)
  /// upward:      pixel (x − v₀ + v, y + u₀ − u − 1)
  /// ```
  /// for each font pixel `(u, v)` of the laid-out text (`u` along the line, `v` down), where
  /// `(u₀, v₀)` is the anchor inside the text box.
  /// - Parameters:
  ///   - scale: integer magnification (1 = 7-pixel capitals).
  public mutating func drawText(
    _ text: String, x: Int, y: Int, color: RGBColor = .ink, scale: Int = 1,
    alignment: TextAlignment = .leading, baseline: TextBaseline = .baseline,
    orientation: TextOrientation = .horizontal
  ) {
    let font = BitmapFont.standard
    let scale = max(1, scale)
    let textWidth = font.width(of: text, scale: scale)
    let u0: Int
    switch alignment {
    case .leading: u0 = 0
    case .center: u0 = textWidth / 2
    case .trailing: u0 = textWidth
    }
    let v0: Int
    switch baseline {
    case .top: v0 = 0
    case .middle: v0 = (font.ascent * scale) / 2
    case .baseline: v0 = font.ascent * scale
    case .bottom: v0 = font.height(scale: scale)
    }
    let area = bounds
    var penU = 0
    for character in text {
      let glyph = font.glyph(for: character)
      for row in 0..<9 {
        for column in 0..<glyph.inkWidth where glyph.isInk(row: row, column: glyph.inkLeft + column) {
          let u = penU + column * scale
          let v = row * scale
          for dv in 0..<scale {
            for du in 0..<scale {
              let px: Int
              let py: Int
              switch orientation {
              case .horizontal:
                px = x - u0 + u + du
                py = y - v0 + v + dv
              case .upward:
                px = x - v0 + v + dv
                py = y + u0 - (u + du) - 1
              }
              if px >= area.x && px < area.x + area.width && py >= area.y && py < area.y + area.height {
                blend(px, py, color, 1)
              }
            }
          }
        }
      }
      penU += glyph.advance * scale
    }
  }
}

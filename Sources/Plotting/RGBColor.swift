/// An opaque 8-bit sRGB colour.
public struct RGBColor: Sendable, Hashable, Codable {
  /// Red, 0–255.
  public var red: UInt8
  /// Green, 0–255.
  public var green: UInt8
  /// Blue, 0–255.
  public var blue: UInt8

  /// A colour from its three channels.
  public init(red: UInt8, green: UInt8, blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// A colour from a 24-bit `0xRRGGBB` literal.
  public init(hex: UInt32) {
    self.init(
      red: UInt8(truncatingIfNeeded: hex >> 16), green: UInt8(truncatingIfNeeded: hex >> 8),
      blue: UInt8(truncatingIfNeeded: hex))
  }

  /// `#FFFFFF`.
  public static let white = RGBColor(hex: 0xFFFFFF)
  /// `#000000`.
  public static let black = RGBColor(hex: 0x000000)
  /// Axis and text colour, `#222222`.
  public static let ink = RGBColor(hex: 0x222222)
  /// Grid-line colour, `#E6E6E6`.
  public static let grid = RGBColor(hex: 0xE6E6E6)
  /// Secondary text and reference lines, `#666666`.
  public static let mutedInk = RGBColor(hex: 0x666666)
}

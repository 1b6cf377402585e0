/// The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design",
/// https://jfly.uni-koeln.de/color/), ordered for plotting on white.
///
/// The order puts the highest-contrast hues first (blue, vermillion, bluish green, orange,
/// reddish purple, sky blue); yellow, which is faint on white, comes last but one, then black.
/// Series `i` gets `colors[i % 8]`.
public enum Palette {
  /// Blue `#0072B2`, vermillion `#D55E00`, bluish green `#009E73`, orange `#E69F00`,
  /// reddish purple `#CC79A7`, sky blue `#56B4E9`, yellow `#F0E442`, black `#000000`.
  public static let okabeIto: [RGBColor] = [
    RGBColor(hex: 0x0072B2), RGBColor(hex: 0xD55E00), RGBColor(hex: 0x009E73),
    RGBColor(hex: 0xE69F00), RGBColor(hex: 0xCC79A7), RGBColor(hex: 0x56B4E9),
    RGBColor(hex: 0xF0E442), RGBColor(hex: 0x000000),
  ]

  /// The colour of series number `index` (cycling through ``okabeIto``).
  public static func color(at index: Int) -> RGBColor {
    okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
  }
}

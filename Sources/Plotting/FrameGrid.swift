/// Frames of one size laid out in a grid, left to right and top to bottom, each with an optional
/// caption under it: a PNG strip of an episode (`bench render`).
///
/// ```
/// rows    = ⌈n / columns⌉,   cell = (w + gap) × (h + caption + gap)
/// width   = gap + columns · (w + gap)            (columns = min(columns, n))
/// height  = gap + rows · (h + caption + gap),    caption = 11 px when any caption is given, else 0
/// frame i at (gap + (i mod columns)(w + gap),  gap + ⌊i / columns⌋(h + caption + gap))
/// ```
/// Frames are copied pixel for pixel (no scaling), so a strip shows exactly what the environment
/// rendered; captions are drawn in the plots' bitmap font.
public enum FrameGrid {
  /// Rows of the caption under each frame, when there are captions.
  static let captionHeight = 11

  /// The grid of `frames`, `columns` per row, `gap` pixels of `background` around every frame.
  ///
  /// - Parameter captions: empty, or one per frame (e.g. the step each frame shows).
  /// - Throws: ``PlotError/empty(field:)`` for no frames; ``PlotError/invalidSize(field:value:allowed:)``
  ///   for `columns` outside 1…1024, `gap` outside 0…64, a frame whose size differs from the
  ///   first's (`field` names it), or a grid larger than a canvas may be;
  ///   ``PlotError/lengthMismatch(field:expected:actual:)`` when `captions` is neither empty nor
  ///   one per frame.
  public static func compose(
    _ frames: [Canvas], columns: Int, gap: Int = 2, captions: [String] = [], background: RGBColor = .white
  ) throws(PlotError) -> Canvas {
    guard let first = frames.first else { throw .empty(field: "frames") }
    guard (1...1024).contains(columns) else { throw .invalidSize(field: "columns", value: columns, allowed: 1...1024) }
    guard (0...64).contains(gap) else { throw .invalidSize(field: "gap", value: gap, allowed: 0...64) }
    guard captions.isEmpty || captions.count == frames.count else {
      throw .lengthMismatch(field: "captions", expected: frames.count, actual: captions.count)
    }
    for (i, frame) in frames.enumerated() where frame.width != first.width || frame.height != first.height {
      throw .invalidSize(
        field: "frames[\(i)] (\(frame.width)×\(frame.height), frames[0] is \(first.width)×\(first.height))",
        value: frame.width, allowed: first.width...first.width)
    }
    let caption = captions.isEmpty ? 0 : captionHeight
    let used = min(columns, frames.count)
    let rows = (frames.count + used - 1) / used
    var grid = try Canvas(
      width: gap + used * (first.width + gap), height: gap + rows * (first.height + caption + gap), background: background)
    for (i, frame) in frames.enumerated() {
      let x = gap + (i % used) * (first.width + gap)
      let y = gap + (i / used) * (first.height + caption + gap)
      grid.draw(frame, x: x, y: y)
      if !captions.isEmpty {
        grid.clip = PixelRectangle(x: x, y: y + first.height, width: first.width, height: caption)
        grid.drawText(captions[i], x: x + 1, y: y + first.height + 1, color: .ink, baseline: .top)
        grid.clip = nil
      }
    }
    return grid
  }
}

/// Anti-aliased strokes.
extension Canvas {
  /// Strokes a straight segment. See ``stroke(_:color:width:alpha:dash:)``.
  public mutating func strokeLine(
    from start: Point, to end: Point, color: RGBColor, width: Double = 1, alpha: Double = 1,
    dash: [Double] = []
  ) {
    stroke([start, end], color: color, width: width, alpha: alpha, dash: dash)
  }

  /// Strokes a polyline with round joins and caps, anti-aliased by distance to the path.
  ///
  /// ```
  /// coverage(p) = clamp(w/2 + ½ − d(p), 0, min(1, w))     d = distance from the pixel centre
  /// ```
  /// Each pixel takes the *largest* coverage over all segments before compositing once, so
  /// joins of a translucent line are not painted twice.
  /// - Parameters:
  ///   - points: the vertices; fewer than two draw nothing, non-finite points are skipped.
  ///   - width: line width in pixels.
  ///   - alpha: opacity, 0…1.
  ///   - dash: alternating on/off lengths in pixels along the path (empty for a solid line).
  public mutating func stroke(
    _ points: [Point], color: RGBColor, width: Double = 1, alpha: Double = 1, dash: [Double] = []
  ) {
    let path = points.filter { $0.x.isFinite && $0.y.isFinite }
    guard path.count >= 2, width > 0, alpha > 0 else { return }
    if coverage.count != self.width * height {
      coverage = [Float](repeating: 0, count: self.width * height)
    }
    let area = bounds
    guard area.width > 0 && area.height > 0 else { return }
    var dirty = (x0: Int.max, y0: Int.max, x1: Int.min, y1: Int.min)
    let halfWidth = width / 2

    func rasterize(_ a: Point, _ b: Point) {
      let reach = halfWidth + 1
      let x0 = max(area.x, Int((min(a.x, b.x) - reach).rounded(.down)))
      let x1 = min(area.x + area.width - 1, Int((max(a.x, b.x) + reach).rounded(.up)))
      let y0 = max(area.y, Int((min(a.y, b.y) - reach).rounded(.down)))
      let y1 = min(area.y + area.height - 1, Int((max(a.y, b.y) + reach).rounded(.up)))
      guard x0 <= x1 && y0 <= y1 else { return }
      dirty = (min(dirty.x0, x0), min(dirty.y0, y0), max(dirty.x1, x1), max(dirty.y1, y1))
      let dx = b.x - a.x
      let dy = b.y - a.y
      let lengthSquared = dx * dx + dy * dy
      for y in y0...y1 {
        let py = Double(y) + 0.5
        for x in x0...x1 {
          let px = Double(x) + 0.5
          var t = lengthSquared > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / lengthSquared : 0
          t = min(max(t, 0), 1)
          let ex = px - (a.x + t * dx)
          let ey = py - (a.y + t * dy)
          let distance = (ex * ex + ey * ey).squareRoot()
          let c = Float(min(max(halfWidth + 0.5 - distance, 0), min(1, width)))
          let index = y * self.width + x
          if c > coverage[index] { coverage[index] = c }
        }
      }
    }

    for (a, b) in Self.dashedSegments(path, dash: dash) { rasterize(a, b) }
    guard dirty.x0 <= dirty.x1 else { return }
    let a = Float(min(alpha, 1))
    for y in dirty.y0...dirty.y1 {
      for x in dirty.x0...dirty.x1 {
        let index = y * self.width + x
        let c = coverage[index]
        if c > 0 {
          blend(x, y, color, a * c)
          coverage[index] = 0
        }
      }
    }
  }

  /// Splits a polyline into the "on" pieces of a dash pattern (the whole path when `dash` is
  /// empty or has no positive length).
  static func dashedSegments(_ path: [Point], dash: [Double]) -> [(Point, Point)] {
    var segments: [(Point, Point)] = []
    let pattern = dash.filter { $0 > 0 && $0.isFinite }
    guard pattern.count >= 2 || (pattern.count == 1 && dash.count == 1) else {
      for i in 1..<path.count { segments.append((path[i - 1], path[i])) }
      return segments
    }
    let cycle = pattern.count == 1 ? [pattern[0], pattern[0]] : pattern
    var phase = 0
    var remaining = cycle[0]
    for i in 1..<path.count {
      var a = path[i - 1]
      let b = path[i]
      var length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
      guard length > 0 else { continue }
      let ux = (b.x - a.x) / length
      let uy = (b.y - a.y) / length
      while length > 0 {
        let step = min(remaining, length)
        let next = Point(x: a.x + ux * step, y: a.y + uy * step)
        if phase % 2 == 0 { segments.append((a, next)) }
        a = next
        length -= step
        remaining -= step
        if remaining <= 1e-9 {
          phase = (phase + 1) % cycle.count
          remaining = cycle[phase]
        }
      }
    }
    return segments
  }
}

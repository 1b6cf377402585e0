/// Anti-aliased filled shapes.
extension Canvas {
  /// Number of sub-scanlines per pixel row when filling polygons.
  static let polygonSubsamples = 4

  /// Fills a polygon (closed automatically) with the non-zero winding rule, anti-aliased.
  ///
  /// ```
  /// coverage(pixel) = (1/S) Σₛ |pixel ∩ inside ∩ scanline y + (s + ½)/S|,   S = 4
  /// ```
  /// Horizontal coverage along each sub-scanline is exact, so vertical edges are as smooth as
  /// the horizontal ones within 1/4 pixel. Confidence bands are polygons: the upper curve
  /// forwards, the lower curve backwards.
  /// - Parameters:
  ///   - points: the vertices; fewer than three fill nothing, non-finite vertices are skipped.
  ///   - alpha: opacity, 0…1.
  public mutating func fillPolygon(_ points: [Point], color: RGBColor, alpha: Double = 1) {
    let polygon = points.filter { $0.x.isFinite && $0.y.isFinite }
    guard polygon.count >= 3, alpha > 0 else { return }
    let area = bounds
    guard area.width > 0 && area.height > 0 else { return }

    // Non-horizontal edges, as (x at top, y top, y bottom, dx/dy, winding direction).
    var edges: [(x: Double, top: Double, bottom: Double, slope: Double, winding: Int)] = []
    var minY = Double.infinity
    var maxY = -Double.infinity
    for i in 0..<polygon.count {
      let a = polygon[i]
      let b = polygon[(i + 1) % polygon.count]
      minY = min(minY, a.y)
      maxY = max(maxY, a.y)
      guard a.y != b.y else { continue }
      let (upper, lower, winding) = a.y < b.y ? (a, b, 1) : (b, a, -1)
      edges.append((upper.x, upper.y, lower.y, (lower.x - upper.x) / (lower.y - upper.y), winding))
    }
    let y0 = max(area.y, Int(minY.rounded(.down)))
    let y1 = min(area.y + area.height - 1, Int(maxY.rounded(.up)))
    guard y0 <= y1 else { return }

    let left = Double(area.x)
    let right = Double(area.x + area.width)
    let weight = 1 / Float(Self.polygonSubsamples)
    var row = [Float](repeating: 0, count: width)
    var crossings: [(x: Double, winding: Int)] = []
    let a = Float(min(alpha, 1))

    for y in y0...y1 {
      var touched = (low: Int.max, high: Int.min)
      for s in 0..<Self.polygonSubsamples {
        let sy = Double(y) + (Double(s) + 0.5) / Double(Self.polygonSubsamples)
        crossings.removeAll(keepingCapacity: true)
        for edge in edges where edge.top <= sy && sy < edge.bottom {
          crossings.append((edge.x + (sy - edge.top) * edge.slope, edge.winding))
        }
        guard crossings.count >= 2 else { continue }
        crossings.sort { $0.x < $1.x || ($0.x == $1.x && $0.winding < $1.winding) }
        var winding = 0
        for k in 0..<(crossings.count - 1) {
          winding += crossings[k].winding
          guard winding != 0 else { continue }
          let xa = max(crossings[k].x, left)
          let xb = min(crossings[k + 1].x, right)
          guard xa < xb else { continue }
          Self.addSpan(xa, xb, weight, into: &row, touched: &touched)
        }
      }
      guard touched.low <= touched.high else { continue }
      for x in touched.low...touched.high {
        let c = min(row[x], 1)
        if c > 0 { blend(x, y, color, a * c) }
        row[x] = 0
      }
    }
  }

  /// Fills an axis-aligned rectangle with fractional edges, anti-aliased.
  public mutating func fillRectangle(
    x: Double, y: Double, width: Double, height: Double, color: RGBColor, alpha: Double = 1
  ) {
    fillPolygon(
      [
        Point(x: x, y: y), Point(x: x + width, y: y), Point(x: x + width, y: y + height),
        Point(x: x, y: y + height),
      ], color: color, alpha: alpha)
  }

  /// Adds `weight` × the covered fraction of each pixel column for the span `[xa, xb)`.
  private static func addSpan(
    _ xa: Double, _ xb: Double, _ weight: Float, into row: inout [Float],
    touched: inout (low: Int, high: Int)
  ) {
    let ia = Int(xa.rounded(.down))
    let ib = min(Int(xb.rounded(.down)), row.count - 1)
    guard ia >= 0 && ia < row.count else { return }
    touched = (min(touched.low, ia), max(touched.high, max(ia, ib)))
    if ia >= ib {
      row[ia] += weight * Float(xb - xa)
      return
    }
    row[ia] += weight * Float(Double(ia + 1) - xa)
    if ia + 1 < ib {
      for i in (ia + 1)..<ib { row[i] += weight }
    }
    let tail = Float(xb - Double(ib))
    if tail > 0 { row[ib] += weight * tail }
  }
}

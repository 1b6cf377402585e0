import RealModule

/// Whether every pair of elements is approximately equal (swift-numerics' relative tolerance).
public func allApproximatelyEqual<T: Real>(
  _ a: [T], _ b: [T], relativeTolerance: T = T.ulpOfOne.squareRoot(), absoluteTolerance: T = 0
) -> Bool {
  guard a.count == b.count else { return false }
  for (x, y) in zip(a, b) {
    if abs(x - y) <= absoluteTolerance { continue }
    if !x.isApproximatelyEqual(to: y, relativeTolerance: relativeTolerance) { return false }
  }
  return true
}

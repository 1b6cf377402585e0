/// The set of valid observations or actions of an environment, as Gymnasium's `spaces` define it.
///
/// Observations reach the policy flattened the way SB2's `common/input.py` preprocesses them
/// (algorithms.md §1.3), so ``flatDimension`` is the number of `Float`s an environment writes per
/// observation:
/// ```
/// Discrete(n)            → one-hot of length n
/// MultiDiscrete(nvec)    → concatenated one-hots, Σ nvec
/// MultiBinary(n)         → n values in {0, 1}
/// Box(low, high)         → low.count values
/// ```
/// Actions travel as flat `Double`s of length ``actionDimension``: a `Discrete` action is its index
/// (`2.0` means action 2), `MultiDiscrete` one index per component, `MultiBinary` one 0/1 per
/// component and `Box` one value per component.
///
/// Box bounds are stored as `Double` but hold the `Float32` values Gymnasium's float32 boxes hold
/// (for example CartPole's pole-angle bound is `Float(24 · 2π / 360)`), so ``contains(_:)`` agrees
/// with Gymnasium on every float32 input.
public enum Space: Equatable, Sendable {
  /// `{0, 1, …, n − 1}` (Gymnasium `Discrete(n)`).
  case discrete(n: Int)
  /// The axis-aligned box `low ≤ x ≤ high`, one bound pair per component (Gymnasium `Box`);
  /// bounds may be infinite.
  case box(low: [Double], high: [Double])
  /// A vector of independent discrete components, component `i` in `{0, …, nvec[i] − 1}`.
  case multiDiscrete(nvec: [Int])
  /// `n` independent binary components.
  case multiBinary(n: Int)

  /// The length of an observation of this space after SB2's preprocessing.
  ///
  /// ```
  /// Discrete: n    MultiDiscrete: Σ nvec    MultiBinary: n    Box: low.count
  /// ```
  public var flatDimension: Int {
    switch self {
    case .discrete(let n): return n
    case .box(let low, _): return low.count
    case .multiDiscrete(let nvec): return nvec.reduce(0, +)
    case .multiBinary(let n): return n
    }
  }

  /// The number of `Double`s that encode one action of this space.
  ///
  /// ```
  /// Discrete: 1    MultiDiscrete: nvec.count    MultiBinary: n    Box: low.count
  /// ```
  public var actionDimension: Int {
    switch self {
    case .discrete: return 1
    case .box(let low, _): return low.count
    case .multiDiscrete(let nvec): return nvec.count
    case .multiBinary(let n): return n
    }
  }

  /// Whether a flat encoding (the action encoding, length ``actionDimension``) is an element.
  ///
  /// ```
  /// Discrete(n):  x₀ ∈ {0, …, n − 1}
  /// Box:          lowᵢ ≤ xᵢ ≤ highᵢ for every i      (NaN is never contained)
  /// MultiDiscrete: xᵢ ∈ {0, …, nvecᵢ − 1}    MultiBinary: xᵢ ∈ {0, 1}
  /// ```
  public func contains(_ value: [Double]) -> Bool {
    guard value.count == actionDimension else { return false }
    switch self {
    case .discrete(let n):
      return Space.isIndex(value[0], below: n)
    case .box(let low, let high):
      guard high.count == low.count else { return false }
      for i in value.indices where !(low[i] <= value[i] && value[i] <= high[i]) { return false }
      return true
    case .multiDiscrete(let nvec):
      for i in value.indices where !Space.isIndex(value[i], below: nvec[i]) { return false }
      return true
    case .multiBinary:
      return value.allSatisfy { $0 == 0 || $0 == 1 }
    }
  }

  /// Checks that the space is well formed.
  ///
  /// Throws ``EnvironmentError/invalidSpace(field:reason:)`` naming the offending field when
  /// `n ≤ 0`, a `Box` has `low.count ≠ high.count`, an empty shape or some `lowᵢ > highᵢ` (or NaN),
  /// or some `nvecᵢ ≤ 0`.
  public func validate() throws(EnvironmentError) {
    switch self {
    case .discrete(let n), .multiBinary(let n):
      guard n > 0 else { throw .invalidSpace(field: "n", reason: "must be ≥ 1, got \(n)") }
    case .box(let low, let high):
      guard !low.isEmpty, low.count == high.count else {
        throw .invalidSpace(
          field: "low/high",
          reason: "must have the same, positive length, got \(low.count) and \(high.count)")
      }
      for i in low.indices where !(low[i] <= high[i]) {
        throw .invalidSpace(
          field: "low[\(i)]", reason: "must be ≤ high[\(i)] = \(high[i]), got \(low[i])")
      }
    case .multiDiscrete(let nvec):
      guard !nvec.isEmpty else { throw .invalidSpace(field: "nvec", reason: "must not be empty") }
      for (i, n) in nvec.enumerated() where n <= 0 {
        throw .invalidSpace(field: "nvec[\(i)]", reason: "must be ≥ 1, got \(n)")
      }
    }
  }

  static func isIndex(_ x: Double, below n: Int) -> Bool {
    x >= 0 && x < Double(n) && x.rounded(.towardZero) == x
  }
}

extension Space: CustomStringConvertible {
  /// Gymnasium's notation: `Discrete(2)`, `Box([-2.0], [2.0], (1,), float32)`,
  /// `MultiDiscrete([3, 2])`, `MultiBinary(4)`.
  public var description: String {
    switch self {
    case .discrete(let n):
      return "Discrete(\(n))"
    case .box(let low, let high):
      func list(_ xs: [Double]) -> String { "[" + xs.map { "\(Float($0))" }.joined(separator: ", ") + "]" }
      return "Box(\(list(low)), \(list(high)), (\(low.count),), float32)"
    case .multiDiscrete(let nvec):
      return "MultiDiscrete(\(nvec))"
    case .multiBinary(let n):
      return "MultiBinary(\(n))"
    }
  }
}

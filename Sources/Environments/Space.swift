/// The set of valid observations or actions of an environment, as Gymnasium's `spaces` define it.
///
/// An **observation** of a space is emitted raw, in the space's own element type (the observation
/// contract, ``ObservationBuffer``):
/// ```
/// Discrete(n)             → 1 component, int64, the index            (Gymnasium: np.int64 scalar)
/// MultiDiscrete(nvec)     → nvec.count components, int64
/// MultiBinary(n)          → n components, int8, each 0 or 1
/// Box(low, high, shape, dtype) → Π shape components of `dtype`, row-major (e.g. 84×84×4 uint8)
/// ```
/// The policy turns a raw observation into network input as stable-baselines' `common/input.py`
/// does (one-hot for discrete spaces, a cast for the rest, ÷ 255 for scaled image boxes).
///
/// **Actions** travel as flat `Double`s of length ``actionDimension``: a `Discrete` action is its
/// index (`2.0` means action 2), `MultiDiscrete` one index per component, `MultiBinary` one 0/1 per
/// component and `Box` one value per component.
///
/// Box bounds are stored as `Double`, one pair per component in row-major order, and hold the
/// values of the box's dtype (CartPole's pole-angle bound is `Float(24 · 2π / 360)`), so
/// ``contains(_:)`` agrees with Gymnasium on every input.
public enum Space: Equatable, Sendable {
  /// `{0, 1, …, n − 1}` (Gymnasium `Discrete(n)`).
  case discrete(n: Int)
  /// The box `low ≤ x ≤ high` of the given `shape` and element type (Gymnasium `Box`); one bound
  /// pair per component, row-major; bounds may be infinite. Build 1-D float boxes with
  /// ``box(low:high:)``.
  case box(low: [Double], high: [Double], shape: [Int], dtype: ElementType)
  /// A vector of independent discrete components, component `i` in `{0, …, nvec[i] − 1}`.
  case multiDiscrete(nvec: [Int])
  /// `n` independent binary components.
  case multiBinary(n: Int)

  /// A one-dimensional `float32` box (Gymnasium `Box(low, high, dtype=np.float32)`).
  public static func box(low: [Double], high: [Double]) -> Space {
    .box(low: low, high: high, shape: [low.count], dtype: .float32)
  }

  /// A box with the same bounds for every component, e.g. an Atari frame stack
  /// `box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8)`.
  public static func box(low: Double, high: Double, shape: [Int], dtype: ElementType) -> Space {
    let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: max($1, 0)).partialValue }
    return .box(
      low: [Double](repeating: low, count: count), high: [Double](repeating: high, count: count), shape: shape,
      dtype: dtype)
  }

  // MARK: - Observations

  /// The element type of a raw observation: `int64` for Discrete and MultiDiscrete, `int8` for
  /// MultiBinary, the box's dtype for Box.
  public var observationElementType: ElementType {
    switch self {
    case .discrete, .multiDiscrete: return .int64
    case .multiBinary: return .int8
    case .box(_, _, _, let dtype): return dtype
    }
  }

  /// Components of one raw observation: 1, `nvec.count`, `n` or `Π shape`.
  public var observationElementCount: Int {
    switch self {
    case .discrete: return 1
    case .box(let low, _, _, _): return low.count
    case .multiDiscrete(let nvec): return nvec.count
    case .multiBinary(let n): return n
    }
  }

  /// The observation shape: `[]` for Discrete (a scalar), `[nvec.count]`, `[n]`, or the box's.
  public var shape: [Int] {
    switch self {
    case .discrete: return []
    case .box(_, _, let shape, _): return shape
    case .multiDiscrete(let nvec): return [nvec.count]
    case .multiBinary(let n): return [n]
    }
  }

  /// Network inputs after stable-baselines' preprocessing (one-hot for discrete spaces):
  ///
  /// ```
  /// Discrete: n    MultiDiscrete: Σ nvec    MultiBinary: n    Box: Π shape
  /// ```
  public var flatDimension: Int {
    switch self {
    case .discrete(let n): return n
    case .box(let low, _, _, _): return low.count
    case .multiDiscrete(let nvec): return nvec.reduce(0, +)
    case .multiBinary(let n): return n
    }
  }

  // MARK: - Actions

  /// The number of `Double`s that encode one action of this space.
  ///
  /// ```
  /// Discrete: 1    MultiDiscrete: nvec.count    MultiBinary: n    Box: Π shape
  /// ```
  public var actionDimension: Int {
    switch self {
    case .discrete: return 1
    case .box(let low, _, _, _): return low.count
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
    case .box(let low, let high, _, _):
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

  /// Whether an environment accepts `action` (allocation-free): the length is
  /// ``actionDimension`` and every discrete component is a valid index (``contains(_:)``'s rule);
  /// `Box` components may be anything, NaN included, since environments clip them as Gymnasium
  /// does (`np.clip`).
  public func acceptsAction(_ action: UnsafeBufferPointer<Double>) -> Bool {
    switch self {
    case .discrete(let n):
      return action.count == 1 && Space.isIndex(action[0], below: n)
    case .box(let low, _, _, _):
      return action.count == low.count
    case .multiDiscrete(let nvec):
      guard action.count == nvec.count else { return false }
      for i in 0..<action.count where !Space.isIndex(action[i], below: nvec[i]) { return false }
      return true
    case .multiBinary(let n):
      guard action.count == n else { return false }
      for x in action where !(x == 0 || x == 1) { return false }
      return true
    }
  }

  // MARK: - Validation

  /// The largest number of components a space may have, 2²⁴ (a 2048×2048×4 image): larger spaces
  /// are refused before anything is allocated for them.
  public static let maximumComponentCount = 1 << 24

  /// Checks that the space is well formed.
  ///
  /// Throws ``EnvironmentError/invalidSpace(field:reason:)`` naming the offending field when
  /// `n ≤ 0`, a `Box` has an empty shape, a dimension `≤ 0`, `low.count ≠ high.count ≠ Π shape`,
  /// some `lowᵢ > highᵢ` (or NaN), or some `nvecᵢ ≤ 0`; or when a space has more than
  /// ``maximumComponentCount`` components.
  public func validate() throws(EnvironmentError) {
    let limit = Space.maximumComponentCount
    switch self {
    case .discrete(let n), .multiBinary(let n):
      guard n > 0 else { throw .invalidSpace(field: "n", reason: "must be ≥ 1, got \(n)") }
      guard n <= limit else { throw .invalidSpace(field: "n", reason: "must be ≤ \(limit), got \(n)") }
    case .box(let low, let high, let shape, _):
      guard !shape.isEmpty else { throw .invalidSpace(field: "shape", reason: "must have at least one dimension") }
      var count = 1
      for (i, d) in shape.enumerated() {
        guard d >= 1 else { throw .invalidSpace(field: "shape[\(i)]", reason: "must be ≥ 1, got \(d)") }
        let (product, overflow) = count.multipliedReportingOverflow(by: d)
        guard !overflow, product <= limit else {
          throw .invalidSpace(field: "shape", reason: "must have at most \(limit) components, got \(shape)")
        }
        count = product
      }
      guard low.count == count, high.count == count else {
        throw .invalidSpace(
          field: "low/high",
          reason: "must both have Π shape = \(count) entries, got \(low.count) and \(high.count)")
      }
      for i in low.indices where !(low[i] <= high[i]) {
        throw .invalidSpace(
          field: "low[\(i)]", reason: "must be ≤ high[\(i)] = \(high[i]), got \(low[i])")
      }
    case .multiDiscrete(let nvec):
      guard !nvec.isEmpty else { throw .invalidSpace(field: "nvec", reason: "must not be empty") }
      guard nvec.count <= limit else { throw .invalidSpace(field: "nvec", reason: "must have at most \(limit) entries") }
      var total = 0
      for (i, n) in nvec.enumerated() {
        guard n > 0 else { throw .invalidSpace(field: "nvec[\(i)]", reason: "must be ≥ 1, got \(n)") }
        let (sum, overflow) = total.addingReportingOverflow(n)
        guard !overflow, sum <= limit else {
          throw .invalidSpace(field: "nvec", reason: "one-hot width Σ nvec must be ≤ \(limit)")
        }
        total = sum
      }
    }
  }

  static func isIndex(_ x: Double, below n: Int) -> Bool {
    x >= 0 && x < Double(n) && x.rounded(.towardZero) == x
  }
}

extension Space: CustomStringConvertible {
  /// Gymnasium's notation: `Discrete(2)`, `Box([-2.0], [2.0], (1,), float32)`,
  /// `Box(0, 255, (84, 84, 4), uint8)` (uniform bounds), `MultiDiscrete([3, 2])`, `MultiBinary(4)`.
  public var description: String {
    switch self {
    case .discrete(let n):
      return "Discrete(\(n))"
    case .box(let low, let high, let shape, let dtype):
      let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
      func bound(_ xs: [Double]) -> String {
        if xs.count > 1, let first = xs.first, xs.allSatisfy({ $0 == first }) { return Self.scalar(first, dtype) }
        return "[" + xs.map { Self.scalar($0, dtype) }.joined(separator: ", ") + "]"
      }
      return "Box(\(bound(low)), \(bound(high)), \(dims), \(dtype))"
    case .multiDiscrete(let nvec):
      return "MultiDiscrete(\(nvec))"
    case .multiBinary(let n):
      return "MultiBinary(\(n))"
    }
  }

  private static func scalar(_ x: Double, _ dtype: ElementType) -> String {
    switch dtype {
    case .float32: return "\(Float(x))"
    case .float64: return "\(x)"
    case .uint8, .int8, .int64: return x.isFinite ? "\(Int64(x))" : "\(x)"
    }
  }
}

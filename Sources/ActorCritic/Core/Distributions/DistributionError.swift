/// A distribution description that cannot be built, with a message naming the field and the
/// allowed values.
public enum DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `Categorical(actionCount:)` needs `1 ... Categorical.maximumActionCount` actions.
  case invalidActionCount(Int)
  /// `DiagonalGaussian(dimension:)` needs a dimension `≥ 1`.
  case invalidDimension(Int)
  /// `MultiCategorical(nvec:)` needs at least one component.
  case emptyNvec
  /// `MultiCategorical(nvec:)` entry `index` is outside `1 ... Categorical.maximumActionCount`.
  case invalidNvecEntry(index: Int, value: Int)
  /// `Bernoulli(count:)` needs a count `≥ 1`.
  case invalidCount(Int)
  /// The algorithm needs sampled-Fisher output gradients (ACKTR), which only the categorical and
  /// diagonal-Gaussian distributions provide (SB2 `docs/modules/acktr.rst`: Discrete and Box only).
  case fisherSamplingUnsupported(DistributionKind)

  /// The message, naming the field and its allowed values.
  public var description: String {
    let maximum = Categorical.maximumActionCount
    switch self {
    case .invalidActionCount(let n):
      return "actionCount must be in 1...\(maximum), got \(n)"
    case .invalidDimension(let d):
      return "dimension must be ≥ 1, got \(d)"
    case .emptyNvec:
      return "nvec must have at least one entry, got []"
    case .invalidNvecEntry(let index, let value):
      return "nvec[\(index)] must be in 1...\(maximum), got \(value)"
    case .invalidCount(let n):
      return "count must be ≥ 1, got \(n)"
    case .fisherSamplingUnsupported(let kind):
      return "distribution \(kind) has no sampled-Fisher output gradients; "
        + "allowed: categorical (Discrete actions), diagonalGaussian (Box actions)"
    }
  }
}

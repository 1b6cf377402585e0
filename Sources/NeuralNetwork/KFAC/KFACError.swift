/// Why a K-FAC operation was refused.
///
/// When ``KFAC/step(learningRate:)`` throws, no parameter, statistic, decomposition, counter or
/// momentum slot has changed; only the captured batch statistics are discarded.
public enum KFACError: Error, Equatable, CustomStringConvertible {
  /// A configuration field or argument is out of range.
  case invalidValue(field: String, value: String, allowed: String)
  /// A factor's running statistics would become NaN or infinite (e.g. exploding value losses,
  /// hill-a/stable-baselines#591).
  case nonFiniteStatistics(parameter: String, factor: KroneckerFactor.Role)
  /// A loss gradient contains NaN or infinity.
  case nonFiniteGradient(parameter: String)
  /// LAPACK could not decompose a factor.
  case eigendecompositionFailed(parameter: String, factor: KroneckerFactor.Role, reason: String)
  /// A snapshot does not fit this optimiser (other layers, sizes or settings).
  case snapshotMismatch(field: String, expected: String, found: String)

  /// A message naming the field and what is allowed.
  public var description: String {
    switch self {
    case .invalidValue(let field, let value, let allowed):
      return "K-FAC: \(field) = \(value) is invalid; allowed: \(allowed)"
    case .nonFiniteStatistics(let parameter, let factor):
      return "K-FAC: the \(factor) factor statistics of \(parameter) are not finite (NaN or infinity); "
        + "the update was skipped and nothing changed"
    case .nonFiniteGradient(let parameter):
      return "K-FAC: the gradient of \(parameter) is not finite (NaN or infinity); the update was skipped"
    case .eigendecompositionFailed(let parameter, let factor, let reason):
      return "K-FAC: eigendecomposition of the \(factor) factor of \(parameter) failed: \(reason)"
    case .snapshotMismatch(let field, let expected, let found):
      return "K-FAC snapshot: \(field) is \(found), expected \(expected)"
    }
  }
}

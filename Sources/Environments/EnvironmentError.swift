/// A bad request to the `Environments` module; the message names the field and what is allowed.
public enum EnvironmentError: Error, Equatable, Sendable, CustomStringConvertible {
  /// ``EnvironmentRegistry/make(_:)`` was asked for an id it does not know.
  case unknownEnvironment(id: String, available: [String])
  /// A ``Space`` is malformed (see ``Space/validate()``).
  case invalidSpace(field: String, reason: String)
  /// A vector environment was asked for fewer than one copy.
  case invalidEnvironmentCount(Int)
  /// A normalisation setting is out of range (see ``NormalizationConfiguration/validate()``).
  case invalidNormalization(field: String, reason: String)
  /// Saved normalisation statistics do not fit the environment they are loaded into (SB2:
  /// "venv is incompatible with current statistics").
  case incompatibleStatistics(field: String, expected: Int, actual: Int)
  /// An action the environment's action space does not contain (Gymnasium raises for these): a
  /// discrete component that is not an integer index below its bound (including NaN), or the
  /// wrong number of components. Out-of-range `Box` actions are not errors: the environment clips
  /// them where Gymnasium does.
  case invalidAction(environment: String, action: [Double], space: Space)
  /// A vectorised step got the wrong number of action values (`count × actionDimension`).
  case invalidActionCount(environment: String, expected: Int, actual: Int)
  /// An environment hosted in another process (a Gymnasium bridge worker) failed: an unknown id,
  /// a missing Python package, an exception in `step`, a NaN or wrongly shaped observation, …;
  /// the failure names the environment and carries the worker's traceback.
  case hosted(HostedEnvironmentFailure)

  /// A message that names the field and the allowed values.
  public var description: String {
    switch self {
    case .unknownEnvironment(let id, let available):
      return "unknown environment \"\(id)\"; available: \(available.joined(separator: ", "))"
    case .invalidSpace(let field, let reason):
      return "invalid space: \(field) \(reason)"
    case .invalidEnvironmentCount(let count):
      return "invalid environment count: count must be ≥ 1, got \(count)"
    case .invalidNormalization(let field, let reason):
      return "invalid normalization setting: \(field) \(reason)"
    case .incompatibleStatistics(let field, let expected, let actual):
      return "incompatible normalization statistics: \(field) has dimension \(actual), "
        + "the environment needs \(expected)"
    case .invalidAction(let environment, let action, let space):
      let shown = action.count <= 16 ? "\(action)" : "\(action.count) values"
      return "invalid action \(shown) for \(environment): the action space is \(space)"
    case .invalidActionCount(let environment, let expected, let actual):
      return "invalid action count for \(environment): expected \(expected) values (copies × action dimension), got \(actual)"
    case .hosted(let failure):
      return "\(failure)"
    }
  }
}

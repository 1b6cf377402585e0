/// A hyperparameter, space or file that cannot be used, with a message naming the field and what
/// is allowed.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `field` has `value`, which is outside `allowed`.
  case invalidValue(field: String, value: String, allowed: String)
  /// The algorithm does not support this action space (e.g. ACER with Box actions).
  case unsupportedActionSpace(algorithm: String, space: String, supported: String)
  /// The environment does not match what the model was built for.
  case environmentMismatch(field: String, model: String, environment: String)

  public var description: String {
    switch self {
    case .invalidValue(let field, let value, let allowed):
      return "invalid \(field): \(value) (allowed: \(allowed))"
    case .unsupportedActionSpace(let algorithm, let space, let supported):
      return "\(algorithm) does not support the action space \(space); supported: \(supported)"
    case .environmentMismatch(let field, let model, let environment):
      return "environment does not match the model: \(field) is \(environment), the model expects \(model)"
    }
  }
}

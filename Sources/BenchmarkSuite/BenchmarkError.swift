/// A harness error with a message naming the field and the allowed values.
public enum BenchmarkError: Error, Equatable, Sendable, CustomStringConvertible {
  case unknownSuite(name: String, available: [String])
  case unknownAlgorithm(name: String, available: [String])
  case unknownEnvironment(name: String, available: [String])
  case unknownHyperparameter(algorithm: String, name: String, available: [String])
  case invalidHyperparameter(algorithm: String, name: String, reason: String)
  case unsupportedCombination(algorithm: String, environment: String, reason: String)
  case invalidOption(name: String, value: String, allowed: String)
  case incompatibleResults(path: String, reason: String)
  case io(path: String, reason: String)
  case runFailed(run: String, reason: String)
  /// `bench merge` found result folders that must not be joined (conflicting runs, different builds).
  case mergeConflict(target: String, reason: String)
  /// Another process holds the results folder's lock (``ResultsLock``).
  case resultsLocked(path: String, holder: String)
  /// A run folder whose name, spec.json and summary.json disagree, or a second folder of one seed.
  case inconsistentRun(path: String, reason: String)
  /// A path that would leave the results folder (`..`, an absolute path, a separator in a name).
  case pathOutsideResults(path: String, root: String)
  /// A stop signal (SIGTERM, SIGINT) ended a run before it was complete; `state` says what was
  /// saved (its checkpoint, or that it restarts from its beginning).
  case interrupted(run: String, signal: String, state: String)
  /// A saved model and an environment whose spaces differ (`bench render --model`); `reason`
  /// names the space and gives both.
  case modelDoesNotFit(model: String, environment: String, reason: String)
  /// An environment that cannot be rendered here; `reason` says what to do.
  case cannotRender(environment: String, reason: String)

  public var description: String {
    switch self {
    case .unknownSuite(let name, let available):
      return "unknown suite '\(name)'; available: \(available.joined(separator: ", "))"
    case .unknownAlgorithm(let name, let available):
      return "unknown algorithm '\(name)'; available: \(available.joined(separator: ", "))"
    case .unknownEnvironment(let name, let available):
      return "unknown environment '\(name)'; available: \(available.joined(separator: ", "))"
    case .unknownHyperparameter(let algorithm, let name, let available):
      return "\(algorithm) has no hyperparameter '\(name)'; available: \(available.joined(separator: ", "))"
    case .invalidHyperparameter(let algorithm, let name, let reason):
      return "invalid \(algorithm) hyperparameter '\(name)': \(reason)"
    case .unsupportedCombination(let algorithm, let environment, let reason):
      return "\(algorithm) cannot run on \(environment): \(reason)"
    case .invalidOption(let name, let value, let allowed):
      return "invalid \(name) '\(value)'; allowed: \(allowed)"
    case .incompatibleResults(let path, let reason):
      return "results folder \(path) is not compatible with this version: \(reason)"
    case .io(let path, let reason):
      return "\(path): \(reason)"
    case .runFailed(let run, let reason):
      return "run \(run) failed: \(reason)"
    case .mergeConflict(let target, let reason):
      return "cannot merge into \(target): \(reason)"
    case .resultsLocked(let path, let holder):
      return "results folder \(path) is in use by \(holder); wait for it to finish, or pass --wait"
    case .inconsistentRun(let path, let reason):
      return "\(path): \(reason)"
    case .interrupted(let run, let signal, let state):
      return "interrupted by \(signal): \(run) \(state)"
    case .modelDoesNotFit(let model, let environment, let reason):
      return "the model \(model) does not fit \(environment): \(reason)"
    case .cannotRender(let environment, let reason):
      return "cannot render \(environment): \(reason)"
    case .pathOutsideResults(let path, let root):
      return "'\(path)' is not a path inside the results folder \(root) (allowed: names without '/', '.' or '..' components)"
    }
  }
}

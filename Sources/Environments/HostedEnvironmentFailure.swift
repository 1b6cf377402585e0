import Foundation

/// Why an environment hosted outside this process (a Gymnasium environment in a bridge worker)
/// failed: what kind of failure, which environment, the message and, when the failure happened
/// in Python, the worker's traceback.
public struct HostedEnvironmentFailure: Equatable, Sendable, CustomStringConvertible {
  /// The kinds of failure a host reports (the bridge protocol's error kinds, and the two the
  /// Swift side detects itself).
  public enum Kind: String, Equatable, Sendable, CaseIterable {
    /// The host has no environment with this id (Gymnasium's `NameNotFound`, …).
    case unknownEnvironment
    /// A Python package the environment needs is not installed (``HostedEnvironmentFailure/module`` names it).
    case missingPackage
    /// The environment raised inside `make`, `reset` or `step`.
    case environmentException
    /// An observation with NaN, or of another shape than the observation space's.
    case invalidObservation
    /// A space the bridge cannot translate (Dict, Tuple, Text, a dtype without an element type).
    case unsupportedSpace
    /// The worker broke the protocol (a reply of the wrong type or length, another version).
    case protocolViolation
    /// No Python environment to run workers with (``HostedEnvironmentFailure/message`` says how to install it).
    case pythonUnavailable
    /// The host's spaces are not the ones documented for the name (another version of the
    /// environment's package than the pinned one).
    case unexpectedSpaces
    /// A worker kept dying or hanging: it could not be started, or its restart limit was reached.
    case workerUnavailable
  }

  /// What went wrong.
  public var kind: Kind
  /// The environment's id, as the caller named it.
  public var environment: String
  /// What the host said.
  public var message: String
  /// The Python traceback of the failure (empty when there is none).
  public var traceback: String
  /// The missing Python module, for ``Kind/missingPackage``.
  public var module: String?

  /// Creates a failure.
  public init(kind: Kind, environment: String, message: String, traceback: String = "", module: String? = nil) {
    self.kind = kind
    self.environment = environment
    self.message = message
    self.traceback = traceback
    self.module = module
  }

  /// `<kind> in <environment>: <message>`, then the traceback when there is one.
  public var description: String {
    let head = "\(kind.rawValue) in \(environment): \(message)"
    let tail = traceback.trimmingCharacters(in: .whitespacesAndNewlines)
    return tail.isEmpty ? head : head + "\nworker traceback:\n" + tail
  }
}

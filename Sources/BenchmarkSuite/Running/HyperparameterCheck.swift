import ActorCritic
import Foundation
import NeuralNetwork

/// Decodes and validates a suite entry's hyperparameters exactly as a run will, so that
/// `bench run --set` mistakes are refused when the plan is built, before anything is written.
///
/// ```
/// 1. every name is a field of the algorithm's configuration     unknownHyperparameter
/// 2. the SB2 defaults with the overrides decode into it         invalidHyperparameter: the field,
///                                                               the value and its allowed values
/// 3. Configuration.validate()                                   invalidHyperparameter (its range)
/// 4. ACKTR: the K-FAC optimiser's own check (epsilon > 0, …)    invalidHyperparameter, SB2 name
/// 5. net_arch: at most 16 layers per trunk, widths 1…4,096      invalidHyperparameter
/// ```
/// Step 5 is the harness's bound, not stable-baselines': it keeps a typo (a width of 2³¹) from
/// asking for more memory than the machine has.
public enum HyperparameterCheck {
  /// The allowed values of the fields whose JSON is a string, by SB2 name.
  static let namedValues: [String: [String]] = [
    "lr_schedule": LearningRateSchedule.allCases.map(\.rawValue),
    "entropy_variant": ACERConfiguration.EntropyVariant.allCases.map(\.rawValue),
    // RMSProp.Variant is not CaseIterable; a test decodes each of these.
    "rmsprop_variant": ["tensorFlow", "pyTorch"],
    "eigen_solver": KFAC.EigenSolver.allCases.map(\.rawValue),
  ]

  /// K-FAC's field names → the SB2 names `--set` uses.
  static let kfacNames = [
    "momentum": "momentum", "clipKL": "kfac_clip", "damping": "epsilon", "statsDecay": "stats_decay",
    "kfacUpdate": "kfac_update", "coldIter": "cold_iter", "maxGradNorm": "max_grad_norm",
  ]

  /// The harness's bound on `net_arch`.
  static let maximumLayers = 16
  static let maximumWidth = 4_096

  /// Checks `entry`'s hyperparameters; returns nothing, throws the first problem.
  public static func check(_ entry: SuiteEntry) throws(BenchmarkError) {
    // Each override alone on the defaults first, so a decoding failure names its field even
    // when the decoder reports no coding path (Foundation's "does not fit in Int").
    for name in entry.hyperparameters.keys.sorted() {
      var single = entry
      single.hyperparameters = [name: entry.hyperparameters[name]!]
      try decodeAndValidate(single, blame: name)
    }
    try decodeAndValidate(entry, blame: nil)
  }

  static func decodeAndValidate(_ entry: SuiteEntry, blame: String?) throws(BenchmarkError) {
    let algorithm = entry.algorithm.rawValue
    let json: Data
    do { json = try ModelFactory.configurationJSON(for: entry) } catch let error as BenchmarkError { throw error } catch {
      throw .invalidHyperparameter(algorithm: algorithm, name: blame ?? "configuration", reason: "\(error)")
    }
    do {
      switch entry.algorithm {
      case .a2c:
        let c = try JSONDecoder().decode(A2CConfiguration.self, from: json)
        try checkNetwork(c.networkArchitecture, algorithm: algorithm)  // the CLI's tighter limits first
        try c.validate()
      case .acktr:
        let c = try JSONDecoder().decode(ACKTRConfiguration.self, from: json)
        try checkNetwork(c.networkArchitecture, algorithm: algorithm)  // the CLI's tighter limits first
        try c.validate()
        try checkKFAC(c)
      case .acer:
        let c = try JSONDecoder().decode(ACERConfiguration.self, from: json)
        try checkNetwork(c.networkArchitecture, algorithm: algorithm)  // the CLI's tighter limits first
        try c.validate()
      }
    } catch let error as BenchmarkError {
      throw error
    } catch let error as DecodingError {
      throw decodingProblem(error, entry: entry, blame: blame)
    } catch let error as ConfigurationError {
      if case .invalidValue(let field, let value, let allowed) = error {
        throw .invalidHyperparameter(algorithm: algorithm, name: field, reason: "\(value) (allowed: \(allowed))")
      }
      throw .invalidHyperparameter(algorithm: algorithm, name: blame ?? "configuration", reason: "\(error)")
    } catch let error as KFACError {
      if case .invalidValue(let field, let value, let allowed) = error {
        throw .invalidHyperparameter(
          algorithm: algorithm, name: kfacNames[field] ?? field, reason: "\(value) (allowed: \(allowed))")
      }
      throw .invalidHyperparameter(algorithm: algorithm, name: blame ?? "K-FAC", reason: "\(error)")
    } catch {
      throw .invalidHyperparameter(algorithm: algorithm, name: blame ?? "configuration", reason: "\(error)")
    }
  }

  /// The K-FAC settings an ACKTR configuration implies (as `ACKTR` builds its optimiser), checked.
  static func checkKFAC(_ c: ACKTRConfiguration) throws {
    var k = KFAC.Configuration.reference
    k.momentum = c.momentum
    k.clipKL = c.kfacClip
    k.damping = c.damping
    k.statsDecay = c.statisticsDecay
    k.kfacUpdate = c.kfacUpdate
    k.coldIter = c.coldIterations
    k.maxGradNorm = c.maxGradientNorm
    k.asyncEigenDecomposition = c.asyncEigenDecomposition
    try k.validate()
  }

  static func checkNetwork(_ n: NetworkArchitecture, algorithm: String) throws(BenchmarkError) {
    for (name, widths) in [("shared", n.shared), ("policy", n.policy), ("value", n.value)] {
      if widths.count > maximumLayers || widths.contains(where: { $0 > maximumWidth }) {
        throw .invalidHyperparameter(
          algorithm: algorithm, name: "net_arch",
          reason: "\(name) \(widths) (allowed: at most \(maximumLayers) layers of widths 1…\(maximumWidth))")
      }
    }
  }

  /// A decoding failure as a typed error naming the field, what was given and what is allowed.
  static func decodingProblem(_ error: DecodingError, entry: SuiteEntry, blame: String?) -> BenchmarkError {
    var path: [any CodingKey]
    var expected: String
    switch error {
    case .typeMismatch(let type, let context):
      path = context.codingPath
      expected = describe(type)
    case .valueNotFound(let type, let context):
      path = context.codingPath
      expected = describe(type)
    case .keyNotFound(let key, let context):
      path = context.codingPath + [key]
      expected = "a value"
    case .dataCorrupted(let context):
      path = context.codingPath
      expected = "a valid value (\(context.debugDescription))"
    @unknown default:
      path = []
      expected = "a valid value"
    }
    if path.isEmpty, let blame { path = [AnyKey(blame)] }
    let top = path.first?.stringValue ?? "configuration"
    let name = path.map(\.stringValue).joined(separator: ".")
    if case .dataCorrupted = error, case .number(let n)? = entry.hyperparameters[top], n != n.rounded() {
      // Foundation reports a fraction decoded into an Int as corrupt data, without a path.
      expected = "an integer"
    }
    if let values = namedValues[name] ?? (name == "net_arch.activation" ? Activation.allCases.map(\.rawValue) : nil) {
      expected = "one of " + values.joined(separator: ", ")
    } else if top == "net_arch" {
      expected += " at net_arch.\(path.dropFirst().map(\.stringValue).joined(separator: ".")); net_arch is "
        + "{\"shared\": [widths], \"policy\": [widths], \"value\": [widths], \"activation\": \""
        + Activation.allCases.map(\.rawValue).joined(separator: "|") + "\"}"
    }
    let given = entry.hyperparameters[top].map { "'\($0)'" } ?? "the default"
    return .invalidHyperparameter(
      algorithm: entry.algorithm.rawValue, name: name.isEmpty ? "configuration" : name,
      reason: "\(given) (allowed: \(expected))")
  }

  static func describe(_ type: Any.Type) -> String {
    switch type {
    case is Int.Type: return "an integer"
    case is Double.Type, is Float.Type: return "a number"
    case is Bool.Type: return "true or false"
    case is String.Type: return "a string"
    default: return "\(type)"
    }
  }
}

/// A coding key made from a name.
private struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ name: String) { stringValue = name }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

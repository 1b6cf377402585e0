/// A named set of (environment, algorithm) entries, run for every seed.
public struct Suite: Codable, Sendable, Equatable {
  /// The suite name (`smoke`, `classic`).
  public var name: String
  /// What the suite is for.
  public var summary: String
  /// The entries.
  public var entries: [SuiteEntry]

  public init(name: String, summary: String, entries: [SuiteEntry]) {
    self.name = name
    self.summary = summary
    self.entries = entries
  }

  /// The built-in suites.
  public static let builtIn: [Suite] = [.smoke, .classic, .minAtar, .atari, .muJoCo, .gymnasium, .pomdp, .pomdpMLP]

  /// Looks up a built-in suite by name.
  public static func named(_ name: String) throws(BenchmarkError) -> Suite {
    guard let suite = builtIn.first(where: { $0.name == name }) else {
      throw .unknownSuite(name: name, available: builtIn.map(\.name))
    }
    return suite
  }

  /// The entries restricted to some algorithms and environments (`nil` keeps all).
  public func filtered(algorithms: [AlgorithmID]?, environments: [String]?) -> Suite {
    var copy = self
    copy.entries = entries.filter { entry in
      (algorithms?.contains(entry.algorithm) ?? true) && (environments?.contains(entry.environment) ?? true)
    }
    return copy
  }
}

import Environments
import GymnasiumBridge

/// A slice `index` of `count` (1-based) of a run grid, for cluster job arrays.
public struct Shard: Sendable, Equatable, Codable {
  public var index: Int
  public var count: Int

  /// Parses `i/N` with `1 ≤ i ≤ N`.
  public init?(_ text: String) {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
    index = i
    count = n
  }

  /// Runs `k` with `k mod N = i − 1` (round-robin, so long and short entries spread evenly).
  public func contains(position: Int) -> Bool { position % count == index - 1 }
}

/// What `bench run` will do: the suite, filtered and seeded, optionally sharded.
public struct RunPlan: Sendable {
  public var suite: Suite
  public var runs: [RunSpec]

  /// Builds the plan, checking every name against what exists, every number against
  /// ``RunLimits`` and every hyperparameter with ``HyperparameterCheck``.
  ///
  /// - Parameter overrides: hyperparameters set on every entry, by SB2 name (`bench run --set`).
  /// - Parameter evaluationTimesteps: every entry's evaluation budget instead of the suite's
  ///   (`bench run --evaluation-timesteps`; 0 disables the evaluation), for quick checks of suites
  ///   whose 150,000-step evaluation takes minutes through the bridge.
  public init(
    suiteName: String, algorithms: [AlgorithmID], environments: [String], seeds: Int, startSeed: Int,
    timesteps: Int?, shard: Shard?, overrides: [String: HyperparameterValue] = [:], evaluationTimesteps: Int? = nil
  ) throws(BenchmarkError) {
    try RunLimits.checkPlan(seeds: seeds, startSeed: startSeed, timesteps: timesteps)
    if let evaluationTimesteps {
      try RunLimits.check(evaluationTimesteps, "--evaluation-timesteps", RunLimits.evaluationTimesteps)
    }
    if let shard { try RunLimits.check(shard.count, "--shard", RunLimits.shardCount) }
    var suite = try Suite.named(suiteName)
    for name in environments {
      do { _ = try EnvironmentCatalog.parse(name) } catch {
        if case .unknownEnvironment(_, let available) = error { throw .unknownEnvironment(name: name, available: available) }
      }
    }
    if suite.name == Suite.gymnasium.name {
      // The ad-hoc suite: one entry per named environment and algorithm (A2C and ACKTR, which
      // take every action space, unless --algorithms says otherwise).
      guard !environments.isEmpty else {
        throw .invalidOption(
          name: "--environments", value: "", allowed: "one or more names for suite 'gymnasium' (see 'bench list environments')")
      }
      let chosen = algorithms.isEmpty ? [AlgorithmID.a2c, .acktr] : algorithms
      suite.entries = environments.flatMap { name in
        chosen.map { Suite.adHocEntry(environment: name, algorithm: $0, timesteps: timesteps) }
      }
    }
    suite = suite.filtered(
      algorithms: algorithms.isEmpty ? nil : algorithms, environments: environments.isEmpty ? nil : environments)
    if suite.entries.isEmpty {
      throw .invalidOption(
        name: "--algorithms/--environments", value: (algorithms.map(\.rawValue) + environments).joined(separator: " "),
        allowed: "a combination present in suite '\(suiteName)' (see 'bench list suites')")
    }
    for i in suite.entries.indices {
      if let timesteps { suite.entries[i].timesteps = timesteps }
      if let evaluationTimesteps { suite.entries[i].evaluationTimesteps = evaluationTimesteps }
      for (name, value) in overrides { suite.entries[i].hyperparameters[name] = value }
      // Decode and check every name and value now, not when a run starts.
      try HyperparameterCheck.check(suite.entries[i])
    }
    self.suite = suite
    var runs = suite.runs(seeds: seeds, startSeed: startSeed)
    if let shard { runs = runs.enumerated().filter { shard.contains(position: $0.offset) }.map(\.element) }
    self.runs = runs
  }

  /// Total training steps of the plan.
  public var totalTimesteps: Int { runs.reduce(0) { $0 + $1.entry.timesteps } }
}

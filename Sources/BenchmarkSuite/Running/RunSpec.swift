/// One run: a suite entry, a seed, and the budget actually used.
public struct RunSpec: Codable, Sendable, Equatable, Hashable {
  /// The suite the run belongs to.
  public var suite: String
  /// The suite entry (environment, algorithm, settings).
  public var entry: SuiteEntry
  /// The run seed.
  public var seed: Int

  public init(suite: String, entry: SuiteEntry, seed: Int) {
    self.suite = suite
    self.entry = entry
    self.seed = seed
  }

  /// `suite/environment/algorithm/seed-n`, the run's folder below `runs/`.
  public var identifier: String { "\(suite)/\(entry.environment)/\(entry.algorithm.rawValue)/seed-\(seed)" }

  public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

  /// What differs between two specs of the same run, for error messages (`timesteps 1000 vs 500000`).
  public static func differences(_ a: RunSpec, _ b: RunSpec) -> [String] {
    var result: [String] = []
    if a.identifier != b.identifier { result.append("run \(a.identifier) vs \(b.identifier)") }
    if a.entry.timesteps != b.entry.timesteps { result.append("timesteps \(a.entry.timesteps) vs \(b.entry.timesteps)") }
    if a.entry.environmentCount != b.entry.environmentCount {
      result.append("n_envs \(a.entry.environmentCount) vs \(b.entry.environmentCount)")
    }
    if a.entry.normalize != b.entry.normalize { result.append("normalize \(a.entry.normalize) vs \(b.entry.normalize)") }
    for key in Set(a.entry.hyperparameters.keys).union(b.entry.hyperparameters.keys).sorted()
    where a.entry.hyperparameters[key] != b.entry.hyperparameters[key] {
      let old = a.entry.hyperparameters[key].map { "\($0)" } ?? "default"
      let new = b.entry.hyperparameters[key].map { "\($0)" } ?? "default"
      result.append("\(key) \(old) vs \(new)")
    }
    if a.entry.evaluationTimesteps != b.entry.evaluationTimesteps {
      result.append("evaluation timesteps \(a.entry.evaluationTimesteps) vs \(b.entry.evaluationTimesteps)")
    }
    return result.isEmpty ? ["suite entry"] : result
  }
}

extension Suite {
  /// Every run of the suite for `seeds` consecutive seeds from `startSeed`, in a fixed order
  /// (entry by entry, seed by seed), so shards and resumes see the same grid.
  public func runs(seeds: Int, startSeed: Int) -> [RunSpec] {
    entries.flatMap { entry in (startSeed..<(startSeed + seeds)).map { RunSpec(suite: name, entry: entry, seed: $0) } }
  }
}

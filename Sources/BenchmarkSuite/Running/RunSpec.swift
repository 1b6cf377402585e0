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
}

extension Suite {
  /// Every run of the suite for `seeds` consecutive seeds from `startSeed`, in a fixed order
  /// (entry by entry, seed by seed), so shards and resumes see the same grid.
  public func runs(seeds: Int, startSeed: Int) -> [RunSpec] {
    entries.flatMap { entry in (startSeed..<(startSeed + seeds)).map { RunSpec(suite: name, entry: entry, seed: $0) } }
  }
}

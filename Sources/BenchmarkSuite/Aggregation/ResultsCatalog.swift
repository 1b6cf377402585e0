import Environments
import Foundation

/// Every complete run of one suite in a results folder, grouped by environment and algorithm,
/// plus the folder's provenance.
///
/// Environments are ordered as in ``EnvironmentRegistry/ids`` (unknown ids after, alphabetically),
/// algorithms as ``AlgorithmID/allCases``, runs by seed, so that everything computed from a
/// catalog is independent of directory-listing order.
public struct ResultsCatalog: Sendable {
  /// The results folder.
  public let store: ResultsStore
  /// The suite.
  public let suite: String
  /// The runs, sorted by environment, algorithm, seed.
  public let runs: [RunRecord]
  /// `manifest.json`, when present.
  public let provenance: Provenance?

  /// Reads every complete run of `suite` below `store`.
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` when the folder holds no run
  ///   of the suite (naming the suites it does hold), ``BenchmarkError/incompatibleResults``
  ///   when a file cannot be read, and ``BenchmarkError/inconsistentRun(path:reason:)`` for a run
  ///   folder whose name, spec and summary disagree (``ResultsStore/runFolders(suite:)``).
  public init(store: ResultsStore, suite: String) throws(BenchmarkError) {
    self.store = store
    self.suite = suite
    let summaries = try store.completedSummaries(suite: suite)
    guard !summaries.isEmpty else {
      let present = Self.suites(in: store)
      throw .invalidOption(
        name: "--suite", value: suite,
        allowed: present.isEmpty
          ? "a suite with runs; \(store.runsFolder.path) holds none (run 'bench run' first)"
          : present.joined(separator: ", ") + " (the suites with runs in \(store.root.path))")
    }
    var runs: [RunRecord] = []
    for summary in summaries {
      let folder = store.folder(for: summary.run)
      let curve = try CurveTable(contentsOf: folder.appendingPathComponent("curve.csv"))
      runs.append(RunRecord(summary: summary, curve: curve, timing: try Self.timing(in: folder)))
    }
    self.runs = runs.sorted(by: Self.order)
    if let data = try? store.read("manifest.json") {
      do { provenance = try JSONCoding.decoder.decode(Provenance.self, from: data) } catch {
        throw .incompatibleResults(
          path: store.root.appendingPathComponent("manifest.json").path, reason: "\(error)")
      }
    } else {
      provenance = nil
    }
  }

  /// A catalog over runs already in memory (for tests and merged views).
  public init(suite: String, runs: [RunRecord], provenance: Provenance?, store: ResultsStore) {
    self.suite = suite
    self.runs = runs.sorted(by: Self.order)
    self.provenance = provenance
    self.store = store
  }

  /// A run folder's `timing.json`; `nil` when there is none (timings are information only).
  /// - Throws: ``BenchmarkError/incompatibleResults(path:reason:)`` when the file does not parse.
  static func timing(in folder: URL) throws(BenchmarkError) -> RunTiming? {
    let url = folder.appendingPathComponent("timing.json")
    guard let data = try? Data(contentsOf: url) else { return nil }
    do { return try JSONCoding.decoder.decode(RunTiming.self, from: data) } catch {
      throw .incompatibleResults(path: url.path, reason: "\(error)")
    }
  }

  /// The suites with at least one run folder below `runs/`, sorted.
  public static func suites(in store: ResultsStore) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: store.runsFolder.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted()
  }

  /// The environments with runs, in registry order.
  public var environments: [String] {
    Self.environmentOrder(Set(runs.map(\.environment)))
  }

  /// The algorithms with runs, in ``AlgorithmID`` order.
  public var algorithms: [AlgorithmID] { Set(runs.map(\.algorithm)).sorted() }

  /// The algorithms with runs on `environment`.
  public func algorithms(on environment: String) -> [AlgorithmID] {
    Set(runs.filter { $0.environment == environment }.map(\.algorithm)).sorted()
  }

  /// The environments `algorithm` ran on, in registry order.
  public func environments(of algorithm: AlgorithmID) -> [String] {
    Self.environmentOrder(Set(runs.filter { $0.algorithm == algorithm }.map(\.environment)))
  }

  /// The runs of one cell, by seed.
  public func runs(environment: String, algorithm: AlgorithmID) -> [RunRecord] {
    runs.filter { $0.environment == environment && $0.algorithm == algorithm }
  }

  /// Registry order, then alphabetical for ids the registry does not know.
  static func environmentOrder(_ ids: Set<String>) -> [String] {
    let known = EnvironmentRegistry.ids.filter(ids.contains)
    return known + ids.subtracting(known).sorted()
  }

  static func order(_ a: RunRecord, _ b: RunRecord) -> Bool {
    let ea = EnvironmentRegistry.ids.firstIndex(of: a.environment) ?? Int.max
    let eb = EnvironmentRegistry.ids.firstIndex(of: b.environment) ?? Int.max
    if ea != eb { return ea < eb }
    if a.environment != b.environment { return a.environment < b.environment }
    if a.algorithm != b.algorithm { return a.algorithm < b.algorithm }
    return a.seed < b.seed
  }
}

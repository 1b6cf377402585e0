import Foundation

/// Joins result folders written by `bench run --shard i/N` (or on several machines) into one
/// (`bench merge`).
///
/// ```
/// for every complete run folder runs/<suite>/<env>/<algo>/seed-<n>/ of every source:
///   absent in the target          → copied (temporary folder, then one rename)
///   present with the same summary → left alone (a duplicate)
///   present with another summary  → conflict: nothing is written, the error lists every one
/// manifest.json ← the sources' sessions under `shards`, after checking that, per suite, every
///                 field that can change a result bit agrees (sessions of different suites may
///                 differ: one build per suite, ``Provenance/sessions(suite:)``)
/// ```
/// `summary.json` is a pure function of the run (design.md §3), so two executions of the same run
/// have the same summary; their wall-clock `timing.json` files differ and are not compared (the
/// first one planned is kept).
public struct ResultsMerger: Sendable {
  /// What a merge did.
  public struct Outcome: Sendable, Equatable {
    /// Run identifiers copied into the target.
    public var copied: [String]
    /// Run identifiers already present with the same summary.
    public var duplicates: [String]
  }

  /// The folder runs are merged into (created if missing).
  public let target: ResultsStore
  /// The folders merged from.
  public let sources: [ResultsStore]
  /// Accept sources whose provenance differs in a result-changing field (recorded, not checked).
  public let allowMixedProvenance: Bool
  /// Wait for another writer's ``ResultsLock`` on the target instead of failing.
  public var waitForLock = false
  /// Told when the merge waits for the target's lock.
  public var waiting: (@Sendable (String) -> Void)? = nil

  /// A merger of `sources` into `target`.
  public init(target: ResultsStore, sources: [ResultsStore], allowMixedProvenance: Bool = false) {
    self.target = target
    self.sources = sources
    self.allowMixedProvenance = allowMixedProvenance
  }

  /// The fields of ``Provenance`` that can change a result bit.
  static let resultFields: [(name: String, value: @Sendable (Provenance) -> String)] = [
    ("layoutVersion", { "\($0.layoutVersion)" }), ("gitRevision", \.gitRevision),
    ("swiftVersion", \.swiftVersion), ("openBLASConfiguration", \.openBLASConfiguration),
    ("openBLASCore", \.openBLASCore), ("openBLASThreads", { "\($0.openBLASThreads)" }),
    ("gslVersion", \.gslVersion), ("randomNumberGenerator", \.randomNumberGenerator),
  ]

  /// Merges the sources into the target.
  /// - Parameter commandLine: recorded as the merged manifest's command line.
  /// - Throws: ``BenchmarkError/io(path:reason:)`` for unreadable folders,
  ///   ``BenchmarkError/incompatibleResults(path:reason:)`` for a different layout version, and
  ///   ``BenchmarkError/mergeConflict(target:reason:)`` for conflicting duplicates or (without
  ///   `allowMixedProvenance`) a different provenance.
  @discardableResult
  public func merge(commandLine: [String]) throws(BenchmarkError) -> Outcome {
    let fm = FileManager.default
    let lock = try ResultsLock(root: target.root, commandLine: commandLine, wait: waitForLock, waiting: waiting)
    defer { lock.release() }
    target.removeLeftovers()
    for source in sources {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: source.runsFolder.path, isDirectory: &isDirectory), isDirectory.boolValue
      else {
        throw .io(path: source.root.path, reason: "not a results folder (no runs/ folder inside)")
      }
      if source.root.standardizedFileURL.path == target.root.standardizedFileURL.path {
        throw .invalidOption(
          name: "SHARD_DIR", value: source.root.path, allowed: "a folder other than the --into folder")
      }
    }

    // 1. Provenance: every input must agree on what can change a result.
    var provenances: [(path: String, provenance: Provenance)] = []
    for store in [target] + sources {
      guard let data = try? store.read("manifest.json") else { continue }
      do {
        provenances.append((store.root.path, try JSONCoding.decoder.decode(Provenance.self, from: data)))
      } catch {
        throw .incompatibleResults(
          path: store.root.appendingPathComponent("manifest.json").path, reason: "\(error)")
      }
    }
    for (path, provenance) in provenances where provenance.layoutVersion != ResultsStore.layoutVersion {
      throw .incompatibleResults(
        path: path,
        reason: "layout version \(provenance.layoutVersion), this build reads \(ResultsStore.layoutVersion)")
    }
    // One build per suite: every session of a suite, in any input, must agree with the first
    // session of that suite; sessions of different suites are not compared.
    if !allowMixedProvenance {
      var firstOfSuite: [String: (path: String, session: Provenance)] = [:]
      for (path, provenance) in provenances {
        for session in provenance.sessions {
          guard let first = firstOfSuite[session.suite] else {
            firstOfSuite[session.suite] = (path, session)
            continue
          }
          if let mismatch = first.session.resultFieldMismatch(session) {
            throw .mergeConflict(
              target: target.root.path,
              reason:
                "suite \(session.suite): \(mismatch.field) is '\(mismatch.other)' in \(path) but "
                + "'\(mismatch.this)' in \(first.path); runs of one suite from different builds "
                + "should not be pooled (pass --allow-mixed-provenance to merge anyway)"
            )
          }
        }
      }
    }

    // 2. Plan: decide every run before writing anything.
    var planned: [String: (source: URL, summary: RunSummary, from: String)] = [:]
    var duplicates: [String] = []
    var conflicts: [String] = []
    for store in [target] + sources {
      for (identifier, folder) in try Self.completeRuns(in: store) {
        let summary = try Self.summary(at: folder)
        if let existing = planned[identifier] {
          if Self.deterministic(existing.summary) == Self.deterministic(summary) {
            duplicates.append(identifier)
          } else {
            conflicts.append(
              "\(identifier): \(existing.from) and \(store.root.path) hold different summaries")
          }
        } else {
          planned[identifier] = (folder, summary, store.root.path)
        }
      }
    }
    guard conflicts.isEmpty else {
      throw .mergeConflict(
        target: target.root.path,
        reason:
          "\(conflicts.count) conflicting run(s), nothing merged:\n  "
          + conflicts.sorted().joined(separator: "\n  "))
    }

    // 3. Copy the runs the target lacks, each atomically.
    let existing = Set(try Self.completeRuns(in: target).map(\.identifier))
    var copied: [String] = []
    for identifier in planned.keys.sorted() where !existing.contains(identifier) {
      let source = planned[identifier]!.source
      let destination = target.runsFolder.appendingPathComponent(identifier, isDirectory: true)
      let temporary = destination.deletingLastPathComponent().appendingPathComponent(
        TemporaryName.partial(destination.lastPathComponent))
      do {
        try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if fm.fileExists(atPath: temporary.path) { try fm.removeItem(at: temporary) }
        try fm.copyItem(at: source, to: temporary)
        if fm.fileExists(atPath: destination.path) { try fm.removeItem(at: destination) }
        try fm.moveItem(at: temporary, to: destination)
      } catch {
        throw .io(path: destination.path, reason: error.localizedDescription)
      }
      copied.append(identifier)
    }

    // 4. The merged manifest.
    if !provenances.isEmpty {
      var shards: [Provenance] = []
      for shard in provenances.flatMap(\.provenance.sessions) where !shards.contains(shard) {
        shards.append(shard)
      }
      var merged = provenances[0].provenance
      merged.suite = Array(Set(shards.map(\.suite))).sorted().joined(separator: ",")
      merged.commandLine = commandLine
      merged.createdAt = shards.map(\.createdAt).max() ?? merged.createdAt
      merged.shards = shards
      do { try target.write(try JSONCoding.encoder.encode(merged), to: "manifest.json") } catch let error
        as BenchmarkError
      {
        throw error
      } catch {
        throw .io(path: target.root.appendingPathComponent("manifest.json").path, reason: "\(error)")
      }
    }
    return Outcome(copied: copied, duplicates: duplicates.sorted())
  }

  /// The complete run folders below `runs/`, checked by ``ResultsStore/runFolders(suite:)``.
  static func completeRuns(in store: ResultsStore) throws(BenchmarkError) -> [(
    identifier: String, folder: URL
  )] {
    try store.runFolders().map { ($0.identifier, $0.url) }
  }

  static func summary(at folder: URL) throws(BenchmarkError) -> RunSummary {
    let url = folder.appendingPathComponent("summary.json")
    do { return try JSONCoding.decoder.decode(RunSummary.self, from: Data(contentsOf: url)) } catch {
      throw .incompatibleResults(path: url.path, reason: "\(error)")
    }
  }

  /// The summary as JSON (so that NaN equals NaN).
  static func deterministic(_ summary: RunSummary) -> Data {
    (try? JSONCoding.encoder.encode(summary)) ?? Data()
  }
}

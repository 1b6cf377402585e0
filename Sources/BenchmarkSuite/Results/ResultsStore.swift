import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The results folder (design.md §5):
/// ```
/// results/
///   manifest.json
///   runs/<suite>/<env>/<algorithm>/seed-<n>/{spec.json, configuration.json, curve.csv, episodes.csv,
///                                           summary.json, timing.json}
///                                           + on request {model.acbm, episode.png} (``RunArtifacts``)
///   aggregate/<suite>.json
///   plots/*.png
/// ```
/// Every file of a run folder but `timing.json` (wall-clock, ``RunTiming``) is deterministic: a
/// reproduction writes the same bytes. A run folder appears only complete: it is written under a temporary name and renamed into
/// place, so an interrupted `bench run` leaves at most a `seed-<n>.partial-<pid>` folder, which
/// is deleted (once process `pid` is gone) and redone on resume. Every path is confined to the
/// root (``url(for:)``).
public struct ResultsStore: Sendable {
  /// The results root.
  public let root: URL
  /// The layout version written into `manifest.json`; a different one is refused.
  /// Version 2: `curve.csv` ends at the last update and has no `steps_per_second` column, and the
  /// wall-clock fields moved from `summary.json` to `timing.json`.
  public static let layoutVersion = 2

  public init(root: URL) { self.root = root }

  /// `runs/`.
  public var runsFolder: URL { root.appendingPathComponent("runs", isDirectory: true) }

  /// The folder of a run.
  public func folder(for run: RunSpec) -> URL { runsFolder.appendingPathComponent(run.identifier, isDirectory: true) }

  /// Whether a run is complete (its folder exists with a summary).
  public func isComplete(_ run: RunSpec) -> Bool {
    FileManager.default.fileExists(atPath: folder(for: run).appendingPathComponent("summary.json").path)
  }

  /// Writes a run's files into place atomically: all files into a temporary sibling folder
  /// `seed-<n>.partial-<pid>`, then one rename.
  /// - Throws: ``BenchmarkError/pathOutsideResults(path:root:)`` when the run's identifier is not
  ///   four plain names; ``BenchmarkError/io(path:reason:)`` when a write fails.
  public func commit(run: RunSpec, files: [String: Data]) throws {
    let final = try url(for: "runs/" + run.identifier)
    let parent = final.deletingLastPathComponent()
    let temporary = parent.appendingPathComponent(
      TemporaryName.partial(final.lastPathComponent), isDirectory: true)
    let fm = FileManager.default
    do {
      try fm.createDirectory(at: parent, withIntermediateDirectories: true)
      if fm.fileExists(atPath: temporary.path) { try fm.removeItem(at: temporary) }
      try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
      for (name, data) in files.sorted(by: { $0.key < $1.key }) {
        try DurableFile.write(data, to: temporary.appendingPathComponent(name).path)
      }
      DurableFile.syncFolder(temporary.path)
      if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
      try fm.moveItem(at: temporary, to: final)
      // On the device before the caller deletes the run's checkpoint: a power loss must not leave
      // a run that looks complete with empty files and no checkpoint to redo it from.
      DurableFile.syncFolder(parent.path)
    } catch let error as BenchmarkError {
      throw error
    } catch {
      throw BenchmarkError.io(path: final.path, reason: error.localizedDescription)
    }
  }

  /// Deletes what an interrupted process of this tool left behind, and nothing else: run folders
  /// named exactly `seed-<n>.partial-<pid>` at `runs/<suite>/<env>/<algorithm>/`, checkpoint
  /// folders `seed-<n>.checkpoint` beside a complete `seed-<n>`, and files named
  /// exactly `<name>.tmp-<pid>` in the folders ``write(_:to:)`` writes to, each only when process
  /// `pid` no longer exists or started after the item was last written (a reused pid;
  /// ``TemporaryName/isLeftover(owner:lastModified:slack:)``). Returns how many were deleted.
  ///
  /// Call it holding the folder's ``ResultsLock``: a live process of another `bench` could
  /// otherwise still be writing them.
  @discardableResult
  public func removeLeftovers() -> Int {
    let fm = FileManager.default
    var stale: [URL] = []
    func children(_ url: URL) -> [URL] {
      ((try? fm.contentsOfDirectory(atPath: url.path)) ?? []).sorted().map { url.appendingPathComponent($0) }
    }
    for suite in children(runsFolder) {
      for environment in children(suite) {
        for algorithm in children(environment) {
          for entry in children(algorithm) {
            if TemporaryName.isLeftover(entry, owner: TemporaryName.partialOwner) { stale.append(entry) }
            // A checkpoint left beside its complete run: the process was killed between the commit
            // and the checkpoint's deletion.
            if let run = CheckpointName.runFolder(of: entry.lastPathComponent),
              fm.fileExists(atPath: algorithm.appendingPathComponent(run).appendingPathComponent("summary.json").path)
            {
              stale.append(entry)
            }
          }
        }
      }
    }
    for folder in [root, root.appendingPathComponent("aggregate"), root.appendingPathComponent("perf")] {
      for file in children(folder) {
        if TemporaryName.isLeftover(file, owner: TemporaryName.temporaryFileOwner) { stale.append(file) }
      }
    }
    var removed = 0
    for url in stale where (try? fm.removeItem(at: url)) != nil { removed += 1 }
    return removed
  }

  /// Writes any file below the root atomically: `<name>.tmp-<pid>` beside it, then a rename.
  /// - Throws: ``BenchmarkError/pathOutsideResults(path:root:)`` for a path that leaves the root.
  public func write(_ data: Data, to relativePath: String) throws(BenchmarkError) {
    let url = try url(for: relativePath)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      TemporaryName.temporaryFile(url.lastPathComponent))
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try DurableFile.write(data, to: temporary.path)
      if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw BenchmarkError.io(path: url.path, reason: "cannot rename \(temporary.lastPathComponent): \(reason)")
      }
      DurableFile.syncFolder(url.deletingLastPathComponent().path)
    } catch let error as BenchmarkError {
      throw error
    } catch {
      throw .io(path: url.path, reason: error.localizedDescription)
    }
  }

  /// Reads a file below the root.
  /// - Throws: ``BenchmarkError/pathOutsideResults(path:root:)`` for a path that leaves the root.
  public func read(_ relativePath: String) throws(BenchmarkError) -> Data {
    let url = try url(for: relativePath)
    do { return try Data(contentsOf: url) } catch {
      throw .io(path: url.path, reason: error.localizedDescription)
    }
  }

  /// The URL of a path below the root, refusing any path that could leave it.
  ///
  /// ```
  /// relativePath = c₁/c₂/…/cₖ,  k ≥ 1,  every cᵢ ∉ {"", ".", ".."} and free of NUL
  /// ```
  /// (no leading `/`, no `..`), so the result is always inside ``root`` whatever the input.
  public func url(for relativePath: String) throws(BenchmarkError) -> URL {
    let components = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard !components.isEmpty, components.allSatisfy(Self.isPlainName) else {
      throw .pathOutsideResults(path: relativePath, root: root.path)
    }
    return root.appendingPathComponent(relativePath)
  }

  /// Whether `name` is one path component that stays where it is: not empty, `.` or `..`, and
  /// without `/` or NUL.
  public static func isPlainName(_ name: String) -> Bool {
    !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
  }

  /// The summaries of every complete run below `runs/<suite>/`, checked by ``runFolders(suite:)``.
  public func completedSummaries(suite: String) throws(BenchmarkError) -> [RunSummary] {
    try runFolders(suite: suite).map(\.summary)
  }
}

/// Shared JSON settings: sorted keys and stable formatting so that the same results give the
/// same bytes.
public enum JSONCoding {
  public static let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }()

  public static let decoder: JSONDecoder = {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return d
  }()
}

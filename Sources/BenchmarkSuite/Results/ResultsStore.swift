import Foundation

/// The results folder (design.md §5):
/// ```
/// results/
///   manifest.json
///   runs/<suite>/<env>/<algorithm>/seed-<n>/{spec.json, curve.csv, episodes.csv, summary.json}
///   aggregate/<suite>.json
///   plots/*.png
/// ```
/// A run folder appears only complete: it is written under a temporary name and renamed into
/// place, so an interrupted `bench run` leaves at most a `*.partial-*` folder, which is deleted
/// and redone on resume.
public struct ResultsStore: Sendable {
  /// The results root.
  public let root: URL
  /// The layout version written into `manifest.json`; a different one is refused.
  public static let layoutVersion = 1

  public init(root: URL) { self.root = root }

  /// `runs/`.
  public var runsFolder: URL { root.appendingPathComponent("runs", isDirectory: true) }

  /// The folder of a run.
  public func folder(for run: RunSpec) -> URL { runsFolder.appendingPathComponent(run.identifier, isDirectory: true) }

  /// Whether a run is complete (its folder exists with a summary).
  public func isComplete(_ run: RunSpec) -> Bool {
    FileManager.default.fileExists(atPath: folder(for: run).appendingPathComponent("summary.json").path)
  }

  /// Writes a run's files into place atomically: all files into a temporary sibling folder, then
  /// one rename.
  public func commit(run: RunSpec, files: [String: Data]) throws {
    let final = folder(for: run)
    let parent = final.deletingLastPathComponent()
    let temporary = parent.appendingPathComponent(
      final.lastPathComponent + ".partial-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    let fm = FileManager.default
    do {
      try fm.createDirectory(at: parent, withIntermediateDirectories: true)
      if fm.fileExists(atPath: temporary.path) { try fm.removeItem(at: temporary) }
      try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
      for (name, data) in files.sorted(by: { $0.key < $1.key }) {
        try data.write(to: temporary.appendingPathComponent(name), options: .atomic)
      }
      if fm.fileExists(atPath: final.path) { try fm.removeItem(at: final) }
      try fm.moveItem(at: temporary, to: final)
    } catch {
      throw BenchmarkError.io(path: final.path, reason: error.localizedDescription)
    }
  }

  /// Deletes `*.partial-*` folders left by interrupted runs; returns how many.
  @discardableResult
  public func removePartialRuns() -> Int {
    let fm = FileManager.default
    guard let walker = fm.enumerator(at: runsFolder, includingPropertiesForKeys: nil) else { return 0 }
    var stale: [URL] = []
    for case let url as URL in walker where url.lastPathComponent.contains(".partial-") { stale.append(url) }
    for url in stale { try? fm.removeItem(at: url) }
    return stale.count
  }

  /// Writes any file below the root atomically.
  public func write(_ data: Data, to relativePath: String) throws {
    let url = root.appendingPathComponent(relativePath)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try data.write(to: url, options: .atomic)
    } catch {
      throw BenchmarkError.io(path: url.path, reason: error.localizedDescription)
    }
  }

  /// Reads a file below the root.
  public func read(_ relativePath: String) throws -> Data {
    let url = root.appendingPathComponent(relativePath)
    do { return try Data(contentsOf: url) } catch {
      throw BenchmarkError.io(path: url.path, reason: error.localizedDescription)
    }
  }

  /// The summaries of every complete run below `runs/<suite>/`.
  public func completedSummaries(suite: String) throws -> [RunSummary] {
    let base = runsFolder.appendingPathComponent(suite, isDirectory: true)
    let fm = FileManager.default
    guard let walker = fm.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
    var result: [RunSummary] = []
    for case let url as URL in walker where url.lastPathComponent == "summary.json" && !url.path.contains(".partial-") {
      do { result.append(try JSONCoding.decoder.decode(RunSummary.self, from: Data(contentsOf: url))) } catch {
        throw BenchmarkError.incompatibleResults(path: url.path, reason: "\(error)")
      }
    }
    return result.sorted { ($0.run.identifier) < ($1.run.identifier) }
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

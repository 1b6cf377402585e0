import Foundation

extension ResultsStore {
  /// One complete run folder, checked.
  public struct RunFolder: Sendable {
    /// `suite/environment/algorithm/seed-n`.
    public var identifier: String
    /// The folder.
    public var url: URL
    /// Its `summary.json`.
    public var summary: RunSummary
  }

  /// Every complete run below `runs/<suite>/` (every suite when `suite` is nil), each checked:
  ///
  /// ```
  /// runs/<suite>/<env>/<algorithm>/<entry>
  ///   entry = seed-<n>.partial-<pid>   skipped: a run being written, or a leftover
  ///   entry = seed-<n>.checkpoint      skipped: the checkpoints of a run in training
  ///   entry = .<anything>              skipped: hidden files (.DS_Store, …)
  ///   entry = seed-<n> with summary    identifier(summary.run) = identifier(spec.json)
  ///                                    = "<suite>/<env>/<algorithm>/seed-<n>"
  ///   entry = seed-<n> without one     skipped: not complete
  ///   anything else                    refused (a copied seed-0.bak, a stray file)
  /// ```
  /// Because every summary must name its own folder, seeds are unique per cell and no path built
  /// from a summary can leave the folder.
  /// - Throws: ``BenchmarkError/inconsistentRun(path:reason:)`` naming the first offending path;
  ///   ``BenchmarkError/pathOutsideResults(path:root:)`` for a suite name that is not a plain name.
  public func runFolders(suite: String? = nil) throws(BenchmarkError) -> [RunFolder] {
    let fm = FileManager.default
    func children(_ url: URL) throws(BenchmarkError) -> [String] {
      var isDirectory: ObjCBool = false
      guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
      guard isDirectory.boolValue else {
        throw .inconsistentRun(path: url.path, reason: "a file where a folder of runs/<suite>/<env>/<algorithm> belongs")
      }
      do { return try fm.contentsOfDirectory(atPath: url.path).filter { !$0.hasPrefix(".") }.sorted() } catch {
        throw .io(path: url.path, reason: error.localizedDescription)
      }
    }
    let suites: [String]
    if let suite {
      guard Self.isPlainName(suite) else { throw .pathOutsideResults(path: "runs/" + suite, root: root.path) }
      suites = [suite]
    } else {
      suites = try children(runsFolder)
    }
    var result: [RunFolder] = []
    for suite in suites {
      let suiteFolder = runsFolder.appendingPathComponent(suite, isDirectory: true)
      for environment in try children(suiteFolder) {
        let environmentFolder = suiteFolder.appendingPathComponent(environment, isDirectory: true)
        for algorithm in try children(environmentFolder) {
          let algorithmFolder = environmentFolder.appendingPathComponent(algorithm, isDirectory: true)
          for entry in try children(algorithmFolder)
          where TemporaryName.partialOwner(entry) == nil && CheckpointName.runFolder(of: entry) == nil {
            let folder = algorithmFolder.appendingPathComponent(entry, isDirectory: true)
            guard RunFolderName.seed(of: entry) != nil else {
              throw .inconsistentRun(
                path: folder.path, reason: "not a run folder (allowed: seed-<n>, n a non-negative integer)")
            }
            let summaryURL = folder.appendingPathComponent("summary.json")
            guard fm.fileExists(atPath: summaryURL.path) else { continue }
            let identifier = "\(suite)/\(environment)/\(algorithm)/\(entry)"
            let summary: RunSummary
            do { summary = try JSONCoding.decoder.decode(RunSummary.self, from: Data(contentsOf: summaryURL)) } catch {
              throw .incompatibleResults(path: summaryURL.path, reason: "\(error)")
            }
            guard summary.run.identifier == identifier else {
              throw .inconsistentRun(
                path: summaryURL.path,
                reason: "the summary is of run \(summary.run.identifier), the folder is \(identifier); "
                  + "folder name, spec.json and summary.json must agree (one folder per seed)")
            }
            let specURL = folder.appendingPathComponent("spec.json")
            let spec: RunSpec
            do { spec = try JSONCoding.decoder.decode(RunSpec.self, from: Data(contentsOf: specURL)) } catch {
              throw .inconsistentRun(path: specURL.path, reason: "spec.json is missing or unreadable: \(error)")
            }
            guard spec == summary.run else {
              throw .inconsistentRun(
                path: specURL.path,
                reason: "spec.json disagrees with summary.json (\(RunSpec.differences(spec, summary.run).joined(separator: "; ")))")
            }
            result.append(RunFolder(identifier: identifier, url: folder, summary: summary))
          }
        }
      }
    }
    return result.sorted { $0.identifier < $1.identifier }
  }
}

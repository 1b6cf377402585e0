import Foundation

/// The learning half of `bench regress`: replay a suite's committed runs and require them to be
/// reproduced bit for bit.
///
/// ```
/// for every run of the current suite definition whose seed is committed under results/:
///   spec.json, configuration.json, episodes.csv, curve.csv, summary.json   identical bytes
///   timing.json (wall-clock)                                              not compared
/// ```
/// A difference is reported at its first differing line, curve row and column, or summary field.
/// A run is a pure function of (spec, seed, code, BLAS core type) (design.md §3), so any
/// difference means the code now learns differently (or the suite definition changed): commit
/// new results with `bench run --suite smoke --seeds … --results results` when that is intended.
public struct ReplayCheck: Sendable {
  /// One replayed run and what differed.
  public struct RunResult: Sendable, Equatable {
    /// The run, `suite/env/algorithm/seed-n`.
    public var identifier: String
    /// Empty when the replay is identical.
    public var differences: [String]
  }

  /// The committed results.
  public let committed: ResultsStore
  /// The suite to replay.
  public let suite: Suite

  /// A check of `suite` against the runs committed in `committed`.
  public init(committed: ResultsStore, suite: Suite) {
    self.committed = committed
    self.suite = suite
  }

  /// The committed seeds of the suite (those with at least one complete run).
  public func committedSeeds() throws(BenchmarkError) -> [Int] {
    let runs = try ResultsMerger.completeRuns(in: committed).filter {
      $0.identifier.hasPrefix(suite.name + "/")
    }
    let seeds = Set(runs.compactMap { Int($0.identifier.split(separator: "-").last ?? "") })
    return seeds.sorted()
  }

  /// Replays every committed seed of the suite into `scratch` (a fresh folder) and compares.
  /// - Throws: ``BenchmarkError`` when nothing is committed or a run fails to execute.
  public func run(scratch: URL) throws(BenchmarkError) -> [RunResult] {
    let seeds = try committedSeeds()
    guard let lowest = seeds.first, let highest = seeds.last else {
      throw .io(
        path: committed.runsFolder.appendingPathComponent(suite.name).path,
        reason:
          "no committed runs of suite '\(suite.name)' to replay; create them with "
          + "'bench run --suite \(suite.name) --seeds 1 --results \(committed.root.path)' and commit them")
    }
    let replay = ResultsStore(root: scratch)
    var results: [RunResult] = []
    for run in suite.runs(seeds: highest - lowest + 1, startSeed: lowest) where seeds.contains(run.seed) {
      do { try RunExecutor.execute(run, store: replay) } catch let error as BenchmarkError {
        throw error
      } catch {
        throw .runFailed(run: run.identifier, reason: "\(error)")
      }
      results.append(RunResult(identifier: run.identifier, differences: try compare(run, replay: replay)))
    }
    return results
  }

  /// The differences between the committed and the replayed folder of `run`.
  func compare(_ run: RunSpec, replay: ResultsStore) throws(BenchmarkError) -> [String] {
    let old = committed.folder(for: run)
    let new = replay.folder(for: run)
    guard FileManager.default.fileExists(atPath: old.appendingPathComponent("summary.json").path) else {
      return ["no committed run at \(old.path)"]
    }
    var differences: [String] = []
    for name in ["spec.json", "configuration.json", "episodes.csv"] {
      let a = try? Data(contentsOf: old.appendingPathComponent(name))
      let b = try? Data(contentsOf: new.appendingPathComponent(name))
      if a != b {
        differences.append(
          name == "spec.json"
            ? "spec.json differs: the suite definition changed since the results were committed"
            : "\(name) differs\(Self.firstDifferentLine(a, b))")
      }
    }
    let oldCurve = try CurveTable(contentsOf: old.appendingPathComponent("curve.csv"))
    let newCurve = try CurveTable(contentsOf: new.appendingPathComponent("curve.csv"))
    if oldCurve.header != newCurve.header {
      differences.append(
        "curve.csv columns: \(newCurve.header.joined(separator: ",")) "
          + "(committed \(oldCurve.header.joined(separator: ",")))")
    } else if oldCurve.rows != newCurve.rows {
      let (a, b) = (oldCurve.rows, newCurve.rows)
      if let row = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) {
        let column = a[row].indices.first { a[row][$0] != b[row][$0] }!
        differences.append(
          "curve.csv row \(row + 1), column \(oldCurve.header[column]): \(b[row][column]) "
            + "(committed \(a[row][column]))")
      } else {
        differences.append("curve.csv has \(b.count) rows; committed \(a.count)")
      }
    }
    let oldSummary = try ResultsMerger.summary(at: old)
    let newSummary = try ResultsMerger.summary(at: new)
    for (field, x, y) in Self.summaryFields(oldSummary, newSummary) where x != y {
      differences.append("summary.json \(field): \(y) (committed \(x))")
    }
    if differences.isEmpty {
      // Every field agrees; the files must then be identical to the byte (key order, formatting).
      for name in ["curve.csv", "summary.json"] {
        let a = try? Data(contentsOf: old.appendingPathComponent(name))
        let b = try? Data(contentsOf: new.appendingPathComponent(name))
        if a != b { differences.append("\(name) differs\(Self.firstDifferentLine(a, b))") }
      }
    }
    return differences
  }

  /// The deterministic summary fields as text (shortest round-trip decimals), committed vs new.
  static func summaryFields(_ a: RunSummary, _ b: RunSummary) -> [(String, String, String)] {
    func json<T: Encodable>(_ value: T) -> String {
      (try? JSONCoding.compactEncoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }
    return [
      ("run", json(a.run), json(b.run)),
      ("timesteps", "\(a.timesteps)", "\(b.timesteps)"),
      ("trainingEpisodes", "\(a.trainingEpisodes)", "\(b.trainingEpisodes)"),
      ("lastHundredMeanReturn", "\(a.lastHundredMeanReturn)", "\(b.lastHundredMeanReturn)"),
      ("evaluation", json(a.evaluation), json(b.evaluation)),
      ("hyperparameters", json(a.hyperparameters), json(b.hyperparameters)),
    ]
  }

  static func firstDifferentLine(_ a: Data?, _ b: Data?) -> String {
    guard let a, let b else { return a == nil ? " (no committed file)" : " (not written by the replay)" }
    let x = String(decoding: a, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let y = String(decoding: b, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    guard let line = zip(x, y).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else {
      return " (\(y.count) lines; committed \(x.count))"
    }
    return " at line \(line + 1): '\(y[line])' (committed '\(x[line])')"
  }
}

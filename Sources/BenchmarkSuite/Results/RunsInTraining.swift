import Foundation
import NumPyArchive

/// The runs a results folder carries while they are still training (README, "Runs longer than a
/// session"): their progress and learning curves so far, read from their newest checkpoints.
///
/// ```
/// in-progress/<name>/runs/<suite>/<env>/<algorithm>/seed-<n>.checkpoint/update-<k>.acbc
///     a bench run in its own results folder: the newest checkpoint's header (run, build, steps,
///     training time) and curve section (CurveRecorder rows), read without the model section
/// reference/<implementation>/<env>/<algorithm>/seed-<n>.checkpoint/state.json, arrays.npz
///     a run of the reference tool (Tools/stable_baselines_reference.py): steps, training time
///     (state.json); its finished episodes' returns (arrays.npz `episodes`, rows of return, length)
/// ```
/// Everything shown comes from the files' contents, never from their modification times, so the
/// same committed checkpoints give the same report bytes on any checkout.
public struct RunsInTraining: Sendable, Equatable {
  /// One of our runs, carried in `in-progress/<name>/`.
  public struct CarriedRun: Sendable, Equatable {
    /// The results folder it trains into, relative to the results folder (`in-progress/atari-a2c`).
    public var folder: String
    /// The run (suite, entry, seed).
    public var run: RunSpec
    /// The build that wrote the checkpoint (git revision · compiler · BLAS kernel).
    public var build: String
    /// Environment steps trained, of the run's budget.
    public var timesteps: Int
    public var totalTimesteps: Int
    /// Wall-clock training seconds, every session's.
    public var trainingSeconds: Double
    /// The curve so far: each row's steps, episodes finished and last-100 mean return (rows before
    /// the first finished episode have no finite mean and are left out).
    public var curve: [CurvePoint]
  }

  /// One point of a curve so far.
  public struct CurvePoint: Sendable, Equatable {
    public var timesteps: Int
    public var episodes: Int
    public var meanReturn: Double
  }

  /// A run of the reference implementation, carried as the reference tool's checkpoint.
  public struct ReferenceRun: Sendable, Equatable {
    /// The reference implementation's folder name (`stable-baselines-2.10.2`).
    public var implementation: String
    public var environment: String
    /// The algorithm as the tool names it (`acktr`).
    public var algorithm: String
    public var seed: Int
    public var timesteps: Int
    public var totalTimesteps: Int
    public var trainingSeconds: Double
    /// Sessions it trained in so far.
    public var segments: Int
    /// Training episodes finished so far, and the mean return of the last 100 of them (nil before
    /// the first).
    public var episodes: Int = 0
    public var lastHundredMeanReturn: Double? = nil
  }

  /// A checkpoint folder whose newest checkpoint cannot be read, and why.
  public struct Unreadable: Sendable, Equatable {
    /// Its path relative to the results folder.
    public var path: String
    public var reason: String
  }

  public var carried: [CarriedRun]
  public var references: [ReferenceRun]
  public var unreadable: [Unreadable]

  public init(carried: [CarriedRun] = [], references: [ReferenceRun] = [], unreadable: [Unreadable] = []) {
    self.carried = carried
    self.references = references
    self.unreadable = unreadable
  }

  /// Whether the folder carries nothing in training.
  public var isEmpty: Bool { carried.isEmpty && references.isEmpty && unreadable.isEmpty }

  /// Only what belongs to `suite` (a report of one suite): its carried runs, and the reference
  /// runs on `environments` (the suite's); unreadable folders stay, as nothing says whose they are.
  public func filtered(suite: String, environments: Set<String>) -> RunsInTraining {
    RunsInTraining(
      carried: carried.filter { $0.run.suite == suite },
      references: references.filter { environments.contains($0.environment) }, unreadable: unreadable)
  }

  /// Reads every carried run of the results folder at `resultsFolder`, each list in path order.
  public static func load(resultsFolder: URL) -> RunsInTraining {
    var result = RunsInTraining()
    let root = resultsFolder.standardizedFileURL.path
    for folder in checkpointFolders(below: resultsFolder.appendingPathComponent("in-progress")) {
      let relative = String(folder.path.dropFirst(root.count + 1))
      do {
        result.carried.append(try carriedRun(at: folder, relative: relative))
      } catch {
        result.unreadable.append(Unreadable(path: relative, reason: "\(error)"))
      }
    }
    for folder in checkpointFolders(below: resultsFolder.appendingPathComponent("reference")) {
      let relative = String(folder.path.dropFirst(root.count + 1))
      do {
        result.references.append(try referenceRun(at: folder))
      } catch {
        result.unreadable.append(Unreadable(path: relative, reason: "\(error)"))
      }
    }
    return result
  }

  /// The `seed-<n>.checkpoint` folders below `top`, sorted by path.
  static func checkpointFolders(below top: URL) -> [URL] {
    let top = top.standardizedFileURL
    guard let enumerator = FileManager.default.enumerator(at: top, includingPropertiesForKeys: [.isDirectoryKey])
    else { return [] }
    var folders: [URL] = []
    for case let url as URL in enumerator where CheckpointName.runFolder(of: url.lastPathComponent) != nil {
      if (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
        folders.append(url.standardizedFileURL)
        enumerator.skipDescendants()
      }
    }
    return folders.sorted { $0.path < $1.path }
  }

  /// Why a carried checkpoint folder cannot be shown.
  enum LoadError: Error, CustomStringConvertible {
    case noCheckpoint
    case field(String)
    case episodes(shape: [Int])

    var description: String {
      switch self {
      case .noCheckpoint: return "no checkpoint file in it"
      case .field(let name): return "state.json has no usable \(name)"
      case .episodes(let shape): return "arrays.npz's episodes have shape \(shape), not (n, 2)"
      }
    }
  }

  /// Our run whose checkpoints are in `folder` (`…/in-progress/<name>/runs/…/seed-<n>.checkpoint`).
  static func carriedRun(at folder: URL, relative: String) throws -> CarriedRun {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    guard let newest = names.compactMap({ name in CheckpointName.update(of: name).map { ($0, name) } }).max(by: { $0.0 < $1.0 })
    else { throw LoadError.noCheckpoint }
    let url = folder.appendingPathComponent(newest.1)
    let header = try RunCheckpoint.readHeader(at: url)
    let rows = try CurveRecorder.savedRows(try RunCheckpoint.readCurveSection(at: url))
    let columns = (
      timesteps: CurveRecorder.header.firstIndex(of: "timesteps")!,
      episodes: CurveRecorder.header.firstIndex(of: "episodes")!,
      mean: CurveRecorder.header.firstIndex(of: "mean_return_last100")!
    )
    let curve = rows.compactMap { row -> CurvePoint? in
      guard let t = Int(row[columns.timesteps]), let episodes = Int(row[columns.episodes]),
        let mean = Double(row[columns.mean]), mean.isFinite
      else { return nil }
      return CurvePoint(timesteps: t, episodes: episodes, meanReturn: mean)
    }
    // `relative` is `in-progress/<name>/runs/<suite>/<env>/<algorithm>/seed-<n>.checkpoint`.
    let parts = relative.split(separator: "/")
    return CarriedRun(
      folder: parts.prefix(2).joined(separator: "/"), run: header.run, build: header.build,
      timesteps: header.timesteps, totalTimesteps: header.totalTimesteps, trainingSeconds: header.trainingSeconds,
      curve: curve)
  }

  /// The reference tool's run whose checkpoint is `folder`
  /// (`…/reference/<implementation>/<env>/<algorithm>/seed-<n>.checkpoint`), from its `state.json`.
  static func referenceRun(at folder: URL) throws -> ReferenceRun {
    let data = try Data(contentsOf: folder.appendingPathComponent("state.json"))
    guard let state = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw LoadError.field("top-level object")
    }
    func string(_ key: String) throws -> String {
      guard let value = state[key] as? String, !value.isEmpty else { throw LoadError.field(key) }
      return value
    }
    func integer(_ key: String) throws -> Int {
      guard let value = state[key] as? NSNumber, value.doubleValue == value.doubleValue.rounded() else {
        throw LoadError.field(key)
      }
      return value.intValue
    }
    func number(_ key: String) throws -> Double {
      guard let value = (state[key] as? NSNumber)?.doubleValue, value.isFinite else { throw LoadError.field(key) }
      return value
    }
    var run = ReferenceRun(
      implementation: folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .lastPathComponent,
      environment: try string("environment"), algorithm: try string("algorithm"), seed: try integer("seed"),
      timesteps: try integer("num_timesteps"), totalTimesteps: try integer("timesteps"),
      trainingSeconds: try number("trainingSeconds"), segments: try integer("segments"))
    // The episodes: an (n, 2) float64 array of (return, length), in the order they finished.
    let episodes = try NPZArchive(contentsOf: folder.appendingPathComponent("arrays.npz")).array("episodes")
    guard episodes.shape.count == 2, episodes.shape[1] == 2 else { throw LoadError.episodes(shape: episodes.shape) }
    let values = episodes.doubles()
    let returns = stride(from: 0, to: values.count, by: 2).map { values[$0] }
    run.episodes = returns.count
    if !returns.isEmpty {
      let last = returns.suffix(100)
      run.lastHundredMeanReturn = last.reduce(0, +) / Double(last.count)
    }
    return run
  }
}

import ActorCritic
import Environments
import Foundation
import GymnasiumBridge

/// Trains and evaluates one run and writes its folder (design.md §5).
public enum RunExecutor {
  /// Executes `run` and commits its files to `store`.
  ///
  /// - Parameters:
  ///   - tensorboard: a folder for TensorBoard runs (`bench run --tensorboard`): the run's
  ///     training summaries go to ``tensorBoardRunFolder(of:in:)``.
  ///   - progress: called with the steps done so far, about 200 times per run.
  /// - Throws: ``BenchmarkError`` when the run cannot be built, or training stops on a
  ///   non-finite loss (the run's folder is then not written, so a resume redoes it).
  @discardableResult
  public static func execute(
    _ run: RunSpec, store: ResultsStore, tensorboard: URL? = nil, progress: ((Int) -> Void)? = nil
  ) throws -> RunSummary {
    let entry = run.entry
    let environment = try ModelFactory.makeEnvironment(for: entry, seed: run.seed)
    let model = try ModelFactory.makeModel(for: entry, seed: run.seed, environment: environment)
    let recorder = CurveRecorder(totalTimesteps: entry.timesteps, progress: progress)
    do {
      let tbLogName = "seed-\(run.seed)"
      if let tensorboard {
        model.tensorboardLog = try prepareTensorBoardLog(for: run, in: tensorboard, name: tbLogName)
      }
      try model.learn(
        totalTimesteps: entry.timesteps, callback: recorder, logInterval: 100, tbLogName: tbLogName,
        resetNumTimesteps: true)
    } catch {
      throw BenchmarkError.runFailed(run: run.identifier, reason: "\(error)")
    }
    let seconds = recorder.elapsedSeconds
    let clock = ContinuousClock()
    let evaluationStart = clock.now
    let evaluation =
      entry.evaluationTimesteps > 0
      ? try Evaluation.run(model: model, entry: entry, seed: run.seed, timesteps: entry.evaluationTimesteps) : nil
    let timing = RunTiming(
      trainingSeconds: seconds, stepsPerSecond: seconds > 0 ? Double(model.timesteps) / seconds : .nan,
      evaluationSeconds: evaluation == nil ? 0 : (clock.now - evaluationStart).inSeconds,
      checkpoints: recorder.checkpoints)
    let tracker = model.episodes
    let tail = tracker.suffix(100)
    var summary = RunSummary(
      run: run, timesteps: model.timesteps, trainingEpisodes: tracker.count,
      lastHundredMeanReturn: tail.isEmpty ? .nan : tail.reduce(0) { $0 + $1.episodeReturn } / Double(tail.count),
      evaluation: evaluation, hyperparameters: try resolvedHyperparameters(entry))
    let bridge = bridgedEnvironment(in: environment)
    summary.workerRestarts = bridge?.restarts
    // Bridged runs mark the episodes a worker restart cut short (`interrupted` = 1).
    var episodesCSV = "timesteps,return,length,environment" + (bridge == nil ? "\n" : ",interrupted\n")
    for e in tracker {
      episodesCSV += "\(e.timesteps),\(csv(e.episodeReturn)),\(e.length),\(e.environmentIndex)"
      episodesCSV += bridge == nil ? "\n" : ",\(e.interrupted ? 1 : 0)\n"
    }
    bridge?.close()
    try store.commit(
      run: run,
      files: [
        "spec.json": try JSONCoding.encoder.encode(run),
        "configuration.json": try ModelFactory.configurationJSON(for: entry),
        "curve.csv": Data(recorder.csvText.utf8),
        "episodes.csv": Data(episodesCSV.utf8),
        "summary.json": try JSONCoding.encoder.encode(summary),
        "timing.json": try JSONCoding.encoder.encode(timing),
      ])
    return summary
  }

  /// The TensorBoard run of `run` under `tensorboard`:
  /// `<tensorboard>/<suite>/<env>/<algorithm>/seed-<n>_1` (SB2's `<tb_log_name>_1`), so that
  /// TensorBoard names it by its identifier.
  public static func tensorBoardRunFolder(of run: RunSpec, in tensorboard: URL) -> URL {
    tensorboard.appendingPathComponent("\(run.identifier)_1", isDirectory: true)
  }

  /// The `tensorboard_log` folder of `run`, with the TensorBoard runs of an earlier, interrupted
  /// attempt at it (`seed-<n>_*`) removed, so the run starts a fresh `seed-<n>_1`.
  static func prepareTensorBoardLog(for run: RunSpec, in tensorboard: URL, name: String) throws -> URL {
    let log = tensorBoardRunFolder(of: run, in: tensorboard).deletingLastPathComponent()
    let manager = FileManager.default
    for entry in (try? manager.contentsOfDirectory(atPath: log.path)) ?? [] where entry.hasPrefix(name + "_") {
      let digits = entry.dropFirst(name.count + 1)
      guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
      try manager.removeItem(at: log.appendingPathComponent(entry))
    }
    return log
  }

  /// The bridge's vector environment under `environment`'s wrappers (frame stack,
  /// normalisation), or `nil` for a native one.
  static func bridgedEnvironment(in environment: any VectorizedEnvironment) -> SubprocessVectorEnvironment? {
    var current: any VectorizedEnvironment = environment
    while true {
      switch current {
      case let bridge as SubprocessVectorEnvironment: return bridge
      case let stacked as FrameStackedVectorEnvironment: current = stacked.wrapped
      case let normalized as NormalizedVectorEnvironment: current = normalized.wrapped
      default: return nil
      }
    }
  }

  /// Every hyperparameter the run used, by SB2 name (nested values as compact JSON text).
  static func resolvedHyperparameters(_ entry: SuiteEntry) throws -> [String: HyperparameterValue] {
    let json = try ModelFactory.configurationJSON(for: entry)
    let object = try JSONCoding.decoder.decode([String: LooseJSON].self, from: json)
    return object.mapValues(\.hyperparameterValue)
  }
}

/// Any JSON value, reduced to a number or a string for the summary.
private enum LooseJSON: Decodable {
  case number(Double)
  case text(String)

  init(from decoder: any Decoder) throws {
    switch try JSONValue(from: decoder) {
    case .null: self = .text("null")
    case .bool(let b): self = .text(b ? "true" : "false")
    case .number(let n): self = .number(n)
    case .string(let s): self = .text(s)
    case let nested: self = .text(String(decoding: try JSONCoding.compactEncoder.encode(nested), as: UTF8.self))
    }
  }

  var hyperparameterValue: HyperparameterValue {
    switch self {
    case .number(let n): return .number(n)
    case .text(let s): return .string(s)
    }
  }
}

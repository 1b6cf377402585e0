import ActorCritic
import Environments
import Foundation
import GymnasiumBridge
import LinearAlgebra
import Randomness

#if canImport(Glibc)
  import Glibc
#endif

/// Trains and evaluates one run and writes its folder (design.md §5).
///
/// With checkpointing (``CheckpointSettings``), a run resumes from its last valid checkpoint
/// (`seed-<n>.checkpoint/` beside its folder), writes checkpoints while it trains, stops after
/// the current update on SIGTERM/SIGINT with a checkpoint, and deletes its checkpoints once its
/// folder is committed:
/// ```
/// resume?      newest checkpoint with a good checksum, of this run and build → restore model,
///              optimiser, streams, environment, curve; else the next older one; else the start
/// train        learn(total) from update k + 1; checkpoint every interval; stop on a signal
/// checkpoint   training complete (when the run is long enough to be worth it)
/// evaluate     stopped by a signal → exit; the rerun resumes at the evaluation
/// artifacts    on request (``RunArtifacts``): the final model's bytes; one episode of the final
///              policy on its own environment copy, as a PNG strip
/// commit       run folder (atomic, artifacts included), then the checkpoint folder is deleted
/// ```
public enum RunExecutor {
  /// Executes `run` and commits its files to `store`.
  ///
  /// - Parameters:
  ///   - tensorboard: a folder for TensorBoard runs (`bench run --tensorboard`): the run's
  ///     training summaries go to ``tensorBoardRunFolder(of:in:)``.
  ///   - checkpointing: checkpoint and resume settings; nil trains from the start with no
  ///     checkpoint and no signal handling (`bench regress`, the library's tests).
  ///   - artifacts: the files written only on request (`model.acbm`, `episode.png`).
  ///   - progress: called with the training steps done so far, about 200 times per run, then with
  ///     the evaluation's steps every 1,024 (``RunProgress``).
  /// - Throws: ``BenchmarkError`` when the run cannot be built, training stops on a non-finite
  ///   loss (the run's folder is then not written, so a resume redoes it), or a stop signal
  ///   interrupted it (``BenchmarkError/interrupted(run:signal:state:)``), or an artifact cannot be
  ///   made (``BenchmarkError/runFailed(run:reason:)``; the folder is then not written).
  @discardableResult
  public static func execute(
    _ run: RunSpec, store: ResultsStore, tensorboard: URL? = nil, checkpointing: CheckpointSettings? = nil,
    artifacts: RunArtifacts = RunArtifacts(), progress: ((RunProgress) -> Void)? = nil
  ) throws -> RunSummary {
    let entry = run.entry
    let trainingProgress = progress.map { report in { (steps: Int) in report(.training(steps: steps)) } }
    var environment = try ModelFactory.makeEnvironment(for: entry, seed: run.seed)
    var model = try ModelFactory.makeModel(for: entry, seed: run.seed, environment: environment)
    var recorder = CurveRecorder(totalTimesteps: entry.timesteps, progress: trainingProgress)
    var checkpointer: Checkpointer?
    var checkpointStore: CheckpointStore?
    var trainingComplete = false
    var resumedFrom: RunCheckpoint.Header?
    if let settings = checkpointing {
      let folder = try CheckpointStore(store: store, run: run)
      checkpointStore = folder
      folder.removeLeftovers()
      var restarts: [EpisodeRestart] = []
      func checkpointable(_ model: any ActorCriticModel) -> (any CheckpointableModel)? {
        environment is any CheckpointableVectorEnvironment ? model as? any CheckpointableModel : nil
      }
      if let resumable = checkpointable(model) {
        if let checkpoint = try folder.latestValid(for: run, report: settings.log) {
          do {
            let resumed = try restore(checkpoint, into: resumable, recorder: recorder, run: run)
            restarts = resumed.restarts
            trainingComplete = checkpoint.header.trainingComplete
            resumedFrom = checkpoint.header
            settings.log(
              "Resuming \(run.identifier) from its checkpoint after update \(checkpoint.header.updates) "
                + "(\(RunLimits.grouped(checkpoint.header.timesteps)) of \(RunLimits.grouped(entry.timesteps)) steps"
                + (trainingComplete ? ", training complete" : "") + ").\n")
            if let reason = resumed.restartReason {
              settings.log(
                "Warning: \(run.identifier): \(reason); the episodes in progress restart with derived seeds, so this "
                  + "run is not bit-identical to an uninterrupted one (recorded in summary.json, episodeRestarts).\n")
            }
            settings.onResume?(checkpoint.header.timesteps)
          } catch {
            settings.log(
              "Checkpoint \(folder.folder.path) after update \(checkpoint.header.updates) does not fit this run "
                + "(\(error)); the run starts from its beginning.\n")
            environment = try ModelFactory.makeEnvironment(for: entry, seed: run.seed)
            model = try ModelFactory.makeModel(for: entry, seed: run.seed, environment: environment)
            recorder = CurveRecorder(totalTimesteps: entry.timesteps, progress: trainingProgress)
            restarts = []
            trainingComplete = false
            resumedFrom = nil
          }
        }
      } else if settings.interval != .off {
        settings.log(
          "Note: \(run.identifier) cannot be checkpointed (its environment has no state capture); "
            + "a stop signal still ends it after the current update, and it restarts from its beginning.\n")
      }
      // Without state capture the checkpointer only watches for the stop signal.
      checkpointer = Checkpointer(
        model: checkpointable(model), recorder: recorder, store: folder, run: run, interval: settings.interval,
        stop: settings.stop, episodeRestarts: restarts, log: settings.log)
      if let header = resumedFrom {
        checkpointer?.markResumed(updates: header.updates, timesteps: header.timesteps, complete: header.trainingComplete)
      }
    }
    var arithmetic: RunTiming.Arithmetic?
    if !trainingComplete {
      let callback: any TrainingCallback = checkpointer.map { CallbackList([recorder, $0]) } ?? recorder
      do {
        let tbLogName = "seed-\(run.seed)"
        if let tensorboard {
          model.tensorboardLog = try prepareTensorBoardLog(for: run, in: tensorboard, name: tbLogName)
        }
        let counter = FlopCounter(), secondsBefore = recorder.elapsedSeconds
        try counter.counting {
          try model.learn(
            totalTimesteps: entry.timesteps, callback: callback, logInterval: 100, tbLogName: tbLogName,
            resetNumTimesteps: true)
        }
        arithmetic = RunTiming.Arithmetic(
          floatingPointOperations: counter.operations, trainingSeconds: recorder.elapsedSeconds - secondsBefore)
      } catch {
        throw BenchmarkError.runFailed(run: run.identifier, reason: "\(error)")
      }
      if let checkpointer, let signal = checkpointer.interruptedBy {
        throw interruption(run, signal: signal, checkpointer: checkpointer)
      }
      if let checkpointer, checkpointer.wantsFinalCheckpoint { checkpointer.writeFinal() }
    }
    let seconds = recorder.elapsedSeconds
    let clock = ContinuousClock()
    let evaluationStart = clock.now
    let evaluation: EvaluationResult?
    if entry.evaluationTimesteps > 0 {
      FaultInjection.evaluationStarted()
      let stop = checkpointing?.stop
      do {
        evaluation = try Evaluation.run(
          model: model, entry: entry, seed: run.seed, timesteps: entry.evaluationTimesteps,
          isCancelled: { stop?.received != nil },
          progress: { progress?(.evaluating(steps: $0, of: entry.evaluationTimesteps)) })
      } catch is EvaluationCancelled {
        let signal = stop?.received ?? SIGTERM
        guard let checkpointer else { throw interruption(run, signal: signal, checkpointer: nil) }
        checkpointer.writeFinal()
        throw interruption(run, signal: signal, checkpointer: checkpointer)
      }
    } else {
      evaluation = nil
    }
    var timing = RunTiming(
      trainingSeconds: seconds, stepsPerSecond: seconds > 0 ? Double(model.timesteps) / seconds : .nan,
      evaluationSeconds: evaluation == nil ? 0 : (clock.now - evaluationStart).inSeconds,
      checkpoints: recorder.checkpoints)
    if let cost = checkpointer?.cost, cost.count > 0 { timing.checkpointing = cost }
    timing.arithmetic = arithmetic
    let tracker = model.episodes
    var summary = RunSummary(
      run: run, timesteps: model.timesteps, trainingEpisodes: tracker.count,
      lastHundredMeanReturn: RunSummary.lastHundredMean(of: tracker),
      evaluation: evaluation, hyperparameters: try resolvedHyperparameters(entry))
    if let restarts = checkpointer?.episodeRestarts, !restarts.isEmpty { summary.episodeRestarts = restarts }
    let bridge = bridgedEnvironment(in: environment)
    summary.workerRestarts = bridge?.restarts
    // Bridged runs mark the episodes a worker restart cut short (`interrupted` = 1).
    var episodesCSV = "timesteps,return,length,environment" + (bridge == nil ? "\n" : ",interrupted\n")
    for e in tracker {
      episodesCSV += "\(e.timesteps),\(csv(e.episodeReturn)),\(e.length),\(e.environmentIndex)"
      episodesCSV += bridge == nil ? "\n" : ",\(e.interrupted ? 1 : 0)\n"
    }
    bridge?.close()
    var files = [
      "spec.json": try JSONCoding.encoder.encode(run),
      "configuration.json": try ModelFactory.configurationJSON(for: entry),
      "curve.csv": Data(recorder.csvText.utf8),
      "episodes.csv": Data(episodesCSV.utf8),
      "summary.json": try JSONCoding.encoder.encode(summary),
    ]
    try files.merge(makeArtifacts(artifacts, of: run, model: model, timing: &timing)) { $1 }
    files["timing.json"] = try JSONCoding.encoder.encode(timing)
    try store.commit(run: run, files: files)
    checkpointStore?.remove()
    return summary
  }

  /// The requested artifacts of a finished run, by file name: the model's bytes
  /// (``ActorCriticModel/archiveData()``), then its episode strip — one episode of the final
  /// policy, stochastic as in the evaluation, on a copy of the run's environment seeded
  /// ``EpisodeRecorder/seeds(forRun:)`` with the training normalisation statistics frozen.
  /// Records the seconds each took in `timing`.
  /// - Throws: ``BenchmarkError/runFailed(run:reason:)`` saying which file could not be made.
  static func makeArtifacts(
    _ artifacts: RunArtifacts, of run: RunSpec, model: any ActorCriticModel, timing: inout RunTiming
  ) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let clock = ContinuousClock()
    if artifacts.saveModel {
      let start = clock.now
      do { files[RunArtifacts.modelFileName] = try model.archiveData() } catch {
        throw BenchmarkError.runFailed(run: run.identifier, reason: "saving \(RunArtifacts.modelFileName): \(error)")
      }
      timing.modelSavingSeconds = (clock.now - start).inSeconds
    }
    if let settings = artifacts.episode {
      let start = clock.now
      defer { timing.episodeRecordingSeconds = (clock.now - start).inSeconds }
      do {
        let episode = try EpisodeRecorder.record(
          environment: run.entry.environment, seeds: EpisodeRecorder.seeds(forRun: run.seed),
          actor: .model(model, deterministic: false, name: "the final \(run.entry.algorithm.rawValue) model of \(run.identifier)"),
          normalization: model.environment?.normalizationStatistics, maximumSteps: settings.steps, every: settings.every)
        files[RunArtifacts.episodeFileName] = Data(
          try EpisodeStrip.pngData(of: episode, columns: RunArtifacts.episodeColumns))
      } catch {
        throw BenchmarkError.runFailed(run: run.identifier, reason: "recording \(RunArtifacts.episodeFileName): \(error)")
      }
    }
    return files
  }

  /// Restores `checkpoint` into a fresh model (with its fresh environment) and recorder.
  /// - Returns: the episode restarts so far, including this resume's when the environment's state
  ///   was not captured (then `restartReason` says why).
  static func restore(
    _ checkpoint: RunCheckpoint, into model: any CheckpointableModel, recorder: CurveRecorder, run: RunSpec
  ) throws -> (restarts: [EpisodeRestart], restartReason: String?) {
    let header = checkpoint.header
    var reader = BinaryStateReader(checkpoint.model)
    // Copies whose state was not captured restart from streams of their own, derived from the
    // run seed and the update the run resumes after (never the streams of the first session).
    let restartSeeds = SeedSequence(
      runSeed: SeedSequence.splitMix64(UInt64(run.seed) ^ SeedSequence.splitMix64(UInt64(header.updates) &+ 0x7E57_A127)))
    let resumed = try model.restoreCheckpoint(from: &reader, restartSeeds: restartSeeds)
    guard resumed.totalTimesteps == run.entry.timesteps, resumed.updates == header.updates else {
      throw CheckpointError.mismatch(
        field: "resume point",
        reason: "update \(resumed.updates) of \(resumed.totalTimesteps) steps, header says update \(header.updates) "
          + "of \(run.entry.timesteps)")
    }
    try recorder.restoreState(Array(checkpoint.curve))
    var restarts = header.episodeRestarts
    var reason: String?
    if case .restartsEpisodes(let why) = resumed.environmentFidelity {
      restarts.append(EpisodeRestart(timesteps: header.timesteps, update: header.updates, reason: why))
      reason = why
    }
    return (restarts, reason)
  }

  /// The error that ends an interrupted run, saying what was saved.
  private static func interruption(_ run: RunSpec, signal: Int32, checkpointer: Checkpointer?) -> BenchmarkError {
    let state: String
    if let checkpointer, checkpointer.interval != .off, checkpointer.last != nil {
      state = "checkpointed \(checkpointer.lastDescription); run the same command again to resume it"
    } else {
      state = "not checkpointed (--checkpoint-every off or no checkpoint yet); it restarts from its beginning"
    }
    return .interrupted(run: run.identifier, signal: StopSignal.name(signal), state: state)
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

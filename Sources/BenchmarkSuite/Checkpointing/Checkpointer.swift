import ActorCritic
import Foundation

/// The training callback that writes a run's checkpoints: after an update when the interval has
/// elapsed, and after the current update when a stop signal (SIGTERM/SIGINT) arrived, which then
/// stops training. Placed after the ``CurveRecorder`` in the callback list, so a checkpoint holds
/// the recorder's state including the update just done.
///
/// A checkpoint that cannot be written (disk full) is reported and training goes on: a lost
/// checkpoint costs a longer redo, never the run. Without a model (the run's environment cannot
/// be captured) it only stops training on a signal.
final class Checkpointer: TrainingCallback {
  private let model: (any CheckpointableModel)?
  private let recorder: CurveRecorder
  private let store: CheckpointStore
  private let run: RunSpec
  let interval: CheckpointInterval
  private let stop: StopSignal?
  private let log: (String) -> Void
  /// Resumes that restarted episodes so far (written into every checkpoint).
  let episodeRestarts: [EpisodeRestart]

  private let clock = ContinuousClock()
  private var lastWrite = ContinuousClock.now
  private var updatesSinceWrite = 0
  private var lastContext: TrainingContext?

  /// The signal that stopped training, if one did.
  private(set) var interruptedBy: Int32?
  /// What the last checkpoint held: (updates, timesteps, complete).
  private(set) var last: (updates: Int, timesteps: Int, complete: Bool)?
  /// Checkpoints written by this process, their latest size and their total encode + write time.
  private(set) var cost = RunTiming.CheckpointCost(count: 0, lastBytes: 0, totalSeconds: 0)

  init(
    model: (any CheckpointableModel)?, recorder: CurveRecorder, store: CheckpointStore, run: RunSpec,
    interval: CheckpointInterval, stop: StopSignal?, episodeRestarts: [EpisodeRestart], log: @escaping (String) -> Void
  ) {
    self.model = model
    self.recorder = recorder
    self.store = store
    self.run = run
    self.interval = interval
    self.stop = stop
    self.episodeRestarts = episodeRestarts
    self.log = log
  }

  func onTrainingStart(_ context: TrainingContext) {
    lastWrite = clock.now
    lastContext = context
  }

  func onUpdate(_ context: TrainingContext) -> Bool {
    lastContext = context
    updatesSinceWrite += 1
    if let signal = stop?.received {
      interruptedBy = signal
      if interval != .off { write(context, complete: false) }
      return false
    }
    guard model != nil else { return true }
    let due: Bool
    switch interval {
    case .off: due = false
    case .updates(let n): due = updatesSinceWrite >= n
    case .wallClock(let seconds): due = clock.now - lastWrite >= .seconds(seconds)
    }
    if due { write(context, complete: false) }
    return true
  }

  func onTrainingEnd(_ context: TrainingContext) { lastContext = context }

  /// Whether the finished training is worth a checkpoint before the evaluation: the run is long
  /// (it wrote one already, or trained longer than the interval) or checkpoints by updates.
  var wantsFinalCheckpoint: Bool {
    guard model != nil else { return false }
    switch interval {
    case .off: return false
    case .updates: return true
    case .wallClock(let seconds): return last != nil || recorder.elapsedSeconds >= Double(seconds)
    }
  }

  /// Writes the checkpoint of finished training (only the evaluation left), unless one is there.
  func writeFinal() {
    guard interval != .off, last?.complete != true, let context = lastContext else { return }
    write(context, complete: true)
  }

  /// Notes the checkpoint the run resumed from (it stays the last one until a new one is written).
  func markResumed(updates: Int, timesteps: Int, complete: Bool) { last = (updates, timesteps, complete) }

  private func write(_ context: TrainingContext, complete: Bool) {
    guard let model else { return }
    let start = clock.now
    do {
      let captured = try model.captureCheckpoint(updates: context.updates, totalTimesteps: run.entry.timesteps)
      let blocks = try RunCheckpoint.encode(
        header: RunCheckpoint.Header(
          run: run, build: RunCheckpoint.currentBuild, updates: context.updates, timesteps: context.timesteps,
          totalTimesteps: run.entry.timesteps, trainingComplete: complete,
          environmentExact: captured.environmentFidelity == .exact, episodeRestarts: episodeRestarts,
          trainingSeconds: recorder.elapsedSeconds, payloadBytes: 0),
        model: captured.state, curve: recorder.captureState())
      try store.write(blocks, update: context.updates)
      cost.count += 1
      cost.lastBytes = blocks.reduce(0) { $0 + $1.count }
      cost.totalSeconds += (clock.now - start).inSeconds
      last = (context.updates, context.timesteps, complete)
      lastWrite = clock.now
      updatesSinceWrite = 0
      FaultInjection.checkpointWritten()
    } catch {
      log("Warning: cannot write a checkpoint of \(run.identifier) after update \(context.updates): \(error); training goes on.\n")
      lastWrite = clock.now
      updatesSinceWrite = 0
    }
  }

  /// `after update 300 (12,000 of 60,000 steps; 48 KB in 3 ms)`.
  var lastDescription: String {
    guard let last else { return "no checkpoint" }
    let size = Format.bytes(cost.lastBytes)
    let milliseconds = cost.count > 0 ? cost.totalSeconds / Double(cost.count) * 1000 : 0
    return "after update \(last.updates) (\(RunLimits.grouped(last.timesteps)) of \(RunLimits.grouped(run.entry.timesteps)) steps; "
      + "\(size), \(String(format: "%.0f", milliseconds)) ms per checkpoint)"
  }
}

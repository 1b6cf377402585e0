import Foundation

/// Where each run of a plan stands in a results folder (`bench status`): what a cluster user
/// needs to see what is left.
///
/// ```
/// complete       runs/<…>/seed-<n>/summary.json exists
/// checkpointed   runs/<…>/seed-<n>.checkpoint/ holds a checkpoint (newest one's header:
///                steps, update, training time and pace, size, time); a damaged header is shown
///                as such
/// missing        neither (never started, or interrupted before its first checkpoint)
/// ```
public struct RunStatus: Sendable {
  /// What is on disk for a run.
  public enum State: Sendable, Equatable {
    case complete
    case checkpointed(Checkpoint)
    case missing
  }

  /// The newest checkpoint of a run.
  public struct Checkpoint: Sendable, Equatable {
    /// Environment steps trained, of the run's budget.
    public var timesteps: Int
    public var totalTimesteps: Int
    /// Updates done.
    public var updates: Int
    /// Only the evaluation is left.
    public var trainingComplete: Bool
    /// File size.
    public var bytes: Int
    /// When it was written.
    public var modified: Date?
    /// Why its header cannot be read (nil when it can).
    public var damage: String?
    /// The newest learning-curve row's mean return of the last 100 training episodes, and the
    /// episodes finished by then (nil when the curve has no row yet or cannot be read).
    public var lastHundred: LastHundred? = nil
    /// Wall-clock training seconds so far, every session's (nil when the header cannot be read).
    public var trainingSeconds: Double? = nil

    /// The training time so far, the rate over it and, at that rate, the training time left; nil
    /// before any training time was recorded or once training is done.
    public var pace: (seconds: Double, stepsPerSecond: Double, secondsLeft: Double)? {
      guard let trainingSeconds, trainingSeconds > 0, timesteps > 0, !trainingComplete else { return nil }
      let rate = Double(timesteps) / trainingSeconds
      return (trainingSeconds, rate, Double(max(totalTimesteps - timesteps, 0)) / rate)
    }
  }

  /// A learning curve's latest last-100 mean return, after how many episodes.
  public struct LastHundred: Sendable, Equatable {
    public var meanReturn: Double
    public var episodes: Int
  }

  public var run: RunSpec
  public var state: State

  /// The status of every run of `plan` in `store`, in the plan's order.
  public static func of(_ plan: RunPlan, in store: ResultsStore) -> [RunStatus] {
    plan.runs.map { run in
      if store.isComplete(run) { return RunStatus(run: run, state: .complete) }
      guard let checkpoints = try? CheckpointStore(store: store, run: run), let newest = checkpoints.files().first else {
        return RunStatus(run: run, state: .missing)
      }
      let attributes = try? FileManager.default.attributesOfItem(atPath: newest.url.path)
      var checkpoint = Checkpoint(
        timesteps: 0, totalTimesteps: run.entry.timesteps, updates: newest.update, trainingComplete: false,
        bytes: (attributes?[.size] as? NSNumber)?.intValue ?? 0, modified: attributes?[.modificationDate] as? Date,
        damage: nil)
      do {
        let header = try RunCheckpoint.readHeader(at: newest.url)
        checkpoint.timesteps = header.timesteps
        checkpoint.updates = header.updates
        checkpoint.trainingComplete = header.trainingComplete
        checkpoint.trainingSeconds = header.trainingSeconds
        if header.run != run {
          checkpoint.damage = "of other settings (\(RunSpec.differences(header.run, run).joined(separator: "; ")))"
        } else if header.build != RunCheckpoint.currentBuild {
          checkpoint.damage = "written by another build (\(header.build)), which bench run of this build will not resume"
        }
      } catch {
        checkpoint.damage = "\(error)"
      }
      if checkpoint.damage == nil { checkpoint.lastHundred = latestLastHundred(at: newest.url) }
      return RunStatus(run: run, state: .checkpointed(checkpoint))
    }
  }

  /// The newest curve row's last-100 mean return and episode count in the checkpoint at `url`
  /// (``CurveRecorder/header``: `episodes`, `mean_return_last100`); nil without a finite one.
  static func latestLastHundred(at url: URL) -> LastHundred? {
    guard let bytes = try? RunCheckpoint.readCurveSection(at: url), let row = try? CurveRecorder.savedRows(bytes).last,
      let episodes = Int(row[CurveRecorder.header.firstIndex(of: "episodes")!]),
      let mean = Double(row[CurveRecorder.header.firstIndex(of: "mean_return_last100")!]), mean.isFinite
    else { return nil }
    return LastHundred(meanReturn: mean, episodes: episodes)
  }

  /// The table `bench status` prints, and its closing count line.
  public static func report(_ statuses: [RunStatus]) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
    let rows: [[String]] = statuses.map { status in
      switch status.state {
      case .complete: return [status.run.identifier, "complete", ""]
      case .missing: return [status.run.identifier, "missing", ""]
      case .checkpointed(let c):
        if let damage = c.damage { return [status.run.identifier, "checkpointed", "unusable checkpoint: \(damage)"] }
        let percent = c.totalTimesteps > 0 ? 100 * c.timesteps / c.totalTimesteps : 0
        let detail =
          "\(RunLimits.grouped(c.timesteps))/\(RunLimits.grouped(c.totalTimesteps)) steps (\(percent)%)"
          + (c.trainingComplete ? ", training done, evaluation left" : ", update \(c.updates)")
          + (c.lastHundred.map {
            ", last-100 return \(Format.fixed($0.meanReturn, Format.digits(for: $0.meanReturn))) after \($0.episodes) episodes"
          } ?? "")
          + (c.pace.map {
            ", trained \(Format.duration($0.seconds)) at \(RunLimits.grouped(Int($0.stepsPerSecond.rounded()))) "
              + "steps/s, ≈ \(Format.duration($0.secondsLeft)) of training left at that rate"
          } ?? "")
          + ", \(Format.bytes(c.bytes))" + (c.modified.map { ", written \(formatter.string(from: $0)) UTC" } ?? "")
        return [status.run.identifier, "checkpointed", detail]
      }
    }
    let all = [["run", "state", "progress"]] + rows
    let widths = (0..<2).map { column in all.map { $0[column].count }.max() ?? 0 }
    let table = all.map { row in
      (row[0].padding(toLength: widths[0], withPad: " ", startingAt: 0) + "  "
        + row[1].padding(toLength: widths[1], withPad: " ", startingAt: 0) + "  " + row[2])
        .trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
    let complete = statuses.filter { $0.state == .complete }.count
    let missing = statuses.filter { $0.state == .missing }.count
    let checkpointed = statuses.count - complete - missing
    return table + "\n\(statuses.count) runs: \(complete) complete, \(checkpointed) checkpointed, \(missing) missing.\n"
  }
}

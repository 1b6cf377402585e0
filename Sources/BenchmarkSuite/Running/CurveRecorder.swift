import ActorCritic
import Foundation

/// Records a learning curve at about `points` evenly spaced checkpoints (`curve.csv`), and the
/// elapsed time at each (``RunTiming/checkpoints``).
///
/// Each row averages the updates since the previous row, so the file stays small (a few hundred
/// rows) whatever the budget. The last row is the end of training, so the curve ends where the
/// summary does. Every column is a pure function of the run (design.md §3): `bench regress`
/// compares the file byte for byte. Wall-clock time goes to `timing.json` instead.
final class CurveRecorder: TrainingCallback {
  static let header = [
    "timesteps", "updates", "episodes", "mean_return_last100", "mean_length_last100", "policy_loss", "value_loss",
    "entropy", "explained_variance", "learning_rate",
  ]

  let interval: Int
  var nextCheckpoint: Int
  var rows: [[String]] = []
  var sums = [Double](repeating: 0, count: 5)
  var count = 0
  var lastRowTimesteps = 0
  private let progress: ((Int) -> Void)?
  private let clock = ContinuousClock()
  private var start: ContinuousClock.Instant?
  /// Training seconds of earlier sessions of a run resumed from a checkpoint.
  var resumedSeconds = 0.0
  /// The elapsed training time at each row.
  var checkpoints: [RunTiming.Checkpoint] = []

  init(totalTimesteps: Int, points: Int = 200, progress: ((Int) -> Void)? = nil) {
    interval = max(1, totalTimesteps / points)
    nextCheckpoint = interval
    self.progress = progress
  }

  func onTrainingStart(_ context: TrainingContext) { start = clock.now }

  func onUpdate(_ context: TrainingContext) -> Bool {
    guard let m = context.latestMetrics else { return true }
    sums[0] += m.policyLoss
    sums[1] += m.valueLoss
    sums[2] += m.entropy
    sums[3] += m.explainedVariance.isFinite ? m.explainedVariance : 0
    sums[4] += m.learningRate
    count += 1
    if context.timesteps >= nextCheckpoint {
      appendRow(context, m)
      while nextCheckpoint <= context.timesteps { nextCheckpoint += interval }
      progress?(context.timesteps)
    }
    return true
  }

  /// Writes the updates since the last checkpoint as the final row.
  func onTrainingEnd(_ context: TrainingContext) {
    guard count > 0, context.timesteps > lastRowTimesteps, let m = context.latestMetrics else { return }
    appendRow(context, m)
    progress?(context.timesteps)
  }

  private func appendRow(_ context: TrainingContext, _ m: UpdateMetrics) {
    let n = Double(count)
    rows.append([
      String(context.timesteps), String(context.updates), String(context.episodes), csv(m.meanEpisodeReturn),
      csv(m.meanEpisodeLength), csv(sums[0] / n), csv(sums[1] / n), csv(sums[2] / n), csv(sums[3] / n),
      csv(sums[4] / n),
    ])
    checkpoints.append(RunTiming.Checkpoint(timesteps: context.timesteps, elapsedSeconds: elapsedSeconds))
    sums = [Double](repeating: 0, count: 5)
    count = 0
    lastRowTimesteps = context.timesteps
  }

  /// Seconds since training started.
  var elapsedSeconds: Double {
    guard let start else { return resumedSeconds }
    return resumedSeconds + (clock.now - start).inSeconds
  }

  /// The CSV text.
  var csvText: String {
    ([Self.header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
  }
}

/// Shortest round-trip decimal form (`Double.description`), `nan` for NaN.
func csv(_ x: Double) -> String { x.isNaN ? "nan" : "\(x)" }

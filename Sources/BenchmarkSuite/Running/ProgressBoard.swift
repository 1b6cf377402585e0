import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Progress across runs: runs done/total, aggregate steps/s and an ETA, and each run in
/// progress with its own share done (of training, then of its evaluation), on one line.
///
/// ```
/// rate      = (training steps done − steps restored from checkpoints) / elapsed   (all jobs together)
/// eᵢ        = (budgetᵢ − stepsᵢ) / (stepsᵢ / time since evaluation i began)      (each evaluation in
///             progress that has a rate, i.e. past its first report)
/// ETA       = max(maxᵢ eᵢ, (total training steps − training steps done) / rate + Σᵢ eᵢ / jobs)
/// ```
/// so a session that resumes runs from their checkpoints does not count their earlier steps as
/// its speed, and a run whose training is done does not show an ETA of zero while its evaluation
/// (minutes for the zoo's 150,000 Pong steps) still runs; with `--jobs N` the evaluations share the
/// N processes with training and with each other, so their time is spread over the jobs but no
/// shorter than the longest. Evaluations of runs still training are not foreseen, except that
/// `rate` includes the evaluations of runs already finished: the ETA is a guide, not a bound.
final class ProgressBoard: @unchecked Sendable {
  private let lock = NSLock()
  private let total: Int
  private let totalSteps: Int
  private let output: (String) -> Void
  private var stepsByRun: [String: Int] = [:]
  private var budgetByRun: [String: Int] = [:]
  /// The evaluations in progress: steps done, budget, and when the run's first report came.
  private var evaluationByRun: [String: (steps: Int, budget: Int, began: ContinuousClock.Instant)] = [:]
  private var finishedSteps = 0
  private var restoredSteps = 0
  private(set) var completed = 0
  private(set) var failures: [String] = []
  private(set) var interruptions: [String] = []
  private let start = ContinuousClock.now
  private var lastPrint = ContinuousClock.now
  /// Whether output goes to a terminal: the line is rewritten in place (`\r`, erase line).
  private let interactive: Bool
  /// The least time between two progress lines.
  private let interval: Duration
  /// The runs in progress at once (`bench run --jobs`).
  private let jobs: Int

  /// - Parameters:
  ///   - jobs: the runs in progress at once, for the ETA.
  ///   - interval: the least time between two progress lines; nil: 250 ms on a terminal, 10 s
  ///     otherwise (a log file gets a line per 10 s, not a line per report).
  ///   - interactive: rewrite one line in place; nil: when standard error is a terminal.
  init(
    total: Int, totalSteps: Int, jobs: Int = 1, interval: Duration? = nil, interactive: Bool? = nil,
    output: @escaping (String) -> Void
  ) {
    self.total = total
    self.totalSteps = totalSteps
    self.jobs = max(1, jobs)
    self.output = output
    let terminal = interactive ?? (isatty(2) != 0)
    self.interactive = terminal
    self.interval = interval ?? .milliseconds(terminal ? 250 : 10_000)
    if total > 0 { output("Running \(total) runs (\(formatCount(totalSteps)) environment steps).\n") }
  }

  func started(_ run: RunSpec) {
    lock.withLock {
      stepsByRun[run.identifier] = 0
      budgetByRun[run.identifier] = run.entry.timesteps
    }
  }

  /// A run resumed from a checkpoint with `steps` already trained.
  func resumed(_ run: RunSpec, steps: Int) {
    lock.withLock {
      stepsByRun[run.identifier] = steps
      restoredSteps += steps
    }
  }

  /// A run stopped by a signal: not complete, not failed; `message` says what it saved.
  func interrupted(_ run: RunSpec, message: String) {
    lock.withLock {
      stepsByRun[run.identifier] = nil
      budgetByRun[run.identifier] = nil
      evaluationByRun[run.identifier] = nil
      interruptions.append(message)
    }
  }

  /// A run that was never started (the session was stopped first).
  func abandoned(_ run: RunSpec) {
    lock.withLock {
      stepsByRun[run.identifier] = nil
      budgetByRun[run.identifier] = nil
      evaluationByRun[run.identifier] = nil
    }
  }

  /// Prints a message on its own line (clearing the progress line first on a terminal).
  func message(_ text: String) { lock.withLock { output((interactive ? "\r\u{1B}[K" : "") + text) } }

  func progress(_ run: RunSpec, _ report: RunProgress) {
    lock.withLock {
      switch report {
      case .training(let steps):
        stepsByRun[run.identifier] = steps
      case .evaluating(let steps, let budget):
        // Training is over: its steps count in full (the last update may pass the budget).
        stepsByRun[run.identifier] = max(stepsByRun[run.identifier] ?? 0, run.entry.timesteps)
        let began = evaluationByRun[run.identifier]?.began ?? .now
        evaluationByRun[run.identifier] = (steps, budget, began)
      }
      let now = ContinuousClock.now
      if now - lastPrint >= interval {
        lastPrint = now
        render(final: false)
      }
    }
  }

  func finished(_ run: RunSpec, error: String?) {
    lock.withLock {
      stepsByRun[run.identifier] = nil
      budgetByRun[run.identifier] = nil
      evaluationByRun[run.identifier] = nil
      finishedSteps += run.entry.timesteps
      if let error { failures.append(error) } else { completed += 1 }
      render(final: false)
      if let error { output((interactive ? "\n" : "") + "failed: \(error)\n") }
    }
  }

  func close() { lock.withLock { if total > 0 { render(final: true) } } }

  private func render(final: Bool) {
    let now = ContinuousClock.now
    let done = finishedSteps + stepsByRun.values.reduce(0, +)
    let seconds = (now - start).inSeconds
    let rate = seconds > 0 ? Double(max(0, done - restoredSteps)) / seconds : 0
    let training = done >= totalSteps ? 0 : rate > 0 ? Double(totalSteps - done) / rate : .nan
    let evaluations = evaluationByRun.values.compactMap { evaluation -> Double? in
      let seconds = (now - evaluation.began).inSeconds
      guard evaluation.steps > 0, seconds > 0 else { return nil }  // no rate yet
      return Double(evaluation.budget - evaluation.steps) / (Double(evaluation.steps) / seconds)
    }
    let remaining = Self.estimatedSeconds(training: training, evaluations: evaluations, jobs: jobs)
    let running = stepsByRun.keys.sorted().compactMap { id -> String? in
      let name = id.split(separator: "/").dropFirst().joined(separator: "/")
      if let evaluation = evaluationByRun[id], evaluation.budget > 0 {
        return "\(name) evaluating \(100 * evaluation.steps / evaluation.budget)%"
      }
      guard let steps = stepsByRun[id], let budget = budgetByRun[id], budget > 0 else { return nil }
      return "\(name) \(100 * steps / budget)%"
    }
    let line =
      "[\(completed + failures.count)/\(total) runs] \(formatCount(done))/\(formatCount(totalSteps)) steps · "
      + "\(formatCount(Int(rate))) steps/s · elapsed \(formatDuration(seconds))"
      + (final ? "" : " · ETA \(remaining.isFinite ? formatDuration(remaining) : "…")")
      + (final || running.isEmpty ? "" : " · " + running.joined(separator: ", "))
    output(interactive ? "\r\u{1B}[K" + line + (final ? "\n" : "") : line + "\n")
  }

  /// The ETA of the type's formula: `max(maxᵢ eᵢ, training + Σᵢ eᵢ / jobs)`; NaN when the
  /// training term is unknown (no rate yet).
  static func estimatedSeconds(training: Double, evaluations: [Double], jobs: Int) -> Double {
    guard !training.isNaN else { return .nan }  // Swift's max would drop a NaN argument
    return max(evaluations.max() ?? 0, training + evaluations.reduce(0, +) / Double(max(1, jobs)))
  }
}

/// How far one run has got: its training steps, then its evaluation's.
///
/// ```
/// training(steps)          steps ≥ 0, about 200 reports per run; the last may pass entry.timesteps
///                          by less than one update (the budget is not a multiple of envs × n_steps)
/// evaluating(steps, of: n) steps ∈ [0, n], n = entry.evaluationTimesteps, a report every 1,024 steps
/// ```
/// The evaluation is reported on its own because it can take minutes after training has reached
/// 100% (the zoo's 150,000 single-environment steps of Pong through the bridge).
public enum RunProgress: Sendable, Equatable {
  case training(steps: Int)
  case evaluating(steps: Int, of: Int)
}

extension RunProgress {
  /// The line a `bench run-one` child writes on standard output for its parent `bench run --jobs N`:
  /// `progress <steps>` or `evaluating <steps> <budget>`.
  public var line: String {
    switch self {
    case .training(let steps): "progress \(steps)"
    case .evaluating(let steps, let budget): "evaluating \(steps) \(budget)"
    }
  }

  /// Parses ``line``; nil for any other line (the child's other messages).
  public init?(line: some StringProtocol) {
    let words = line.split(separator: " ", omittingEmptySubsequences: false)
    switch (words.first, words.count) {
    case ("progress", 2):
      guard let steps = Int(words[1]), steps >= 0 else { return nil }
      self = .training(steps: steps)
    case ("evaluating", 3):
      guard let steps = Int(words[1]), let budget = Int(words[2]), steps >= 0, budget >= steps else { return nil }
      self = .evaluating(steps: steps, of: budget)
    default:
      return nil
    }
  }
}

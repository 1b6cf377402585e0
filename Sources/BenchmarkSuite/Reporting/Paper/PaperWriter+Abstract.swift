import Environments
import Foundation
import Statistics

/// The abstract: what was run, how much, and the headline verdicts and aggregates.
extension PaperWriter {
  // MARK: Abstract

  var abstract: String {
    let runs = catalog.runs.count
    let steps = catalog.runs.reduce(0) { $0 + $1.summary.timesteps }
    let seconds = Self.trainingSeconds(catalog.runs)
    var text =
      "## Abstract\n\nWe reimplement the synchronous actor-critic family (A2C, ACKTR with K-FAC, and ACER) "
      + "in Swift with the semantics of stable-baselines 2.10, and train each algorithm with "
      + "\(hyperparameterSourceText), at the budgets of the `\(catalog.suite)` suite, on "
      + "\(catalog.environments.count) environment"
      + "\(catalog.environments.count == 1 ? "" : "s") (\(catalog.environments.joined(separator: ", "))), "
      + "\(seedText) per (environment, algorithm): \(runs) runs, \(Format.steps(steps)) environment steps, "
      + (seconds.map { "\(Format.duration($0)) of \(threadingText) in total." } ?? "\(threadingText).")
    let comparable = comparisons.filter { $0.verdict != .notComparable }
    if comparable.isEmpty {
      text +=
        " None of the runs used the training budget of a published agent, so no published number is compared "
        + "(\(comparisons.count) rows not comparable)."
    } else {
      let decidedByRuns = comparable.filter {
        if case .referenceRuns? = $0.test?.basis { return true } else { return false }
      }.count
      let verdicts =
        "\(count(.matches)) match our results, ours is better in \(Self.rows(count(.better))) and worse in "
        + "\(Self.rows(count(.worse)))"
      text +=
        " Of \(comparable.count) published rl-baselines-zoo scores, " + verdicts
        + ", by one-sided tests beyond an equivalence margin with Holm's correction across the rows, so that "
        + "a false *worse* anywhere has probability at most \(Format.fixed(VerdictRule.standard.familyLevel * 100, 0))% "
        + "(§1.5)"
      text +=
        decidedByRuns > 0
        ? "; \(Self.rows(decidedByRuns)) \(decidedByRuns == 1 ? "is" : "are") decided by runs of the reference "
          + "implementation itself rather than by its single published agent."
        : "."
    }
    let all = aggregate.algorithms.filter { $0.taskSet == .all }
    if !all.isEmpty {
      text +=
        " Normalised so that a random policy scores 0 and the best zoo agent 1, the interquartile means "
        + "(95% bootstrap CIs) over each algorithm's environments are "
        + all.map { "\($0.algorithm.displayName) \(Format.interval($0.iqm, 2))" }.joined(separator: ", ")
        + "."
    }
    return text
  }
}

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
        comparisons.isEmpty
        ? " No published number exists for these environments and algorithms."
        : " No published number could be compared like with like (\(comparisons.count) rows not comparable: other "
          + "budgets, other algorithms, or values read from figures; §2.1)."
    } else {
      let decidedByRuns = comparable.filter {
        if case .referenceRuns? = $0.test?.basis { return true } else { return false }
      }.count
      let verdicts =
        "\(count(.matches)) match our results, ours is better in \(Self.rows(count(.better))) and worse in "
        + "\(Self.rows(count(.worse)))"
      text +=
        " Of \(comparable.count) comparable published scores (\(Self.labels(comparable))), " + verdicts
        + ", by one-sided tests beyond an equivalence margin with Holm's correction across the rows, so that "
        + "a false *worse* anywhere has probability at most \(Format.fixed(VerdictRule.standard.familyLevel * 100, 0))% "
        + "(§1.5)"
      text +=
        decidedByRuns > 0
        ? "; \(Self.rows(decidedByRuns)) \(decidedByRuns == 1 ? "is" : "are") decided by runs of the reference "
          + "implementation itself rather than by its single published agent."
        : "."
    }
    text += implementationCheckSentence
    if !learningChecks.isEmpty {
      text += " Learning threshold" + (learningChecks.count == 1 ? "" : "s") + " (§2.1): "
        + learningChecks.map(\.text).joined(separator: "; ") + "."
    }
    let all = aggregate.algorithms.filter { $0.taskSet == .all }
    if !all.isEmpty {
      let scale =
        " Normalised so that a random policy scores 0 and \(ScoreAnchors.referenceName(of: aggregate.anchors).long) "
        + "scores 1, "
      let environments = Set(all.flatMap(\.environments)).sorted()
      if aggregate.hasOneRunPerAlgorithm {
        text +=
          scale + "the one run of each algorithm on \(environments.joined(separator: ", ")) scores "
          + all.map { "\($0.algorithm.displayName) \(Format.fixed($0.iqm.estimate, 2))" }.joined(separator: ", ")
          + " (one seed each: no interval, no aggregate over environments)."
      } else {
        text +=
          scale + "the interquartile means (95% bootstrap CIs) over "
          + (environments.count == 1 ? "each algorithm's seeds on \(environments[0])" : "each algorithm's environments")
          + " are "
          + all.map { "\($0.algorithm.displayName) \(Format.interval($0.iqm, 2, seeds: $0.seeds.count))" }
            .joined(separator: ", ")
          + "."
      }
    }
    if !aggregate.improvement.isEmpty {
      text +=
        " Probability of improvement (a random seed of the first beats one of the second on a random shared "
        + "environment; 95% CIs): "
        + aggregate.improvement.map {
          "P(\($0.x.displayName) > \($0.y.displayName)) = \(Format.interval($0.probability, 2, seeds: pairSeeds($0))) over "
            + "\($0.environments.count) environment\($0.environments.count == 1 ? "" : "s")"
        }.joined(separator: ", ") + "."
    }
    if let findings { text += " " + findings }
    return text
  }

  /// The reference sets of `rows`, once each, in order.
  static func labels(_ rows: [ReferenceComparison]) -> String {
    var labels: [String] = []
    for row in rows where !labels.contains(row.published.label) { labels.append(row.published.label) }
    return labels.joined(separator: ", ")
  }

  /// The cells no published row decides, tested against the reference implementation's own runs
  /// (`bench check`'s second table), e.g. " Against the runs of stable-baselines-2.10.2 itself at the
  /// same budget (§2.7), where no published number decides: of 1 cell (minatar:Freeway A2C), 1 matches
  /// ours, …". Empty without tested cells.
  var implementationCheckSentence: String {
    let tested = implementationChecks.filter { $0.verdict != .notComparable }
    guard !tested.isEmpty else { return "" }
    let implementations = Set(tested.map(\.comparison.implementation)).sorted().joined(separator: ", ")
    let counts = [Verdict.matches, .better, .worse].map { verdict in tested.filter { $0.verdict == verdict }.count }
    return " Against the runs of \(implementations) itself at the same budget (§2.7), where no published number "
      + "decides: of \(Self.cells(tested.count)) (\(tested.map { "\($0.environment) \($0.algorithm.displayName)" }.joined(separator: ", "))), "
      + "\(counts[0]) match\(counts[0] == 1 ? "es" : "") ours, ours is better in \(counts[1]) and worse in \(counts[2]) "
      + "(Welch's t beyond the margin, Holm-corrected)."
  }
}

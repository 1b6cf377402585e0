import Environments
import Foundation
import Statistics

/// §2 Results: the comparisons, per-environment and aggregate statistics, figures.
extension PaperWriter {
  // MARK: Results

  var results: String {
    var lines = ["## 2. Results", "### 2.1 Against the published numbers"]
    if comparisons.isEmpty {
      lines.append("No run of this suite has a published counterpart.")
    } else {
      var table = MarkdownTable(
        [
          "environment", "algorithm", "reference", "measure", "seeds", "ours: mean [95% CI]", "seed range",
          "95% prediction interval", "published ± SE", "decided by", "p worse / better (Holm)", "verdict",
        ], alignments: [.left, .left, .left, .left, .right, .right, .right, .right, .right, .left, .right, .left])
      for row in comparisons {
        let d = Format.digits(for: row.published.meanReturn)
        // One seed has no range: its score is already the mean column.
        let range = row.scores.count < 2
          ? "–" : "\(Format.fixed(row.scores.min()!, d)) … \(Format.fixed(row.scores.max()!, d))"
        let interval = row.predictionInterval.map { "\(Format.fixed($0.lower, d)) … \(Format.fixed($0.upper, d))" } ?? "–"
        let published =
          Format.fixed(row.published.meanReturn, d)
          + (row.published.episodes > 0 ? " ± \(Format.fixed(row.published.standardError, d))" : "")
          + (row.published.derivation.isEmpty ? "" : " (read from figure)")
        let basis: String
        switch row.test?.basis {
        case .referenceRuns(let implementation, let seeds)?: basis = "\(implementation), \(seeds) seeds"
        case .publishedAgent?: basis = row.published.trainingSeeds == 1 ? "published agent" : "published mean"
        case .singleAgents?: basis = "one agent a side"
        case nil: basis = "–"
        }
        let p: String =
          row.adjustedPWorse.flatMap { w in row.adjustedPBetter.map { "\(Format.pValue(w)) / \(Format.pValue($0))" } }
          ?? "–"
        table.append([
          row.environment, row.algorithmName, row.published.label,
          row.published.measure == .evaluation ? "evaluation" : "last 100 training", "\(row.seeds.count)",
          row.mean.map { Format.interval($0, d, seeds: row.seeds.count) } ?? "–", range, interval, published, basis, p,
          "**\(row.verdict.rawValue)**",
        ])
      }
      lines.append(table.text)
      lines.append(
        "Each row is compared like with like: our evaluation scores (the zoo's protocol) with an evaluation "
          + "score, our last-100 training means with a last-100 training mean, at the same training budget; "
          + "numbers read from a figure and other algorithms' rows are shown for context and not tested. "
          + "References and their protocols:\n\n"
          + CheckTable.referenceProtocols(comparisons).map { "- **\($0.label)**: \($0.text)." }.joined(separator: "\n")
          + "\n\nPublished ± SE: "
          + (zooIsReference
            ? "the zoo's mean ± its standard error (population std / √episodes); the papers publish no spread. "
            : "the papers publish no spread, so none is shown. ")
          + "Margins (ε = \(Format.fixed(VerdictRule.standard.equivalenceMargin, 2)) "
          + "normalised, in return units; 0 where the environment has no score anchors): "
          + Self.distinctMargins(comparisons) + ".")
      let caveats = comparisons.filter { !$0.published.caveat.isEmpty }
      if !caveats.isEmpty {
        var seen: [String] = []
        for row in caveats where !seen.contains("\(row.published.label): \(row.published.caveat)") {
          seen.append("\(row.published.label): \(row.published.caveat)")
        }
        lines.append("Caveats:\n\n" + seen.map { "- \($0)." }.joined(separator: "\n"))
      }
      let notComparable = comparisons.filter { $0.verdict == .notComparable }
      if !notComparable.isEmpty {
        lines.append(
          "Not comparable: "
            + notComparable.map { "\($0.environment) \($0.algorithmName), \($0.published.label) (\($0.reason))" }
            .joined(separator: "; ") + ".")
      }
    }
    if !learningChecks.isEmpty {
      lines.append(
        "**Learning thresholds** (`bench check` fails when one is not met): "
          + learningChecks.map { $0.text + " — " + $0.threshold.source }.joined(separator: "; ") + ".")
    }
    lines.append("### 2.2 Evidence for every *worse* verdict")
    let worse = comparisons.filter { $0.verdict == .worse }
    if worse.isEmpty {
      lines.append("No row is *worse*.")
    } else {
      for row in worse { lines.append(evidence(for: row)) }
    }
    lines.append("### 2.3 Per-environment statistics")
    lines.append(cellTable)
    lines.append("### 2.4 Aggregate performance")
    lines.append(algorithmTable)
    for entry in figures.entries where !entry.fileName.contains("-curves-") {
      lines.append(figure(entry))
    }
    lines.append("### 2.5 Pairwise comparisons")
    lines.append(pairTables)
    lines.append("### 2.6 Learning curves")
    for entry in figures.entries where entry.fileName.contains("-curves-") {
      lines.append(figure(entry))
    }
    let uncurved = catalog.environments.filter { environment in
      !figures.entries.contains { $0.fileName == FigureSet.curvesFileName(suite: catalog.suite, environment: environment) }
    }
    if !uncurved.isEmpty {
      lines.append(
        "No learning curve for \(uncurved.joined(separator: ", ")): no run there completed a training episode "
          + "(a curve is the mean return of the last 100 training episodes against environment steps).")
    }
    if !implementationComparisons.isEmpty {
      lines.append("### 2.7 Against the reference implementation on the same environments")
      lines.append(implementationTable)
    }
    return lines.joined(separator: "\n\n")
  }

  /// §2.7: our seeds beside another implementation's seeds, same settings and protocol.
  var implementationTable: String {
    var table = MarkdownTable(
      [
        "environment", "algorithm", "implementation", "seeds", "evaluation mean ± sd", "last-100 mean ± sd",
        "ours: seeds", "ours: evaluation mean ± sd", "ours: last-100 mean ± sd", "Welch t (p)", "verdict",
      ], alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right, .right, .left])
    func meanSD(_ x: [Double], _ d: Int) -> String {
      guard let summary = try? SampleSummary(x) else { return "–" }
      return "\(Format.fixed(summary.mean, d)) ± \(summary.standardDeviation.map { Format.fixed($0, d) } ?? "–")"
    }
    for row in implementationComparisons {
      let d = Format.digits(for: row.referenceEvaluation.first ?? 0)
      table.append([
        row.environment, row.algorithm.displayName, row.implementation, "\(row.referenceEvaluation.count)",
        meanSD(row.referenceEvaluation, d), meanSD(row.referenceLastHundred, d), "\(row.oursEvaluation.count)",
        meanSD(row.oursEvaluation, d), meanSD(row.oursLastHundred, d),
        row.evaluationMismatch != nil
          ? "not comparable" : row.welch.map { "\(Format.fixed($0.statistic, 2)) (\(Format.pValue($0.pValue)))" } ?? "–",
        implementationVerdict(row),
      ])
    }
    let mismatches = implementationComparisons.compactMap { row in
      row.evaluationMismatch.map { "\(row.environment) \(row.algorithm.displayName): \($0)" }
    }
    let notComparable =
      mismatches.isEmpty
      ? ""
      : " Not comparable, because their evaluation is not ours: " + mismatches.joined(separator: "; ")
        + ". More copies within the same budget are accepted only where every episode lasts the time limit ("
        + EnvironmentRegistry.fixedEpisodeLengthIDs.sorted().joined(separator: ", ")
        + "), so that no episode is cut off under either protocol."
    return table.text
      + "\n\nThe other implementation trained with the same hyperparameters (where it has no argument for one "
      + "of ours, its summaries name the difference) and budget on the same environments ("
      + referenceEnvironmentText + ") by `Tools/stable_baselines_reference.py train`; its seeds "
      + "are its own random streams. Its evaluation, as "
      + "its summaries record it: " + referenceProtocolText + ". Sd over seeds (n − 1); Welch's t of our "
      + "evaluation means minus theirs. Verdict: `bench check`'s test of the cell against these runs (one-sided "
      + "Welch's t beyond the margin of §2.1, Holm-corrected over these cells) where no published row is decided "
      + "by them; \"decides §2.1\" where a published row is, and its verdict is there." + notComparable + " Independently of these runs, the test suite replays updates "
      + "recorded from stable-baselines through ours from the same initial parameters and batches "
      + "(`*ReferenceParityTests`; `Tests/ActorCriticTests/Fixtures/README.md` lists the recordings and "
      + "their tolerances)."
  }

  /// How the published agents were evaluated, from the comparison rows, e.g. "stochastic evaluation
  /// over 150,000 steps".
  /// "CartPole-v1 24.4, Acrobot-v1 20.6": each environment's margin once.
  static func distinctMargins(_ rows: [ReferenceComparison]) -> String {
    var seen: [String] = []
    var parts: [String] = []
    for row in rows where !seen.contains(row.environment) {
      seen.append(row.environment)
      parts.append("\(row.environment) \(Format.fixed(row.margin, Format.digits(for: row.published.meanReturn)))")
    }
    return parts.joined(separator: ", ")
  }

  /// The `bench check` verdict of a §2.7 row: its own (second-table) verdict, or where a published
  /// row is decided by these runs, a pointer to §2.1.
  func implementationVerdict(_ row: ReferenceImplementationComparison) -> String {
    if let check = implementationChecks.first(where: { $0.comparison.cell == row.cell }) {
      return check.verdict == .notComparable ? "not tested" : "**\(check.verdict.rawValue)**"
    }
    return "decides §2.1"
  }

  /// The evaluation protocols of the reference runs behind this suite's comparisons, as their files
  /// state them.
  var referenceProtocolText: String {
    let protocols = Set(
      implementationComparisons.flatMap(\.referenceEvaluationProtocols).map { $0.isEmpty ? "not stated" : $0 })
    return protocols.sorted().map { "\"\($0)\"" }.joined(separator: "; ")
  }

  /// Where and on what the reference implementation ran, for the environments compared.
  var referenceEnvironmentText: String {
    let environments = implementationComparisons.map(\.environment)
    var parts: [String] = []
    if environments.contains(where: { EnvironmentRegistry.ids.contains($0) }) {
      parts.append("Gymnasium's classic control, with stable-baselines 2.10.2 from PyPI on TensorFlow 2.15's `tf.compat.v1`")
    }
    if environments.contains(where: { $0.hasPrefix("minatar:") }) {
      parts.append(
        "MinAtar's games hosted by our own bridge worker, with stable-baselines 2.10.2 from PyPI on TensorFlow 1.15")
    }
    return parts.isEmpty ? "as its summaries state" : parts.joined(separator: "; ")
  }

  func figure(_ entry: FigureSet.Entry) -> String { entry.markdown }

  /// Per (environment, algorithm): the evaluation mean with its 95% bootstrap CI and the seeds' sd,
  /// the evaluation IQM, and the last-100 training mean with its CI — the measure of the ACKTR, PPO
  /// and MinAtar papers, so that a reader can set each cell beside those rows.
  var cellTable: String {
    var table = MarkdownTable(
      [
        "environment", "algorithm", "seeds", "evaluation mean [95% CI]", "sd", "IQM [95% CI]",
        "last-100 training mean [95% CI]", "normalised mean", "training time per run", "steps/s",
      ], alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right, .right])
    for cell in aggregate.cells {
      let timing = Self.timingCells(catalog.runs(environment: cell.environment, algorithm: cell.algorithm))
      let evaluation = cell.evaluation
      let d = Format.digits(for: evaluation?.summary.mean ?? 0)
      let normalized =
        cell.normalizedScores.map { Format.fixed($0.reduce(0, +) / Double($0.count), 3) } ?? "–"
      let last = cell.lastHundred.map { last in
        Format.interval(last.mean, Format.digits(for: last.summary.mean), seeds: last.values.count)
      }
      table.append([
        cell.environment, cell.algorithm.displayName, "\(cell.seeds.count)",
        evaluation.map { Format.interval($0.mean, d, seeds: $0.values.count) } ?? "–",
        evaluation.flatMap { $0.summary.standardDeviation.map { Format.fixed($0, d) } } ?? "–",
        evaluation.map { Format.interval($0.iqm, d, seeds: $0.values.count) } ?? "–",
        last ?? "–", normalized, timing.perRun, timing.stepsPerSecond,
      ])
    }
    var text = table.text
    let notes = aggregate.cells.flatMap { c in
      c.notes.map { "\(c.environment) \(c.algorithm.displayName): \($0)" }
    }
    if !notes.isEmpty { text += "\n\nNotes: " + notes.joined(separator: "; ") + "." }
    text +=
      "\n\nEvaluation: the protocol of §1.4; sd is the seeds' standard deviation (n − 1); the CIs are "
      + "percentile-bootstrap intervals over seeds (§1.5). Last-100 training mean: the mean return of each run's "
      + "last 100 training episodes, the measure of the ACKTR, PPO and MinAtar papers. The normalised mean uses "
      + "the evaluation mean (the last-100 training mean where a run was not evaluated). "
      + "Training time and steps/s are wall-clock measurements (the runs' `timing.json`) on the machine in §3, "
      + "information only."
    return text
  }

  var algorithmTable: String {
    guard !aggregate.algorithms.isEmpty else {
      guard aggregate.cells.contains(where: { $0.normalizedScores != nil }) else {
        return "No environment with score anchors; nothing to aggregate."
      }
      // rliable's score matrix is runs × tasks: one algorithm's environments must share its seeds.
      return "No algorithm has a seed present on every environment it ran (rliable's score matrix needs the "
        + "same seeds on each environment); nothing to aggregate until the missing runs are in (§2.3 lists "
        + "the seeds per cell)."
    }
    var table = MarkdownTable(
      [
        "algorithm", "environments", "seeds", "IQM [95% CI]", "mean [95% CI]", "median [95% CI]",
        "optimality gap [95% CI]",
      ],
      alignments: [.left, .left, .right, .right, .right, .right, .right])
    for row in aggregate.algorithms {
      table.append([
        row.algorithm.displayName, "\(row.taskSet.title): \(row.environments.joined(separator: ", "))",
        "\(row.seeds.count)", Format.interval(row.iqm, 3, seeds: row.seeds.count),
        Format.interval(row.mean, 3, seeds: row.seeds.count), Format.interval(row.median, 3, seeds: row.seeds.count),
        Format.interval(row.optimalityGap, 3, seeds: row.seeds.count),
      ])
    }
    return table.text
      + "\n\nNormalised scores: 0 = random policy, 1 = "
      + (ScoreAnchors.referenceName(of: aggregate.anchors).short == "best zoo agent"
        ? "best rl-baselines-zoo agent" : ScoreAnchors.referenceName(of: aggregate.anchors).long)
      + ". Mean and median are over "
      + "environments of the per-environment means; IQM and optimality gap (γ = 1, lower is better) pool "
      + "seeds × environments." + taskSetSentence + missingAggregateSentence
  }

  /// Why the algorithms' "all environments" sets differ, if they do: unsupported action spaces
  /// (an algorithm absent from an environment whose action space it cannot act in), or runs that
  /// are not all in yet.
  var taskSetSentence: String {
    let sets = Set(catalog.algorithms.map { catalog.environments(of: $0) })
    guard sets.count > 1 else { return "" }
    let unsupported: [String] = catalog.algorithms.compactMap { algorithm in
      let environments = catalog.environments.filter { environment in
        !catalog.algorithms(on: environment).contains(algorithm)
          && Self.spaces(of: environment).map { !algorithm.supports($0.action) } == true
      }
      return environments.isEmpty ? nil : "\(algorithm.displayName) cannot act in \(environments.joined(separator: ", "))"
    }
    if !unsupported.isEmpty {
      return " The algorithms support different action spaces (" + unsupported.joined(separator: "; ")
        + "), so their \"all environments\" sets differ; the shared set compares like with like."
    }
    return " The algorithms' runs so far cover different environments (§2.3), so their \"all environments\" "
      + "sets differ; the shared set compares like with like."
  }

  /// The algorithms without a row in a set the table has: none of their seeds ran on every
  /// environment of the set.
  var missingAggregateSentence: String {
    var parts: [String] = []
    for set in AlgorithmAggregate.TaskSet.allCases where aggregate.algorithms.contains(where: { $0.taskSet == set }) {
      let absent = aggregate.algorithms(catalog.algorithms, without: set)
      if !absent.isEmpty { parts.append("\(absent.map(\.displayName).joined(separator: " and ")) in \"\(set.title)\"") }
    }
    guard !parts.isEmpty else { return "" }
    return " No row for " + parts.joined(separator: ", nor for ")
      + ": none of their seeds ran on every environment of the set (rliable's score matrix needs the same seeds "
      + "on each environment; §2.3 lists the seeds per cell)."
  }


  /// The most seeds any cell behind a probability of improvement has: with one seed everywhere, every
  /// resample is the same comparison and the estimate has no interval.
  func pairSeeds(_ row: ImprovementEstimate) -> Int {
    aggregate.cells.filter { row.environments.contains($0.environment) && [row.x, row.y].contains($0.algorithm) }
      .map(\.seeds.count).max() ?? 0
  }

  var pairTables: String {
    var parts: [String] = []
    if catalog.algorithms.count < 2 {
      parts.append("Fewer than two algorithms: no pairwise comparison.")
    } else if aggregate.improvement.isEmpty {
      parts.append(
        "No probability of improvement yet: for a pair it needs each algorithm's scores as a seeds × "
          + "environments matrix, i.e. a seed present on every environment both ran, and no pair has one "
          + "until the missing runs are in (§2.3 lists the seeds per cell)."
          + (aggregate.welch.isEmpty ? "" : " The per-environment Welch tests below need no shared seed."))
    } else {
      var table = MarkdownTable(
        ["X", "Y", "environments", "P(X > Y) [95% CI]"], alignments: [.left, .left, .left, .right])
      for row in aggregate.improvement {
        table.append([
          row.x.displayName, row.y.displayName, row.environments.joined(separator: ", "),
          Format.interval(row.probability, 3, seeds: pairSeeds(row)),
        ])
      }
      parts.append(
        table.text
          + "\n\nP(X > Y): the probability that a run of X scores above a run of Y on an environment drawn "
          + "uniformly from those both ran (Mann–Whitney U / (n·m), averaged over environments); "
          + "P(Y > X) = 1 − P(X > Y).")
    }
    if catalog.algorithms.count > 1 && !aggregate.unestimatedImprovement.isEmpty {
      parts.append(
        "No probability of improvement for "
          + aggregate.unestimatedImprovement.map { "\($0.x.displayName) and \($0.y.displayName): \($0.reason)" }
          .joined(separator: "; ") + ".")
    }
    if !aggregate.welch.isEmpty {
      var table = MarkdownTable(
        ["environment", "X", "Y", "mean X − mean Y", "t", "df", "p (two-sided)"],
        alignments: [.left, .left, .left, .right, .right, .right, .right])
      for row in aggregate.welch {
        table.append([
          row.environment, row.x.displayName, row.y.displayName, Format.score(row.meanDifference),
          row.statistic.map { Format.fixed($0, 2) } ?? "–",
          row.degreesOfFreedom.map { Format.fixed($0, 1) } ?? "–",
          row.pValue.map(Format.pValue) ?? (row.note ?? "–"),
        ])
      }
      parts.append(
        table.text
          + "\n\nWelch's unequal-variances t-test of the per-seed scores (\(Citation.colas.short) recommend it "
          + "for comparing RL algorithms over seeds); with few "
          + "seeds and non-normal scores treat p-values as descriptive.")
    }
    if let budgets = budgetDifferences, catalog.algorithms.count > 1 {
      parts.append(
        "Each algorithm trained for its own published budget, so on \(budgets) these comparisons set the "
          + "algorithms side by side at their tuned settings, not at equal environment steps.")
    }
    return parts.joined(separator: "\n\n")
  }
}

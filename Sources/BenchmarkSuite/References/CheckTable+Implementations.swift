import Statistics

extension CheckTable {
  /// The second table of `bench check`: cells tested against runs of another implementation only
  /// (``ImplementationCheck``), with both sides' seeds and means, the margin, the Holm-adjusted
  /// p-values and the verdict; nil when there are none.
  ///
  /// - Parameter referenceRuns: the runs behind the rows, whose summaries state how they were evaluated.
  public static func renderImplementations(
    _ rows: [ImplementationCheck], referenceRuns: [ReferenceImplementationRun], suite: String,
    rule: VerdictRule = .standard
  ) -> String? {
    guard !rows.isEmpty else { return nil }
    let header = [
      "environment", "algo", "implementation", "seeds", "ours: mean [95% CI]", "theirs: mean ± sd", "margin",
      "Welch t (df)", "p worse (Holm)", "p better (Holm)", "verdict",
    ]
    var table: [[String]] = [header]
    for row in rows {
      let theirs = try? SampleSummary(row.comparison.referenceEvaluation)
      let d = Format.digits(for: theirs?.mean ?? row.mean?.estimate ?? 1)
      table.append([
        row.environment, row.algorithm.displayName, row.comparison.implementation,
        "\(row.comparison.oursEvaluation.count) vs \(row.comparison.referenceEvaluation.count)",
        row.mean.map { Format.interval($0, d, seeds: row.comparison.oursEvaluation.count) } ?? "-",
        theirs.map { "\(Format.fixed($0.mean, d)) ± \(Format.fixed($0.standardDeviation ?? 0, d))" } ?? "-",
        Format.fixed(row.margin, d),
        row.comparison.welch.map { "\(Format.fixed($0.statistic, 2)) (\(Format.fixed($0.degreesOfFreedom, 1)))" } ?? "-",
        row.adjustedPWorse.map(Format.pValue) ?? "-", row.adjustedPBetter.map(Format.pValue) ?? "-",
        row.verdict.rawValue,
      ])
    }
    var lines = layout(table, rightAligned: [3, 6, 7, 8, 9])
    let tested = rows.filter { $0.test != nil }.count
    lines.insert(
      "suite \(suite): \(rows.count) cell\(rows.count == 1 ? "" : "s") against runs of another implementation (no published row decides them): "
        + verdictCounts(rows.map(\.verdict)) + ".", at: 0)
    let cells = Set(rows.map(\.comparison.cell))
    let protocols = Set(
      referenceRuns.filter { cells.contains($0.cell) }
        .map { $0.evaluationProtocol.isEmpty ? "not stated" : $0.evaluationProtocol })
    lines.append(
      "Both sides trained for the same budget; their evaluation, as their summaries state it: "
        + protocols.sorted().map { "\"\($0)\"" }.joined(separator: "; ")
        + " (ours: one copy for the suite entry's evaluation budget; a cell whose runs state another budget, or "
        + "more copies where episodes can be cut off at each copy's share of the budget, is not tested). Welch's t on the evaluation means (shown as ours − theirs), "
        + "one-sided beyond the margin (\(Format.fixed(rule.equivalenceMargin, 2)) normalised), Holm-corrected over "
        + "the \(tested) tested cell\(tested == 1 ? "" : "s").")
    for row in rows where row.test == nil {
      lines.append(
        "  \(row.environment) \(row.algorithm.displayName): not comparable: "
          + (row.comparison.evaluationMismatch.map { "\(row.comparison.implementation) \($0)" }
            ?? "\(row.comparison.oursEvaluation.count) seed(s) of ours, \(row.comparison.referenceEvaluation.count) of "
            + "\(row.comparison.implementation); Welch needs 2 a side"))
    }
    return lines.joined(separator: "\n")
  }
}

import Statistics

/// ``SuiteComparison`` as Markdown: one table per measure.
///
/// ```
/// | environment | algorithm | pomdp (n) | pomdp-mlp (n) | difference | Welch t (ν) | p | p (Holm) | P(X > Y) |
/// ```
/// Each side is the mean over seeds with its 95% bootstrap interval; "difference" is X − Y.
public enum ComparisonTable {
  /// The tables for every measure present, each under a heading line.
  public static func render(_ comparison: SuiteComparison) -> String {
    var parts: [String] = []
    for measure in SuiteComparison.Measure.allCases {
      let entries = comparison.cells.compactMap { cell in cell.measure(measure).map { (cell, $0) } }
      guard !entries.isEmpty else { continue }
      var table = MarkdownTable(
        [
          "environment", "algorithm", "\(comparison.suite) (n)", "\(comparison.baseline) (n)", "difference",
          "Welch t (ν)", "p", "p (Holm)", "P(\(comparison.suite) > \(comparison.baseline))",
        ],
        alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right])
      for (cell, entry) in entries {
        let digits = Format.digits(for: max(abs(entry.suite.mean.estimate), abs(entry.baseline.mean.estimate)))
        let welch = entry.welch
        table.append([
          cell.environment, cell.algorithm.rawValue,
          "\(Format.interval(entry.suite.mean, digits)) (\(entry.suite.values.count))",
          "\(Format.interval(entry.baseline.mean, digits)) (\(entry.baseline.values.count))",
          Format.fixed(welch.meanDifference, digits),
          welch.statistic.map { t in
            "\(Format.fixed(t, 2)) (\(welch.degreesOfFreedom.map { Format.fixed($0, 1) } ?? "–"))"
          } ?? "– (\(welch.note ?? "undefined"))",
          welch.pValue.map(Format.pValue) ?? "–",
          entry.holmAdjustedPValue.map(Format.pValue) ?? "–",
          entry.probabilityOfImprovement.map { Format.interval($0, 2) } ?? "–",
        ])
      }
      parts.append("\(measure.title), \(comparison.suite) vs \(comparison.baseline):\n\n" + table.text)
    }
    if !comparison.unmatched.isEmpty {
      parts.append("In one suite only (not compared): " + comparison.unmatched.joined(separator: ", ") + ".")
    }
    return parts.joined(separator: "\n\n")
  }
}

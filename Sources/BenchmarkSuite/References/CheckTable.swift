/// The text table `bench check` prints.
public enum CheckTable {
  /// A fixed-width table of the comparisons (each with its reference set and protocol), a verdict
  /// count, the rule and the reasons.
  public static func render(_ rows: [ReferenceComparison], suite: String, rule: VerdictRule = .standard) -> String {
    guard !rows.isEmpty else {
      return "suite \(suite): no run matches a published row (published rows exist for "
        + "\(Set(PublishedResult.all.map(\.environment)).sorted().joined(separator: ", ")))"
    }
    let level = Format.fixed(rule.predictionLevel * 100, 0)
    let header = [
      "environment", "algo", "reference", "measure", "seeds", "ours: mean [95% CI]", "\(level)% PI, new seed", "published ± SE", "decided by",
      "p worse (Holm)", "verdict",
    ]
    var table: [[String]] = [header]
    for row in rows {
      let d = Format.digits(for: row.published.meanReturn)
      let basis: String
      switch row.test?.basis {
      case .referenceRuns(let implementation, let seeds)?: basis = "\(implementation) ×\(seeds)"
      case .publishedAgent?: basis = "published agent"
      case .singleAgents?: basis = "1 agent a side"
      case nil: basis = "-"
      }
      table.append([
        row.environment, row.algorithmName, row.published.label,
        row.published.measure == .evaluation ? "evaluation" : "last 100", "\(row.seeds.count)",
        row.mean.map { Format.interval($0, d, seeds: row.seeds.count) } ?? "-",
        row.predictionInterval.map { "[\(Format.fixed($0.lower, d)), \(Format.fixed($0.upper, d))]" } ?? "-",
        // Papers publish no spread (no episode count): the mean alone, as the report shows it.
        Format.fixed(row.published.meanReturn, d)
          + (row.published.episodes > 0 ? " ± \(Format.fixed(row.published.standardError, d))" : ""),
        basis, row.adjustedPWorse.map(Format.pValue) ?? "-", row.verdict.rawValue,
      ])
    }
    var lines = layout(table, rightAligned: [4, 9])
    let counts = verdictCounts(rows.map(\.verdict))
    let tested = rows.filter { $0.test != nil }.count
    lines.append("")
    lines.append("suite \(suite): \(rows.count) published rows: " + counts + ".")
    lines.append("References and their protocols:")
    for (label, text) in referenceProtocols(rows) { lines.append("  \(label): \(text)") }
    lines.append(
      "Rule (bench check --help): one-sided t-tests beyond a margin of \(Format.fixed(rule.equivalenceMargin, 2)) "
        + "normalised, Holm-corrected over the \(tested) tested rows: P(any false 'worse') ≤ "
        + "\(Format.fixed(rule.familyLevel * 100, 0))%.")
    for row in rows where row.verdict != .matches {
      lines.append(
        "  \(row.environment) \(row.algorithmName) (\(row.published.label)): \(row.verdict.rawValue): \(row.reason)")
    }
    let caveats = rows.filter { !$0.published.caveat.isEmpty }
    if !caveats.isEmpty {
      lines.append("Caveats:")
      for row in caveats {
        lines.append("  \(row.environment) \(row.algorithmName) (\(row.published.label)): \(row.published.caveat)")
      }
    }
    return lines.joined(separator: "\n")
  }
}

extension CheckTable {
  /// The lines of a fixed-width table whose first row is the header: columns two spaces apart,
  /// `rightAligned` ones padded on the left, a rule of dashes under the header.
  static func layout(_ table: [[String]], rightAligned: Set<Int>) -> [String] {
    let widths = table[0].indices.map { c in table.map { $0[c].count }.max()! }
    var lines = table.map { row in
      row.indices.map { c in
        rightAligned.contains(c)
          ? row[c].leftPadded(widths[c]) : row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
    return lines
  }

  /// "2 matches, 1 worse": how many rows have each verdict, in ``Verdict``'s order.
  static func verdictCounts(_ verdicts: [Verdict]) -> String {
    Verdict.allCases.compactMap { v -> String? in
      let n = verdicts.filter { $0 == v }.count
      return n > 0 ? "\(n) \(v.rawValue)" : nil
    }.joined(separator: ", ")
  }

  /// Each reference set of `rows` once, in order, with its distinct protocols, how its numbers were
  /// derived (if they were) and its source.
  public static func referenceProtocols(_ rows: [ReferenceComparison]) -> [(label: String, text: String)] {
    var labels: [String] = []
    for row in rows where !labels.contains(row.published.label) { labels.append(row.published.label) }
    return labels.map { label in
      let published = rows.map(\.published).filter { $0.label == label }
      var protocols: [String] = []
      for text in published.map(\.protocolText) where !protocols.contains(text) { protocols.append(text) }
      let derivation = published[0].derivation.isEmpty ? "" : "; " + published[0].derivation
      return (label, protocols.joined(separator: " / ") + derivation + " (\(published[0].source))")
    }
  }
}

extension String {
  /// The string right-aligned in `width` characters.
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}

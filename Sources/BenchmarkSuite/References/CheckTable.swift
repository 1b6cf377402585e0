/// The text table `bench check` prints.
public enum CheckTable {
  /// A fixed-width table of the comparisons, a verdict count, the rule and the reasons.
  public static func render(_ rows: [ReferenceComparison], suite: String, rule: VerdictRule = .standard) -> String {
    guard !rows.isEmpty else {
      return "suite \(suite): no run matches a published row (published rows exist for "
        + "\(Set(PublishedResult.rlBaselinesZoo.map(\.environment)).sorted().joined(separator: ", ")))"
    }
    let level = Format.fixed(rule.predictionLevel * 100, 0)
    let header = [
      "environment", "algo", "seeds", "ours: mean [95% CI]", "\(level)% PI, new seed", "published ± SE", "decided by",
      "p worse (Holm)", "verdict",
    ]
    var table: [[String]] = [header]
    for row in rows {
      let d = Format.digits(for: row.published.meanReturn)
      let basis: String
      switch row.test?.basis {
      case .referenceRuns(let implementation, let seeds)?: basis = "\(implementation) ×\(seeds)"
      case .publishedAgent?: basis = "published agent"
      case nil: basis = "-"
      }
      table.append([
        row.environment, row.algorithm.displayName, "\(row.seeds.count)",
        row.mean.map { Format.interval($0, d) } ?? "-",
        row.predictionInterval.map { "[\(Format.fixed($0.lower, d)), \(Format.fixed($0.upper, d))]" } ?? "-",
        "\(Format.fixed(row.published.meanReturn, d)) ± \(Format.fixed(row.published.standardError, d))",
        basis, row.adjustedPWorse.map(Format.pValue) ?? "-", row.verdict.rawValue,
      ])
    }
    let widths = header.indices.map { c in table.map { $0[c].count }.max()! }
    var lines = table.map { row in
      row.indices.map { c in
        c == 2 || c == 7
          ? row[c].leftPadded(widths[c]) : row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
    let counts = Verdict.allCases.compactMap { v -> String? in
      let n = rows.filter { $0.verdict == v }.count
      return n > 0 ? "\(n) \(v.rawValue)" : nil
    }
    let tested = rows.filter { $0.test != nil }.count
    lines.append("")
    lines.append("suite \(suite): \(rows.count) published rows: " + counts.joined(separator: ", ") + ".")
    lines.append(
      "Rule (bench check --help): one-sided t-tests beyond a margin of \(Format.fixed(rule.equivalenceMargin, 2)) "
        + "normalised, Holm-corrected over the \(tested) tested rows: P(any false 'worse') ≤ "
        + "\(Format.fixed(rule.familyLevel * 100, 0))%.")
    for row in rows where row.verdict != .matches {
      lines.append("  \(row.environment) \(row.algorithm.displayName): \(row.verdict.rawValue): \(row.reason)")
    }
    let caveats = rows.filter { !$0.published.caveat.isEmpty }
    if !caveats.isEmpty {
      lines.append("Caveats:")
      for row in caveats {
        lines.append("  \(row.environment) \(row.algorithm.displayName): \(row.published.caveat)")
      }
    }
    return lines.joined(separator: "\n")
  }
}

extension String {
  /// The string right-aligned in `width` characters.
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}

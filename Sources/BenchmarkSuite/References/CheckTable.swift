/// The text table `bench check` prints.
public enum CheckTable {
  /// A fixed-width table of the comparisons, a verdict count and the reasons.
  public static func render(_ rows: [ReferenceComparison], suite: String) -> String {
    guard !rows.isEmpty else {
      return "suite \(suite): no run matches a published row (published rows exist for "
        + "\(Set(PublishedResult.rlBaselinesZoo.map(\.environment)).sorted().joined(separator: ", ")))"
    }
    let header = [
      "environment", "algo", "seeds", "ours: mean [95% CI]", "seed range", "published ± δ", "≥P−δ", "verdict",
    ]
    var table: [[String]] = [header]
    for row in rows {
      let d = Format.digits(for: row.published.meanReturn)
      table.append([
        row.environment, row.algorithm.displayName, "\(row.seeds.count)",
        row.mean.map { Format.interval($0, d) } ?? "-",
        row.scores.isEmpty
          ? "-" : "\(Format.fixed(row.scores.min()!, d))..\(Format.fixed(row.scores.max()!, d))",
        "\(Format.fixed(row.published.meanReturn, d)) ± \(Format.fixed(row.tolerance, d))",
        row.scores.isEmpty ? "-" : "\(row.seedsReaching)/\(row.scores.count)", row.verdict.rawValue,
      ])
    }
    let widths = header.indices.map { c in table.map { $0[c].count }.max()! }
    var lines = table.map { row in
      row.indices.map { c in
        c == 2 || c == 6
          ? row[c].leftPadded(widths[c]) : row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    lines.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
    let counts = Verdict.allCases.compactMap { v -> String? in
      let n = rows.filter { $0.verdict == v }.count
      return n > 0 ? "\(n) \(v.rawValue)" : nil
    }
    lines.append("")
    lines.append("suite \(suite): \(rows.count) published rows: " + counts.joined(separator: ", ") + ".")
    lines.append("δ = 1.96 × published std / √(published episodes); rule: bench check --help.")
    for row in rows where row.verdict != .matches {
      lines.append(
        "  \(row.environment) \(row.algorithm.displayName): \(row.verdict.rawValue): \(row.reason)")
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

import Environments
import Foundation
import Statistics

/// §1.5's verdict rule, with the false-alarm rate and the seeds a row needs computed from the rule.
extension PaperWriter {
  /// §1.5's verdict rule, with the false-alarm rate and the seeds a row needs, computed.
  var verdictRuleText: String {
    let rule = VerdictRule.standard
    let rows = max(comparisons.filter { $0.test != nil }.count, 1)
    let alpha = Format.fixed(rule.familyLevel * 100, 0) + "%"
    let shortfalls = [3, 5, 10, 20].map {
      "\($0) seeds \(Format.fixed(rule.detectableShortfall(seeds: $0, rows: rows), 1))"
    }.joined(separator: ", ")
    let twoSample = [5, 10, 20].map {
      "\($0) \(Format.fixed(rule.detectableReferenceShortfall(seeds: $0, rows: rows), 2))"
    }.joined(separator: ", ")
    let singleAgents = comparisons.contains { $0.test?.basis == .singleAgents }
    let singleAgentText =
      singleAgents
      ? "A cell with one seed is tested against a published agent's evaluation as two agents: with se = σ/√k "
        + "of our agent's own evaluation episodes, w = √(se² + SE²) and ν = ∞ (normal). With one seed a side "
        + "the seeds' spread is unknown, so this asks whether the two agents differ, a stricter question than "
        + "the prediction interval (one badly trained seed is enough for *worse*), and the false-alarm bound "
        + "below holds for agents, not for the algorithms. "
      : ""
    return "**Verdict rule** (`bench check`). Let x₁…xₙ be our per-seed evaluation means (mean x̄, sd s), P "
      + "the published mean and SE = σ/√k its own evaluation noise (σ its episode sd, k its episodes). A zoo "
      + "row is one trained agent — one draw from the published implementation's distribution over seeds — so "
      + "we ask whether it is a plausible draw from ours: with w = √(s²(1 + 1/n) + SE²) and ν = n − 1, "
      + "p(worse) = P(T_ν > (P − m − x̄)/w) and p(better) = P(T_ν > (x̄ − P − m)/w), the one-sided tests of the "
      + "\(Format.fixed(rule.predictionLevel * 100, 0))% prediction interval x̄ ± t·w for one new seed of ours. "
      + "Our seeds' spread already contains our own evaluation noise, so adding SE² counts that noise twice and "
      + "makes the rule slightly conservative. m = ε·(reference − random) is an equivalence margin on the "
      + "normalised scale with ε = \(Format.fixed(rule.equivalenceMargin, 2)): a convention, not an estimate — "
      + "differences of a few thousandths of the random-to-best-published range must never count, while a "
      + "shortfall of 5% of a task's achievable range is one a reader of the zoo's table would call a "
      + "different result. Where runs of the reference implementation exist (`\(resultsPath)/reference/`"
      + (implementationComparisons.isEmpty ? "; none for this suite" : ", §2.7")
      + ") and were evaluated as ours are, their seeds describe its distribution rather than one draw, and "
      + "Welch's two-sample test of their evaluation means against ours (same margin) decides the row instead "
      + "(runs evaluated with more copies within the budget count only where every episode lasts the time "
      + "limit, as on \(EnvironmentRegistry.fixedEpisodeLengthIDs.sorted().joined(separator: ", ")): elsewhere each "
      + "copy cuts off its last episode, a length-biased one). The \(rows) tested rows' "
      + "p-values are Holm-corrected per direction: *worse* when the adjusted p(worse) ≤ \(rule.familyLevel), "
      + "*better* when the adjusted p(better) ≤ \(rule.familyLevel), *matches* otherwise; *not comparable* "
      + "when our training budget differs from the published agent's or a cell has fewer than 2 seeds"
      + (singleAgents ? " (one seed: below). " : ". ") + singleAgentText
      + "**False alarms:** if every row were truly equivalent, the probability that `bench check` reports any "
      + "*worse* row (and exits 1) is at most \(alpha), whatever the dependence between rows. **Seeds per "
      + "row:** against a single agent the smallest shortfall a row can detect, in our seeds' standard "
      + "deviations, is t_{1−α/\(rows), n−1}·√(1 + 1/n): \(shortfalls) — it never falls below "
      + "\(Format.fixed(StudentT.quantile(1 - rule.familyLevel / Double(rows), degreesOfFreedom: .infinity), 1)), "
      + "because one published agent is one draw. Two-sample tests against reference runs with n seeds a side "
      + "find a shortfall of (in seed sds, 80% power): \(twoSample). We recommend 10 seeds per row and, for "
      + "any row whose verdict matters, 10 seeds of the reference implementation beside it."
  }
}

import Statistics

/// How our runs compare with a published row (`bench check`).
public enum Verdict: String, Codable, Sendable, CaseIterable {
  /// No evidence, after Holm's correction across the rows, of a difference beyond the
  /// equivalence margin in either direction.
  case matches
  /// Ours is better beyond the margin (Holm-adjusted one-sided p ≤ α).
  case better
  /// Ours is worse beyond the margin (Holm-adjusted one-sided p ≤ α).
  case worse
  /// The runs cannot be compared with the row (other training budget, no evaluation, one seed).
  case notComparable = "not comparable"

  /// Whether `bench check` fails on this verdict.
  public var isFailure: Bool { self == .worse }
}

/// One row's one-sided tests before the correction across rows.
public struct RowTest: Codable, Sendable, Equatable {
  /// What decides the row.
  public enum Basis: Codable, Sendable, Equatable {
    /// The published agent against a prediction interval for one new seed of ours.
    case publishedAgent
    /// Runs of another implementation (`<results>/reference/<implementation>/`), two-sample.
    case referenceRuns(implementation: String, seeds: Int)
    /// One seed of ours against one published agent: the two agents' evaluation means, each with
    /// its own episodes' noise only (``VerdictRule/singleAgentTest(score:standardError:published:margin:)``).
    case singleAgents
  }

  /// What decides the row.
  public var basis: Basis
  /// The t statistic of "ours is worse beyond the margin" (positive when it looks worse).
  public var statistic: Double
  /// Its degrees of freedom (n − 1, or Welch–Satterthwaite).
  public var degreesOfFreedom: Double
  /// One-sided p-value of H₀ "ours ≥ theirs − margin" (small: ours is worse).
  public var pWorse: Double
  /// One-sided p-value of H₀ "ours ≤ theirs + margin" (small: ours is better).
  public var pBetter: Double

  public init(basis: Basis, statistic: Double, degreesOfFreedom: Double, pWorse: Double, pBetter: Double) {
    self.basis = basis
    self.statistic = statistic
    self.degreesOfFreedom = degreesOfFreedom
    self.pWorse = pWorse
    self.pBetter = pBetter
  }
}

/// The rule that turns our per-seed evaluation scores and a published row into a ``Verdict``.
///
/// ```
/// x₁…xₙ  our per-seed evaluation means, x̄ and s their mean and sd (n − 1), n ≥ 2
/// P, SE  the published agent's mean and its evaluation noise σ/√k (σ its episode sd, k episodes)
/// m      equivalence margin = ε · (reference − random), ε = 0.05 on the normalised scale
///
/// against one published agent (a prediction interval for one new seed of ours):
///   w = √(s²(1 + 1/n) + SE²),  ν = n − 1
/// against a published mean of k seeds without a published spread (the papers' tables), assuming
/// their seeds spread as ours (SE = 0):
///   w = √(s²(1/k + 1/n) + SE²),  ν = n − 1     (k = 1 is the line above)
///   p_worse  = P(T_ν > (P − m − x̄) / w)      p_better = P(T_ν > (x̄ − P − m) / w)
///   95% prediction interval for a new seed: x̄ ± t_{0.975, ν} · w
/// one seed of ours (n = 1) against one published agent, evaluation scores only: x its evaluation
/// mean, se = σ_x/√k_x its episodes' noise; the seeds' spread is unknown, so the test asks whether
/// two agents differ, not whether P is a plausible seed of ours:
///   w = √(se² + SE²),  ν = ∞ (normal)
/// against runs of the reference implementation y₁…y_r (r ≥ 2), where they exist:
///   Welch: w = √(s_x²/n + s_y²/r),  ν Welch–Satterthwaite
///   p_worse  = P(T_ν > (ȳ − m − x̄) / w)      p_better = P(T_ν > (x̄ − ȳ − m) / w)
///
/// Holm's correction over the comparable rows, separately for each direction, at α = 0.05:
///   worse   ⇔ Holm-adjusted p_worse ≤ α       (bench check exits 1)
///   better  ⇔ Holm-adjusted p_better ≤ α
///   matches otherwise
/// ```
/// Why a prediction interval: a zoo row is one trained agent — one draw from the published
/// implementation's distribution over seeds, plus its own evaluation noise — so the question is
/// whether it is a plausible draw from ours, not whether it lies inside a CI of our mean (which
/// shrinks with more seeds while single agents stay as spread out as ever). Our seeds' spread
/// already contains our own evaluation noise; adding the published SE² on top counts evaluation
/// noise once more, which makes the rule slightly conservative (false alarms below α).
///
/// Why the margin: ε = 0.05 is 5 % of the way from a random policy to the best published agent
/// (``ScoreAnchors``). It is a convention, not an estimate: differences far below it (0.005)
/// are rounding-level and must never count, while a shortfall of 5 % of a task's achievable range
/// is one a reader of the zoo's table would call a different result. The tests are therefore
/// non-inferiority ("worse") and superiority ("better") tests at the margin.
///
/// Why Holm: the check asks 13 questions at once; Holm keeps the probability of *any* false
/// "worse" at most α = 5 % whatever the dependence between rows (1979; more powerful than
/// Bonferroni). Where runs of the reference implementation exist, their seeds describe its
/// distribution instead of one draw, so the two-sample test replaces the prediction test.
public struct VerdictRule: Sendable, Equatable {
  /// The family-wise level of the whole check (each direction).
  public var familyLevel: Double
  /// The equivalence margin ε on the normalised scale.
  public var equivalenceMargin: Double
  /// The coverage of the displayed prediction interval.
  public var predictionLevel: Double

  public init(familyLevel: Double = 0.05, equivalenceMargin: Double = 0.05, predictionLevel: Double = 0.95) {
    self.familyLevel = familyLevel
    self.equivalenceMargin = equivalenceMargin
    self.predictionLevel = predictionLevel
  }

  /// The standard rule.
  public static let standard = VerdictRule()

  /// The margin m in return units: ε · (reference − random), or 0 without anchors.
  public func margin(environment: String) -> Double {
    guard let anchors = try? ScoreAnchors.forEnvironment(environment) else { return 0 }
    return equivalenceMargin * abs(anchors.reference - anchors.random)
  }

  /// The test of our seeds against one published agent (or a published mean of
  /// `trainingSeeds` seeds), and the prediction interval for the published number; nil with fewer
  /// than 2 finite scores.
  public func predictionTest(scores: [Double], published: PublishedResult, margin: Double)
    -> (test: RowTest, interval: IntervalEstimate)?
  {
    guard let summary = try? SampleSummary(scores), let s = summary.standardDeviation, scores.count >= 2 else {
      return nil
    }
    let n = Double(scores.count)
    let k = Double(max(published.trainingSeeds, 1))
    let width = (s * s * (1 / k + 1 / n) + published.standardError * published.standardError).squareRoot()
    let nu = n - 1
    let test = Self.oneSided(
      difference: published.meanReturn - summary.mean, margin: margin, width: width, degreesOfFreedom: nu,
      basis: .publishedAgent)
    let t = StudentT.quantile((1 + predictionLevel) / 2, degreesOfFreedom: nu)
    return (
      test,
      IntervalEstimate(estimate: summary.mean, lower: summary.mean - t * width, upper: summary.mean + t * width)
    )
  }

  /// The test of our one agent against one published agent (both evaluated, the zoo's protocol):
  /// `score` our evaluation mean, `standardError` its σ/√k. Nil unless the row is one agent with
  /// a published evaluation noise (SE > 0) and `standardError` is finite.
  ///
  /// Only the agents' evaluation noise enters: how far one seed of either implementation lands
  /// from another is unknown with one seed a side. So it is stricter than the prediction test — a
  /// seed that trained badly is called *worse* where more seeds would show it as the spread — and
  /// the row says so (``RowTest/Basis/singleAgents``); 2 seeds or more use the prediction test.
  public func singleAgentTest(score: Double, standardError se: Double, published: PublishedResult, margin: Double)
    -> RowTest?
  {
    guard published.trainingSeeds == 1, published.measure == .evaluation, published.standardError > 0,
      score.isFinite, se.isFinite, se >= 0
    else { return nil }
    let width = (se * se + published.standardError * published.standardError).squareRoot()
    return Self.oneSided(
      difference: published.meanReturn - score, margin: margin, width: width, degreesOfFreedom: .infinity,
      basis: .singleAgents)
  }

  /// Welch's two-sample test of our seeds against the reference implementation's; nil with fewer
  /// than 2 finite scores on a side.
  public func referenceTest(ours: [Double], theirs: [Double], implementation: String, margin: Double) -> RowTest? {
    guard ours.count >= 2, theirs.count >= 2, let x = try? SampleSummary(ours), let y = try? SampleSummary(theirs),
      let sx = x.standardDeviation, let sy = y.standardDeviation
    else { return nil }
    let vx = sx * sx / Double(ours.count)
    let vy = sy * sy / Double(theirs.count)
    let nu =
      vx + vy > 0
      ? (vx + vy) * (vx + vy) / (vx * vx / Double(ours.count - 1) + vy * vy / Double(theirs.count - 1))
      : Double(ours.count + theirs.count - 2)
    return Self.oneSided(
      difference: y.mean - x.mean, margin: margin, width: (vx + vy).squareRoot(), degreesOfFreedom: nu,
      basis: .referenceRuns(implementation: implementation, seeds: theirs.count))
  }

  /// `difference` = theirs − ours: p_worse = P(T > (d − m)/w), p_better = P(T > (−d − m)/w).
  /// A zero width (no spread, no noise) decides by the sign alone.
  static func oneSided(difference d: Double, margin m: Double, width w: Double, degreesOfFreedom nu: Double, basis: RowTest.Basis)
    -> RowTest
  {
    guard w > 0 else {
      return RowTest(
        basis: basis, statistic: d > m ? .infinity : -.infinity, degreesOfFreedom: nu, pWorse: d > m ? 0 : 1,
        pBetter: -d > m ? 0 : 1)
    }
    let t = (d - m) / w
    return RowTest(
      basis: basis, statistic: t, degreesOfFreedom: nu, pWorse: StudentT.upperTail(t, degreesOfFreedom: nu),
      pBetter: StudentT.upperTail((-d - m) / w, degreesOfFreedom: nu))
  }

  /// The verdicts of a family of rows (nil: not comparable), Holm-corrected per direction.
  public func verdicts(_ tests: [RowTest?]) -> [(verdict: Verdict, adjustedWorse: Double?, adjustedBetter: Double?)] {
    let indices = tests.indices.filter { tests[$0] != nil }
    let worse = HolmCorrection.adjusted(indices.map { tests[$0]!.pWorse })
    let better = HolmCorrection.adjusted(indices.map { tests[$0]!.pBetter })
    var result: [(Verdict, Double?, Double?)] = tests.map { _ in (.notComparable, nil, nil) }
    for (k, i) in indices.enumerated() {
      let verdict: Verdict = worse[k] <= familyLevel ? .worse : better[k] <= familyLevel ? .better : .matches
      result[i] = (verdict, worse[k], better[k])
    }
    return result
  }

  /// The smallest shortfall, in our seeds' standard deviations, that the prediction test can call
  /// *worse* with n seeds in a family of `rows` (Holm's first threshold α/rows; margin and the
  /// published noise aside): t_{1−α/rows, n−1} · √(1 + 1/n).
  public func detectableShortfall(seeds n: Int, rows: Int) -> Double {
    StudentT.quantile(1 - familyLevel / Double(max(rows, 1)), degreesOfFreedom: Double(n - 1))
      * (1 + 1 / Double(n)).squareRoot()
  }

  /// The shortfall, in seed standard deviations, that the two-sample test finds with 80 % power
  /// at Holm's first threshold with n seeds on each side: (t_{1−α/rows, ν} + t_{0.8, ν})·√(2/n),
  /// ν = 2n − 2.
  public func detectableReferenceShortfall(seeds n: Int, rows: Int) -> Double {
    let nu = Double(2 * n - 2)
    return (StudentT.quantile(1 - familyLevel / Double(max(rows, 1)), degreesOfFreedom: nu)
      + StudentT.quantile(0.8, degreesOfFreedom: nu)) * (2 / Double(n)).squareRoot()
  }
}

import Statistics

/// One line of `bench check`: our cell beside a published row, with the verdict.
public struct ReferenceComparison: Codable, Sendable, Equatable {
  /// The published row.
  public var published: PublishedResult
  /// Our seeds.
  public var seeds: [Int]
  /// Our per-seed evaluation means (empty when not evaluated).
  public var scores: [Double]
  /// Our mean with its 95 % bootstrap CI, when evaluated.
  public var mean: IntervalEstimate?
  /// Our training budget.
  public var trainingTimesteps: Int
  /// The equivalence margin m in return units (``VerdictRule/margin(environment:)``).
  public var margin: Double
  /// The prediction interval for one new seed of ours (``VerdictRule/predictionLevel``).
  public var predictionInterval: IntervalEstimate?
  /// The test that decides the row (the two-sample test where reference runs exist).
  public var test: RowTest?
  /// Holm-adjusted p-value of "ours is worse", over the comparable rows.
  public var adjustedPWorse: Double?
  /// Holm-adjusted p-value of "ours is better".
  public var adjustedPBetter: Double?
  /// The verdict.
  public var verdict: Verdict
  /// Why.
  public var reason: String
  /// With one seed tested against one published agent: that seed's evaluation σ/√k.
  public var singleAgentStandardError: Double?

  /// The environment id.
  public var environment: String { published.environment }
  /// Our algorithm the row belongs to; nil for a row of another algorithm (context only).
  public var algorithm: AlgorithmID? { published.algorithm }
  /// The algorithm as the table prints it: ours, or the published one's name.
  public var algorithmName: String { published.publishedAlgorithm }
}

/// Compares a suite's aggregate with the published rows (``PublishedResult/all``) by
/// ``VerdictRule``, like with like, using runs of the reference implementation where they exist.
///
/// ```
/// a row is tested only when all hold, else "not comparable (why)":
///   the row is one of our algorithms          (not DQN, AC(λ): context)
///   the number is printed in the source       (not read from a figure: context)
///   our training budget = the row's           (agent steps; Atari 1 step = 4 frames)
///   we have its measure                       evaluation → our evaluation scores (zoo protocol)
///                                             last 100 training episodes → our last-100 means
///   at least 2 of our seeds                   (prediction test), or 1 seed against one
///                                             published agent's evaluation (single-agent test)
/// ```
public enum ReferenceCheck {
  /// One comparison per published row of an environment of the aggregate: rows of our algorithms
  /// where that algorithm ran, rows of other algorithms once per environment; in the order of the
  /// aggregate's cells, then of `references`.
  ///
  /// - Parameter referenceRuns: runs of another implementation
  ///   (``ReferenceImplementationRun/load(resultsFolder:)``); those with our training budget and
  ///   at least 2 seeds decide an evaluation row by the two-sample test.
  public static func compare(
    _ aggregate: SuiteAggregate, referenceRuns: [ReferenceImplementationRun] = [],
    references: [PublishedResult] = PublishedResult.all, rule: VerdictRule = .standard
  ) -> [ReferenceComparison] {
    var rows: [ReferenceComparison] = []
    var environmentsDone: Set<String> = []
    for cell in aggregate.cells {
      for published in references where published.environment == cell.environment && published.algorithm == cell.algorithm {
        rows.append(row(published, cell: cell, referenceRuns: referenceRuns, rule: rule))
      }
      if environmentsDone.insert(cell.environment).inserted {
        for published in references where published.environment == cell.environment && published.algorithm == nil {
          rows.append(row(published, cell: nil, referenceRuns: [], rule: rule))
        }
      }
    }
    let verdicts = rule.verdicts(rows.map(\.test))
    for i in rows.indices where rows[i].test != nil {
      rows[i].verdict = verdicts[i].verdict
      rows[i].adjustedPWorse = verdicts[i].adjustedWorse
      rows[i].adjustedPBetter = verdicts[i].adjustedBetter
      rows[i].reason = reason(rows[i], rule: rule)
    }
    return rows
  }

  /// One row before the correction across rows: tested, or not comparable with the reason.
  static func row(
    _ published: PublishedResult, cell: CellAggregate?, referenceRuns: [ReferenceImplementationRun], rule: VerdictRule
  ) -> ReferenceComparison {
    let measure = cell.flatMap { published.measure == .evaluation ? $0.evaluation : $0.lastHundred }
    let margin = rule.margin(environment: published.environment)
    var row = ReferenceComparison(
      published: published, seeds: cell?.seeds ?? [], scores: measure?.values ?? [], mean: measure?.mean,
      trainingTimesteps: cell?.trainingTimesteps ?? 0, margin: margin, predictionInterval: nil, test: nil,
      adjustedPWorse: nil, adjustedPBetter: nil, verdict: .notComparable, reason: "")
    guard let cell else {
      row.reason = "another algorithm (\(published.publishedAlgorithm)): shown for context, not tested"
      return row
    }
    guard published.derivation.isEmpty else {
      row.reason = "\(published.derivation): shown for context, not tested"
      return row
    }
    if cell.trainingTimesteps != published.trainingTimesteps {
      row.reason = "trained \(cell.trainingTimesteps) steps; the published \(published.trainingSeeds == 1 ? "agent" : "runs") \(published.trainingTimesteps)"
      return row
    }
    guard measure != nil else {
      row.reason =
        published.measure == .evaluation
        ? "no evaluation (the published number is an evaluation score)"
        : "no finite last-100 training mean (a run finished no training episode)"
      return row
    }
    guard let prediction = rule.predictionTest(scores: row.scores, published: published, margin: margin) else {
      if row.scores.count == 1, published.measure == .evaluation, let se = cell.evaluationStandardErrors?.first,
        let single = rule.singleAgentTest(score: row.scores[0], standardError: se, published: published, margin: margin)
      {
        row.test = single
        row.singleAgentStandardError = se
        return row
      }
      row.reason =
        "\(row.scores.count) seed(s); a prediction interval needs at least 2"
        + (row.scores.count == 1 && published.measure == .evaluation
          ? " (one seed is tested only against one published agent with its evaluation noise)" : "")
      return row
    }
    row.predictionInterval = prediction.interval
    row.test = prediction.test
    guard published.measure == .evaluation else { return row }
    let theirs = referenceRuns.filter {
      $0.environment == cell.environment && $0.algorithm == cell.algorithm && $0.timesteps == cell.trainingTimesteps
    }
    // Runs evaluated otherwise (another budget, or copies that censor episodes) do not decide the
    // row; the implementation table shows them as not comparable.
    if let implementation = Set(theirs.map(\.implementation)).sorted().first,
      case let group = theirs.filter({ $0.implementation == implementation }),
      ReferenceImplementationComparison.evaluationMismatch(of: group, oursTimesteps: cell.evaluationTimesteps) == nil,
      let two = rule.referenceTest(
        ours: row.scores, theirs: group.map(\.evaluationMeanReturn), implementation: implementation, margin: margin)
    {
      row.test = two
    }
    return row
  }

  /// The one-line reason of a tested row.
  static func reason(_ row: ReferenceComparison, rule: VerdictRule) -> String {
    guard let test = row.test, let worse = row.adjustedPWorse, let better = row.adjustedPBetter else { return row.reason }
    let d = Format.digits(for: row.published.meanReturn)
    let against: String
    switch test.basis {
    case .publishedAgent:
      let pi = row.predictionInterval.map { "[\(Format.fixed($0.lower, d)), \(Format.fixed($0.upper, d))]" } ?? "–"
      against =
        (row.published.trainingSeeds == 1 ? "published agent " : "published mean of \(row.published.trainingSeeds) seeds ")
        + "\(Format.fixed(row.published.meanReturn, d)) vs our "
        + "\(Format.fixed(rule.predictionLevel * 100, 0))% prediction interval for one new seed \(pi)"
    case .referenceRuns(let implementation, let seeds):
      against = "\(implementation) runs (\(seeds) seeds) vs our \(row.scores.count), Welch"
    case .singleAgents:
      let se = row.singleAgentStandardError.map { " ± \(Format.fixed($0, d))" } ?? ""
      against =
        "published agent \(Format.fixed(row.published.meanReturn, d)) ± \(Format.fixed(row.published.standardError, d)) vs "
        + "our one agent \(Format.fixed(row.scores.first ?? .nan, d))\(se) (± SE of the evaluation episodes; one seed a side: "
        + "compares two agents, not the seeds' spread)"
    }
    let margin = "margin \(Format.fixed(row.margin, d))"
    func p(_ value: Double) -> String { value < 0.001 ? "< 0.001" : "= " + Format.fixed(value, 3) }
    switch row.verdict {
    case .worse:
      return "\(against); \(margin); Holm-adjusted p(worse) \(p(worse)) ≤ \(rule.familyLevel)"
    case .better:
      return "\(against); \(margin); Holm-adjusted p(better) \(p(better)) ≤ \(rule.familyLevel)"
    default:
      return "\(against); \(margin); Holm-adjusted p(worse) \(p(worse)), p(better) \(p(better))"
    }
  }
}

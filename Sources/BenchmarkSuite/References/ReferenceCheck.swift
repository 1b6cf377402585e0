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

  /// The environment id.
  public var environment: String { published.environment }
  /// The algorithm.
  public var algorithm: AlgorithmID { published.algorithm }
}

/// Compares a suite's aggregate with the published rows (``PublishedResult/rlBaselinesZoo``) by
/// ``VerdictRule``, using runs of the reference implementation where they exist.
public enum ReferenceCheck {
  /// One comparison per published row whose (environment, algorithm) has runs, in the order of
  /// the aggregate's cells.
  ///
  /// - Parameter referenceRuns: runs of another implementation
  ///   (``ReferenceImplementationRun/load(resultsFolder:)``); those with our training budget and
  ///   at least 2 seeds decide their row by the two-sample test.
  public static func compare(
    _ aggregate: SuiteAggregate, referenceRuns: [ReferenceImplementationRun] = [],
    references: [PublishedResult] = PublishedResult.rlBaselinesZoo, rule: VerdictRule = .standard
  ) -> [ReferenceComparison] {
    var rows: [ReferenceComparison] = aggregate.cells.compactMap { cell in
      guard
        let published = references.first(where: {
          $0.environment == cell.environment && $0.algorithm == cell.algorithm
        })
      else { return nil }
      let margin = rule.margin(environment: cell.environment)
      var row = ReferenceComparison(
        published: published, seeds: cell.seeds, scores: cell.evaluation?.values ?? [], mean: cell.evaluation?.mean,
        trainingTimesteps: cell.trainingTimesteps, margin: margin, predictionInterval: nil, test: nil,
        adjustedPWorse: nil, adjustedPBetter: nil, verdict: .notComparable, reason: "")
      if cell.trainingTimesteps != published.trainingTimesteps {
        row.reason = "trained \(cell.trainingTimesteps) steps; the published agent \(published.trainingTimesteps)"
        return row
      }
      guard cell.evaluation != nil else {
        row.reason = "no evaluation (the published number is an evaluation score)"
        return row
      }
      guard let prediction = rule.predictionTest(scores: row.scores, published: published, margin: margin) else {
        row.reason = "\(row.scores.count) seed(s); a prediction interval needs at least 2"
        return row
      }
      row.predictionInterval = prediction.interval
      row.test = prediction.test
      let theirs = referenceRuns.filter {
        $0.environment == cell.environment && $0.algorithm == cell.algorithm && $0.timesteps == cell.trainingTimesteps
      }
      if let implementation = Set(theirs.map(\.implementation)).sorted().first,
        let two = rule.referenceTest(
          ours: row.scores, theirs: theirs.filter { $0.implementation == implementation }.map(\.evaluationMeanReturn),
          implementation: implementation, margin: margin)
      {
        row.test = two
      }
      return row
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

  /// The one-line reason of a tested row.
  static func reason(_ row: ReferenceComparison, rule: VerdictRule) -> String {
    guard let test = row.test, let worse = row.adjustedPWorse, let better = row.adjustedPBetter else { return row.reason }
    let d = Format.digits(for: row.published.meanReturn)
    let against: String
    switch test.basis {
    case .publishedAgent:
      let pi = row.predictionInterval.map { "[\(Format.fixed($0.lower, d)), \(Format.fixed($0.upper, d))]" } ?? "–"
      against =
        "published agent \(Format.fixed(row.published.meanReturn, d)) vs our "
        + "\(Format.fixed(rule.predictionLevel * 100, 0))% prediction interval for one new seed \(pi)"
    case .referenceRuns(let implementation, let seeds):
      against = "\(implementation) runs (\(seeds) seeds) vs our \(row.scores.count), Welch"
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

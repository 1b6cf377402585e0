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
  /// The published number's noise band δ.
  public var tolerance: Double
  /// Seeds scoring at least P − δ.
  public var seedsReaching: Int
  /// The verdict.
  public var verdict: Verdict
  /// Why.
  public var reason: String

  /// The environment id.
  public var environment: String { published.environment }
  /// The algorithm.
  public var algorithm: AlgorithmID { published.algorithm }
}

/// Compares a suite's aggregate with the published rows (``PublishedResult/rlBaselinesZoo``).
public enum ReferenceCheck {
  /// One comparison per published row whose (environment, algorithm) has runs, in the order of
  /// the aggregate's cells.
  public static func compare(
    _ aggregate: SuiteAggregate, references: [PublishedResult] = PublishedResult.rlBaselinesZoo,
    rule: VerdictRule = .standard
  ) -> [ReferenceComparison] {
    aggregate.cells.compactMap { cell in
      guard
        let published = references.first(where: {
          $0.environment == cell.environment && $0.algorithm == cell.algorithm
        })
      else { return nil }
      let tolerance = rule.tolerance(for: published)
      guard let evaluation = cell.evaluation else {
        return ReferenceComparison(
          published: published, seeds: cell.seeds, scores: [], mean: nil,
          trainingTimesteps: cell.trainingTimesteps,
          tolerance: tolerance, seedsReaching: 0, verdict: .notComparable,
          reason: "no evaluation (the published number is an evaluation score)")
      }
      let outcome = rule.verdict(
        scores: evaluation.values, meanInterval: evaluation.mean, published: published,
        trainingTimesteps: cell.trainingTimesteps)
      return ReferenceComparison(
        published: published, seeds: cell.seeds, scores: evaluation.values, mean: evaluation.mean,
        trainingTimesteps: cell.trainingTimesteps, tolerance: tolerance,
        seedsReaching: evaluation.values.filter { $0 >= published.meanReturn - tolerance }.count,
        verdict: outcome.verdict, reason: outcome.reason)
    }
  }
}

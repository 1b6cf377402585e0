import Statistics

/// `results/aggregate/<suite>.json`: the statistics of one suite's runs (design.md §5).
///
/// ```
/// cells        per (environment, algorithm): per-seed values, mean, sd, median, IQM and 95 %
///              stratified-bootstrap CIs of the evaluation mean return and the last-100 mean
/// algorithms   per algorithm and task set: IQM, mean, median, optimality gap of normalised scores
/// improvement  P(X > Y) for every algorithm pair over the environments both ran
/// unestimatedImprovement
///              every other pair, with why it has no P(X > Y) (no shared environment, no seed on
///              all of them, …): a pair is in exactly one of the two lists
/// welch        Welch's t-test of the per-seed scores, per environment and algorithm pair
/// ```
/// Every interval is a percentile bootstrap (Agarwal et al. 2021, https://arxiv.org/abs/2108.13264)
/// driven by a named GSL `mt19937` stream of `SeedSequence(runSeed: bootstrap.seed)`, so the file
/// is a pure function of the runs and the settings.
public struct SuiteAggregate: Codable, Sendable, Equatable {
  /// The version of this file's layout.
  public static let currentFormatVersion = 1

  /// This file's layout version.
  public var formatVersion: Int
  /// The suite.
  public var suite: String
  /// What the per-run score is.
  public var score: String
  /// How scores are normalised.
  public var normalization: String
  /// The bootstrap settings.
  public var bootstrap: BootstrapSettings
  /// The anchors of every environment with runs and committed anchors.
  public var anchors: [ScoreAnchors]
  /// Per (environment, algorithm), environments in registry order, then algorithms.
  public var cells: [CellAggregate]
  /// Per algorithm and task set.
  public var algorithms: [AlgorithmAggregate]
  /// Per unordered algorithm pair (x before y in ``AlgorithmID`` order).
  public var improvement: [ImprovementEstimate]
  /// The pairs without an estimate, and why (x before y in ``AlgorithmID`` order).
  public var unestimatedImprovement: [UnestimatedImprovement] = []
  /// Per environment and unordered algorithm pair.
  public var welch: [WelchComparison]

  /// Whether every algorithm's score matrix is one run (one seed on one environment): its score
  /// is then a value, not an aggregate with an interval.
  public var hasOneRunPerAlgorithm: Bool {
    algorithms.allSatisfy { $0.seeds.count == 1 && $0.environments.count == 1 }
  }

  /// The cell of (environment, algorithm).
  public func cell(environment: String, algorithm: AlgorithmID) -> CellAggregate? {
    cells.first { $0.environment == environment && $0.algorithm == algorithm }
  }

  /// Those of `algorithms` without an aggregate over `taskSet` (none of their seeds ran on every
  /// environment of the set, or they have no runs there), in the order given.
  public func algorithms(_ algorithms: [AlgorithmID], without taskSet: AlgorithmAggregate.TaskSet) -> [AlgorithmID] {
    algorithms.filter { algorithm in !self.algorithms.contains { $0.algorithm == algorithm && $0.taskSet == taskSet } }
  }
}

/// The resampling settings of a ``SuiteAggregate``.
public struct BootstrapSettings: Codable, Sendable, Equatable {
  /// Replicates for every interval of the aggregate file (rliable's default: 50,000).
  public var repetitions: Int
  /// Replicates per checkpoint for learning-curve bands (plots only).
  public var curveRepetitions: Int
  /// Replicates for performance-profile bands (rliable's default: 2,000).
  public var profileRepetitions: Int
  /// Interval coverage.
  public var confidenceLevel: Double
  /// The seed of `SeedSequence(runSeed:)` whose named streams drive the resampling.
  public var seed: Int
  /// The method, in words.
  public var method: String

  /// Settings; the defaults are rliable's (50,000 replicates for intervals, 2,000 for profiles, 95 %).
  public init(
    repetitions: Int = 50_000, curveRepetitions: Int = 2_000, profileRepetitions: Int = 2_000,
    confidenceLevel: Double = 0.95, seed: Int = 0
  ) {
    self.repetitions = repetitions
    self.curveRepetitions = curveRepetitions
    self.profileRepetitions = profileRepetitions
    self.confidenceLevel = confidenceLevel
    self.seed = seed
    self.method =
      "percentile bootstrap; runs (seeds) resampled with replacement within each environment "
      + "(stratified); type-7 quantiles; GSL mt19937 streams 'bootstrap/<what>' of SeedSequence(seed)"
  }
}

/// The statistics of one (environment, algorithm) cell over seeds.
public struct CellAggregate: Codable, Sendable, Equatable {
  /// The environment id.
  public var environment: String
  /// The algorithm.
  public var algorithm: AlgorithmID
  /// The seeds, ascending.
  public var seeds: [Int]
  /// The training budget of the runs (environment steps).
  public var trainingTimesteps: Int
  /// Evaluation mean return per seed (zoo protocol), when every run was evaluated.
  public var evaluation: MeasureAggregate?
  /// Mean return of the last 100 training episodes per seed.
  public var lastHundred: MeasureAggregate?
  /// Normalised score per seed (``ScoreAnchors``), when the environment has anchors.
  public var normalizedScores: [Double]?
  /// Complete evaluation episodes over all seeds.
  public var evaluationEpisodes: Int
  /// Per seed, the standard error of its evaluation mean over its own episodes, σ/√k (σ the
  /// episodes' population sd, k their number; the zoo's convention): one agent's evaluation
  /// noise, which decides a one-seed cell against one published agent
  /// (``VerdictRule/singleAgentTest(score:standardError:published:margin:)``). Nil when a run was
  /// not evaluated (and in aggregates written before it existed).
  public var evaluationStandardErrors: [Double]?
  /// The evaluation budget (environment steps of one copy) every run of the cell used; nil when
  /// they differ (and in aggregates written before it existed).
  public var evaluationTimesteps: Int?
  /// Anything that limited the statistics (missing evaluation, non-finite values).
  public var notes: [String]

  /// The per-seed scores the aggregates use: evaluation means, or last-100 means without
  /// evaluation.
  public var scores: [Double]? { (evaluation ?? lastHundred)?.values }
}

/// One measure over seeds: values, descriptive statistics and bootstrap intervals.
public struct MeasureAggregate: Codable, Sendable, Equatable {
  /// Per seed, in seed order.
  public var values: [Double]
  /// Count, mean, sd (n − 1), standard error, median, IQM, minimum, maximum.
  public var summary: SampleSummary
  /// The mean with its bootstrap interval.
  public var mean: IntervalEstimate
  /// The median with its bootstrap interval.
  public var median: IntervalEstimate
  /// The interquartile mean with its bootstrap interval.
  public var iqm: IntervalEstimate
}

/// Aggregates of one algorithm's normalised scores over a set of environments.
public struct AlgorithmAggregate: Codable, Sendable, Equatable {
  /// The set: ``TaskSet/all`` (every environment the algorithm ran) or ``TaskSet/shared``.
  public enum TaskSet: String, Codable, Sendable, CaseIterable {
    /// Every environment the algorithm ran on.
    case all
    /// The environments every algorithm of the suite ran on.
    case shared

    /// Words for tables and legends.
    public var title: String {
      switch self {
      case .all: return "all environments it supports"
      case .shared: return "environments shared by all algorithms"
      }
    }
  }

  /// The algorithm.
  public var algorithm: AlgorithmID
  /// Which environments.
  public var taskSet: TaskSet
  /// The environments, in registry order.
  public var environments: [String]
  /// The seeds present on every one of those environments (the runs of the score matrix).
  public var seeds: [Int]
  /// IQM over all runs × environments.
  public var iqm: IntervalEstimate
  /// Mean over environments of the per-environment mean.
  public var mean: IntervalEstimate
  /// Median over environments of the per-environment mean.
  public var median: IntervalEstimate
  /// Optimality gap at γ = 1 (lower is better).
  public var optimalityGap: IntervalEstimate
}

/// The average probability that algorithm x scores above algorithm y on an environment both ran.
public struct ImprovementEstimate: Codable, Sendable, Equatable {
  /// The first algorithm.
  public var x: AlgorithmID
  /// The second algorithm.
  public var y: AlgorithmID
  /// The environments both ran, in registry order.
  public var environments: [String]
  /// P(x > y) with its bootstrap interval; P(y > x) = 1 − P(x > y).
  public var probability: IntervalEstimate
}

/// An algorithm pair without a probability of improvement, and why.
public struct UnestimatedImprovement: Codable, Sendable, Equatable {
  /// The first algorithm.
  public var x: AlgorithmID
  /// The second algorithm.
  public var y: AlgorithmID
  /// Why there is no estimate, in words ("no environment where both ran", …).
  public var reason: String

  public init(x: AlgorithmID, y: AlgorithmID, reason: String) {
    self.x = x
    self.y = y
    self.reason = reason
  }
}

/// Welch's t-test of two algorithms' per-seed scores on one environment.
public struct WelchComparison: Codable, Sendable, Equatable {
  /// The environment id.
  public var environment: String
  /// The first algorithm.
  public var x: AlgorithmID
  /// The second algorithm.
  public var y: AlgorithmID
  /// Mean score of x minus mean score of y.
  public var meanDifference: Double
  /// The t statistic, when defined.
  public var statistic: Double?
  /// Welch–Satterthwaite degrees of freedom, when defined.
  public var degreesOfFreedom: Double?
  /// Two-sided p-value, when defined.
  public var pValue: Double?
  /// Why the test is undefined, when it is (too few seeds, zero variance).
  public var note: String?
}

import Randomness
import Statistics

/// One suite against another, cell by cell: the same (environment, algorithm) trained under two
/// settings — `pomdp` (MlpLstmPolicy) against `pomdp-mlp` (MlpPolicy), say.
///
/// ```
/// for each (environment, algorithm) present in both suites, and each measure m
/// (evaluation mean return; last-100 training mean return):
///   x = m over the suite's seeds,  y = m over the baseline's seeds
///   mean, median, IQM of x and of y with percentile-bootstrap CIs   (as `bench aggregate`)
///   Welch's t-test of x against y: t, ν (Welch–Satterthwaite), two-sided p
///   Holm–Bonferroni adjusted p over every cell of the measure        (family: this comparison)
///   P(X > Y) with an independent-bootstrap CI                       (rliable, one task)
/// ```
/// The runs of the two suites are independent (different networks draw different random
/// numbers), so the seed numbers are not paired: Welch, not a paired t-test. Every resample draws
/// from a named stream `bootstrap/compare/…` of `SeedSequence(bootstrap seed)`, so the result is a
/// pure function of the runs.
public struct SuiteComparison: Codable, Sendable, Equatable {
  /// The version of this file's format.
  public static let currentFormatVersion = 1

  /// The suites built to be compared with another, and that other: the same entries with one
  /// setting changed (`pomdp`: MlpLstmPolicy; `pomdp-mlp`: the feed-forward MlpPolicy).
  /// `bench report` compares each pair present in the results folder.
  public static let designedPairs: [(suite: String, baseline: String, question: String)] = [
    ("pomdp", "pomdp-mlp", "does a recurrent policy (MlpLstmPolicy) beat the feed-forward MlpPolicy where velocities are hidden?")
  ]

  /// The format version.
  public var formatVersion: Int
  /// The suite compared (X).
  public var suite: String
  /// The suite it is compared against (Y).
  public var baseline: String
  /// The resampling settings.
  public var bootstrap: BootstrapSettings
  /// The cells present in both suites, in registry and algorithm order.
  public var cells: [CellComparison]
  /// `<environment>/<algorithm>` of the cells present in only one of the two suites.
  public var unmatched: [String]

  /// The two measures a cell is compared on.
  public enum Measure: String, Codable, Sendable, CaseIterable {
    /// The evaluation mean return after training (zoo protocol).
    case evaluation
    /// The mean return of the last 100 training episodes.
    case lastHundred

    /// Words for tables.
    public var title: String {
      switch self {
      case .evaluation: return "evaluation mean return"
      case .lastHundred: return "last-100 training mean return"
      }
    }
  }

  /// One (environment, algorithm) in both suites.
  public struct CellComparison: Codable, Sendable, Equatable {
    /// The environment id.
    public var environment: String
    /// The algorithm.
    public var algorithm: AlgorithmID
    /// One entry per measure both suites have for this cell.
    public var measures: [MeasureComparison]

    /// The comparison on `measure`, when both suites have it.
    public func measure(_ measure: Measure) -> MeasureComparison? { measures.first { $0.measure == measure } }
  }

  /// X against Y on one measure.
  public struct MeasureComparison: Codable, Sendable, Equatable {
    /// Which measure.
    public var measure: Measure
    /// X's per-seed values with their statistics.
    public var suite: MeasureAggregate
    /// Y's per-seed values with their statistics.
    public var baseline: MeasureAggregate
    /// Welch's t-test of X against Y (`x` and `y` are the cell's algorithm on both sides).
    public var welch: WelchComparison
    /// The Welch p-value adjusted (Holm–Bonferroni) over all cells compared on this measure;
    /// `nil` when the test is undefined.
    public var holmAdjustedPValue: Double?
    /// P(X > Y) with its bootstrap interval.
    public var probabilityOfImprovement: IntervalEstimate?
  }

  /// The comparison on `measure` of `environment`/`algorithm`, when present.
  public func comparison(environment: String, algorithm: AlgorithmID, measure: Measure) -> MeasureComparison? {
    cells.first { $0.environment == environment && $0.algorithm == algorithm }?.measure(measure)
  }

  /// Compares `suite` with `baseline`.
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` when the bootstrap settings are
  ///   invalid, or when no (environment, algorithm) is present in both catalogs.
  public init(
    _ suite: ResultsCatalog, against baseline: ResultsCatalog, settings: BootstrapSettings = BootstrapSettings()
  ) throws(BenchmarkError) {
    let aggregator = Aggregator(settings: settings)
    let bootstrap = try aggregator.makeBootstrap(repetitions: settings.repetitions)
    let seeds = SeedSequence(runSeed: UInt64(settings.seed))
    let keysX = Set(suite.runs.map { Self.key($0.environment, $0.algorithm) })
    let keysY = Set(baseline.runs.map { Self.key($0.environment, $0.algorithm) })
    var cells: [CellComparison] = []
    for environment in ResultsCatalog.environmentOrder(Set(suite.runs.map(\.environment))) {
      for algorithm in suite.algorithms(on: environment) where keysY.contains(Self.key(environment, algorithm)) {
        let prefix = "compare/\(environment)/\(algorithm.rawValue)"
        let x = suite.runs(environment: environment, algorithm: algorithm)
        let y = baseline.runs(environment: environment, algorithm: algorithm)
        var measures: [MeasureComparison] = []
        for measure in Measure.allCases {
          guard let vx = Self.values(x, measure), let vy = Self.values(y, measure),
            let ax = aggregator.measure(
              vx, bootstrap: bootstrap, stream: seeds.stream(for: aggregator.purpose("\(prefix)/\(measure)/x"))),
            let ay = aggregator.measure(
              vy, bootstrap: bootstrap, stream: seeds.stream(for: aggregator.purpose("\(prefix)/\(measure)/y")))
          else { continue }
          let improvement = (try? ScoreMatrix(tasks: [vx])).flatMap { mx in
            (try? ScoreMatrix(tasks: [vy])).flatMap { my in
              try? bootstrap.probabilityOfImprovement(
                of: mx, over: my, using: seeds.stream(for: aggregator.purpose("\(prefix)/\(measure)/improvement")))
            }
          }
          measures.append(
            MeasureComparison(
              measure: measure, suite: ax, baseline: ay,
              welch: Aggregator.welch(environment: environment, x: algorithm, y: algorithm, vx, vy),
              holmAdjustedPValue: nil, probabilityOfImprovement: improvement))
        }
        cells.append(CellComparison(environment: environment, algorithm: algorithm, measures: measures))
      }
    }
    guard !cells.isEmpty else {
      throw .invalidOption(
        name: "--against", value: baseline.suite,
        allowed: "a suite with runs of the same (environment, algorithm) as \(suite.suite) "
          + "(\(suite.suite): \(keysX.sorted().joined(separator: ", ")); \(baseline.suite): "
          + "\(keysY.sorted().joined(separator: ", ")))")
    }
    Self.adjust(&cells)
    self.formatVersion = Self.currentFormatVersion
    self.suite = suite.suite
    self.baseline = baseline.suite
    self.bootstrap = settings
    self.cells = cells
    self.unmatched = keysX.symmetricDifference(keysY).sorted()
  }

  /// `environment/algorithm`.
  static func key(_ environment: String, _ algorithm: AlgorithmID) -> String { "\(environment)/\(algorithm.rawValue)" }

  /// The per-seed values of `measure`; `nil` when a run lacks it (no evaluation).
  static func values(_ runs: [RunRecord], _ measure: Measure) -> [Double]? {
    switch measure {
    case .evaluation:
      let values = runs.compactMap { $0.summary.evaluation?.meanReturn }
      return values.count == runs.count ? values : nil
    case .lastHundred:
      return runs.map(\.summary.lastHundredMeanReturn)
    }
  }

  /// Fills ``MeasureComparison/holmAdjustedPValue``: one Holm family per measure.
  static func adjust(_ cells: inout [CellComparison]) {
    for measure in Measure.allCases {
      var positions: [(cell: Int, entry: Int)] = []
      var pValues: [Double] = []
      for (c, cell) in cells.enumerated() {
        for (m, entry) in cell.measures.enumerated() where entry.measure == measure {
          if let p = entry.welch.pValue {
            positions.append((c, m))
            pValues.append(p)
          }
        }
      }
      for (position, adjusted) in zip(positions, HolmCorrection.adjusted(pValues)) {
        cells[position.cell].measures[position.entry].holmAdjustedPValue = adjusted
      }
    }
  }
}

import Randomness
import Statistics

/// Computes a ``SuiteAggregate`` from a ``ResultsCatalog``.
///
/// ```
/// cell measure:   values xₛ over seeds s;  mean, median, IQM each with a percentile bootstrap CI
///                 (stream "bootstrap/cell/<env>/<algo>/<measure>")
/// algorithm:      ScoreMatrix seeds × environments of normalised scores (ScoreAnchors);
///                 IQM, mean, median, optimality gap (γ = 1) with stratified bootstrap CIs
///                 (stream "bootstrap/aggregate/<task set>/<algo>")
/// improvement:    P(X > Y) over the environments both ran, raw scores (the statistic is
///                 rank-based), independent stratified bootstrap (stream "bootstrap/improvement/<x>/<y>")
/// Welch:          t-test of the per-seed scores of X and Y on each environment
/// ```
/// A score matrix needs the same runs on every environment, so an algorithm's aggregate uses the
/// seeds present on all of its environments (normally all of them).
public struct Aggregator: Sendable {
  /// The bootstrap settings.
  public var settings: BootstrapSettings

  /// An aggregator with the given bootstrap settings (rliable defaults: 50,000 replicates, 95 %).
  public init(settings: BootstrapSettings = BootstrapSettings()) { self.settings = settings }

  /// The statistics of `catalog`.
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` when the bootstrap settings
  ///   are invalid.
  public func aggregate(_ catalog: ResultsCatalog) throws(BenchmarkError) -> SuiteAggregate {
    let bootstrap = try makeBootstrap(repetitions: settings.repetitions)
    let seeds = SeedSequence(runSeed: UInt64(settings.seed))
    let anchors = catalog.environments.compactMap { try? ScoreAnchors.forEnvironment($0) }
    var cells: [CellAggregate] = []
    for environment in catalog.environments {
      for algorithm in catalog.algorithms(on: environment) {
        cells.append(
          cell(
            catalog.runs(environment: environment, algorithm: algorithm), bootstrap: bootstrap, seeds: seeds,
            anchors: anchors.first { $0.environment == environment }))
      }
    }
    let algorithms = algorithmAggregates(catalog: catalog, cells: cells, bootstrap: bootstrap, seeds: seeds)
    let pairs = comparisons(catalog: catalog, cells: cells, bootstrap: bootstrap, seeds: seeds)
    return SuiteAggregate(
      formatVersion: SuiteAggregate.currentFormatVersion, suite: catalog.suite,
      score:
        "evaluation mean return after training (zoo protocol: stochastic policy, ≈150,000 steps, "
        + "normalisation frozen); the last-100 training mean where a run has no evaluation",
      normalization:
        "(score − random) / (reference − random); random = seeded uniform random policy "
        + "(\(ScoreAnchors.randomCommand)), reference = best rl-baselines-zoo score over A2C, ACER, ACKTR"
        + (anchors.contains { ScoreAnchors.minAtar.contains($0) }
          ? "; MinAtar: random over 100 episodes (\(ScoreAnchors.minAtarRandomCommand)), reference = the better "
            + "of the MinAtar paper's DQN and AC(λ) at 5M frames (read from its figure)" : ""),
      bootstrap: settings, anchors: anchors, cells: cells, algorithms: algorithms, improvement: pairs.improvement,
      unestimatedImprovement: pairs.unestimated, welch: pairs.welch)
  }

  func makeBootstrap(repetitions: Int) throws(BenchmarkError) -> StratifiedBootstrap {
    do {
      return try StratifiedBootstrap(repetitions: repetitions, confidenceLevel: settings.confidenceLevel)
    } catch {
      throw .invalidOption(
        name: "bootstrap", value: "repetitions \(repetitions), confidence \(settings.confidenceLevel)",
        allowed: "repetitions ≥ 1 and a confidence level in (0, 1) (\(error))")
    }
  }

  // MARK: - Cells

  func cell(
    _ runs: [RunRecord], bootstrap: StratifiedBootstrap, seeds: SeedSequence, anchors: ScoreAnchors?
  ) -> CellAggregate {
    let first = runs[0]
    let prefix = "cell/\(first.environment)/\(first.algorithm.rawValue)"
    var notes: [String] = []
    var evaluation: MeasureAggregate? = nil
    let evaluations = runs.compactMap(\.summary.evaluation)
    if evaluations.count == runs.count {
      evaluation = measure(
        evaluations.map(\.meanReturn), bootstrap: bootstrap,
        stream: seeds.stream(for: purpose(prefix + "/evaluation")))
      if evaluation == nil {
        notes.append("an evaluation mean is not finite (no complete evaluation episode)")
      }
    } else {
      notes.append(
        "\(runs.count - evaluations.count) of \(runs.count) runs have no evaluation; "
          + "scores are last-100 means"
      )
    }
    let lastHundred = measure(
      runs.map(\.summary.lastHundredMeanReturn), bootstrap: bootstrap,
      stream: seeds.stream(for: purpose(prefix + "/last100")))
    if lastHundred == nil { notes.append("a last-100 mean is not finite (fewer than one training episode)") }
    let scores = (evaluation ?? lastHundred)?.values
    let timesteps = Set(runs.map(\.run.entry.timesteps))
    if timesteps.count > 1 { notes.append("the runs used different budgets: \(timesteps.sorted())") }
    return CellAggregate(
      environment: first.environment, algorithm: first.algorithm, seeds: runs.map(\.seed),
      trainingTimesteps: timesteps.max() ?? 0, evaluation: evaluation, lastHundred: lastHundred,
      normalizedScores: anchors.flatMap { a in scores.map { $0.map(a.normalize) } },
      evaluationEpisodes: evaluations.reduce(0) { $0 + $1.episodes },
      evaluationStandardErrors: evaluations.count == runs.count
        ? evaluations.map { $0.episodes > 0 ? $0.standardDeviation / Double($0.episodes).squareRoot() : .nan } : nil,
      evaluationTimesteps: Set(runs.map(\.run.entry.evaluationTimesteps)).count == 1 ? first.run.entry.evaluationTimesteps : nil,
      notes: notes)
  }

  /// Mean, median and IQM over seeds with bootstrap intervals; `nil` when a value is not finite.
  func measure(_ values: [Double], bootstrap: StratifiedBootstrap, stream: RandomStream) -> MeasureAggregate?
  {
    guard let summary = try? SampleSummary(values), let matrix = try? ScoreMatrix(tasks: [values]) else {
      return nil
    }
    let estimates = bootstrap.intervals(for: matrix, using: stream) { resample in
      let column = resample.scores
      return [
        (try? Descriptive.mean(column)) ?? .nan, (try? Descriptive.median(column)) ?? .nan,
        (try? Descriptive.iqm(column)) ?? .nan,
      ]
    }
    return MeasureAggregate(
      values: values, summary: summary, mean: estimates[0], median: estimates[1], iqm: estimates[2])
  }

  // MARK: - Algorithms

  func algorithmAggregates(
    catalog: ResultsCatalog, cells: [CellAggregate], bootstrap: StratifiedBootstrap, seeds: SeedSequence
  ) -> [AlgorithmAggregate] {
    let algorithms = catalog.algorithms
    let shared = catalog.environments.filter { environment in
      algorithms.allSatisfy { catalog.algorithms(on: environment).contains($0) }
    }
    var result: [AlgorithmAggregate] = []
    for taskSet in AlgorithmAggregate.TaskSet.allCases {
      // The shared set is reported only when it differs from some algorithm's full set.
      if taskSet == .shared
        && (shared.isEmpty || algorithms.allSatisfy { catalog.environments(of: $0) == shared })
      {
        continue
      }
      for algorithm in algorithms {
        let environments = taskSet == .all ? catalog.environments(of: algorithm) : shared
        let columns = environments.compactMap { environment in
          cells.first { $0.environment == environment && $0.algorithm == algorithm }
        }.filter { $0.normalizedScores != nil }
        guard !columns.isEmpty else { continue }
        var common = Set(columns[0].seeds)
        for column in columns.dropFirst() { common.formIntersection(column.seeds) }
        let seedList = common.sorted()
        guard !seedList.isEmpty else { continue }
        let tasks = columns.map { column in
          seedList.map { seed in column.normalizedScores![column.seeds.firstIndex(of: seed)!] }
        }
        guard let matrix = try? ScoreMatrix(tasks: tasks) else { continue }
        let metrics: [AggregateMetric] = [.iqm, .mean, .median, .optimalityGap(gamma: 1)]
        let estimates = bootstrap.intervals(
          for: matrix, metrics: metrics,
          using: seeds.stream(for: purpose("aggregate/\(taskSet.rawValue)/\(algorithm.rawValue)")))
        result.append(
          AlgorithmAggregate(
            algorithm: algorithm, taskSet: taskSet, environments: columns.map(\.environment), seeds: seedList,
            iqm: estimates[0], mean: estimates[1], median: estimates[2], optimalityGap: estimates[3]))
      }
    }
    return result
  }

  // MARK: - Pairs

  /// Every algorithm pair's P(X > Y) over the environments both ran with scores, or why it has
  /// none, and the per-environment Welch tests.
  ///
  /// ```
  /// no environment where both ran             → unestimated
  /// no environment where both have scores     → unestimated (evaluations missing)
  /// no seed of X (or Y) on all of those       → unestimated (the estimate needs a seeds × environments matrix)
  /// the bootstrap fails                       → unestimated, with its error
  /// ```
  func comparisons(
    catalog: ResultsCatalog, cells: [CellAggregate], bootstrap: StratifiedBootstrap, seeds: SeedSequence
  ) -> (improvement: [ImprovementEstimate], unestimated: [UnestimatedImprovement], welch: [WelchComparison]) {
    let algorithms = catalog.algorithms
    var improvement: [ImprovementEstimate] = []
    var unestimated: [UnestimatedImprovement] = []
    var welch: [WelchComparison] = []
    for (i, x) in algorithms.enumerated() {
      for y in algorithms[(i + 1)...] {
        let environments = catalog.environments.filter { environment in
          let present = catalog.algorithms(on: environment)
          return present.contains(x) && present.contains(y)
        }
        var xColumns: [(seeds: [Int], scores: [Double])] = []
        var yColumns: [(seeds: [Int], scores: [Double])] = []
        var used: [String] = []
        for environment in environments {
          guard let cx = cells.first(where: { $0.environment == environment && $0.algorithm == x }),
            let cy = cells.first(where: { $0.environment == environment && $0.algorithm == y }),
            let sx = cx.scores, let sy = cy.scores
          else { continue }
          welch.append(Self.welch(environment: environment, x: x, y: y, sx, sy))
          xColumns.append((cx.seeds, sx))
          yColumns.append((cy.seeds, sy))
          used.append(environment)
        }
        func skip(_ reason: String) { unestimated.append(UnestimatedImprovement(x: x, y: y, reason: reason)) }
        guard !environments.isEmpty else {
          skip("no environment where both ran")
          continue
        }
        guard !used.isEmpty else {
          skip("no environment where both have scores for every seed (" + environments.joined(separator: ", ") + ")")
          continue
        }
        guard let mx = Self.matrix(xColumns) else {
          skip("no seed of \(x.displayName)'s ran on every environment both ran (\(used.joined(separator: ", ")))")
          continue
        }
        guard let my = Self.matrix(yColumns) else {
          skip("no seed of \(y.displayName)'s ran on every environment both ran (\(used.joined(separator: ", ")))")
          continue
        }
        do {
          let estimate = try bootstrap.probabilityOfImprovement(
            of: mx, over: my, using: seeds.stream(for: purpose("improvement/\(x.rawValue)/\(y.rawValue)")))
          improvement.append(ImprovementEstimate(x: x, y: y, environments: used, probability: estimate))
        } catch {
          skip("the bootstrap failed: \(error)")
        }
      }
    }
    return (improvement, unestimated, welch)
  }

  /// Seeds × environments over the seeds common to every column.
  static func matrix(_ columns: [(seeds: [Int], scores: [Double])]) -> ScoreMatrix? {
    var common = Set(columns[0].seeds)
    for column in columns.dropFirst() { common.formIntersection(column.seeds) }
    let seeds = common.sorted()
    guard !seeds.isEmpty else { return nil }
    return try? ScoreMatrix(
      tasks: columns.map { column in seeds.map { column.scores[column.seeds.firstIndex(of: $0)!] } })
  }

  static func welch(environment: String, x: AlgorithmID, y: AlgorithmID, _ sx: [Double], _ sy: [Double])
    -> WelchComparison
  {
    let difference = sx.reduce(0, +) / Double(sx.count) - sy.reduce(0, +) / Double(sy.count)
    do {
      let test = try WelchTTest(sx, sy)
      return WelchComparison(
        environment: environment, x: x, y: y, meanDifference: difference, statistic: test.statistic,
        degreesOfFreedom: test.degreesOfFreedom, pValue: test.pValue, note: nil)
    } catch {
      // The report prints the note in place of p: say why in its words, not the statistics error's.
      let note =
        sx.count < 2 || sy.count < 2
        ? "needs 2 seeds a side (\(x.displayName) \(sx.count), \(y.displayName) \(sy.count))" : "\(error)"
      return WelchComparison(
        environment: environment, x: x, y: y, meanDifference: difference, statistic: nil,
        degreesOfFreedom: nil, pValue: nil, note: note)
    }
  }

  func purpose(_ what: String) -> StreamPurpose {
    StreamPurpose(rawValue: StreamPurpose.bootstrap.rawValue + "/" + what)
  }
}

import Foundation
import Plotting
import Randomness
import Statistics

/// The figures of a suite, as plain data (``Figure`` values) with file names and captions, and
/// the code that writes them as PNG (`bench plot`, `bench report`).
///
/// ```
/// <suite>-curves-<env>.png        mean over seeds of mean_return_last100 vs environment steps,
///                                 95 % bootstrap band; dashed: published zoo scores, random policy
/// <suite>-aggregate-iqm.png       IQM of normalised scores per algorithm, 95 % CI whiskers
/// <suite>-performance-profile.png fraction of runs with normalised score > τ, 95 % bands
/// ```
/// Each algorithm has one colour in every figure (its position in ``AlgorithmID/allCases`` in the
/// Okabe–Ito palette). Rendering is a pure function of the runs, so the same results give the
/// same PNG bytes.
public struct FigureSet: Sendable {
  /// One figure with its file name and caption.
  public struct Entry: Sendable {
    /// The PNG file name, `<suite>-<what>.png`.
    public var fileName: String
    /// The caption the report prints under the figure.
    public var caption: String
    /// The figure as data.
    public var figure: any Figure

    /// The figure as the report shows it: the image (captioned for screen readers), then the
    /// caption in italics.
    var markdown: String { "![\(caption)](figures/\(fileName))\n\n*\(caption)*" }
  }

  /// The figures, in the order the report shows them.
  public var entries: [Entry]
  /// The suite the figures are of (their names' prefix).
  public var suite: String

  /// The colour of an algorithm in every figure.
  public static func color(of algorithm: AlgorithmID) -> RGBColor {
    Palette.color(at: AlgorithmID.allCases.firstIndex(of: algorithm)!)
  }

  /// Builds the figures of `catalog` with the statistics of `aggregate`.
  public init(catalog: ResultsCatalog, aggregate: SuiteAggregate) throws(BenchmarkError) {
    let reference = ScoreAnchors.referenceName(of: aggregate.anchors)
    var entries: [Entry] = []
    let suite = catalog.suite
    for environment in catalog.environments {
      var series: [LineSeries] = []
      var references: [ReferenceLine] = []
      var seedCounts: [Int] = []
      var dashed: [(algorithm: String, line: String)] = []  // the algorithm-coloured lines, for the caption
      var withoutCurve: [String] = []  // algorithms with runs here but no completed training episode
      for algorithm in catalog.algorithms(on: environment) {
        guard
          let curve = try LearningCurve.summarize(
            catalog.runs(environment: environment, algorithm: algorithm), settings: aggregate.bootstrap)
        else {
          withoutCurve.append(algorithm.displayName)
          continue
        }
        seedCounts.append(curve.seeds.count)
        series.append(
          LineSeries(
            name: "\(algorithm.displayName) (\(curve.seeds.count) seed\(curve.seeds.count == 1 ? "" : "s"))",
            x: curve.timesteps, y: curve.mean,
            band: .init(lower: curve.lower, upper: curve.upper), color: Self.color(of: algorithm)))
        if let published = PublishedResult.zoo(environment: environment, algorithm: algorithm) {
          references.append(
            ReferenceLine(
              value: published.meanReturn,
              name: "zoo \(algorithm.displayName) \(Format.fixed(published.meanReturn, 1))",
              color: Self.color(of: algorithm)))
          dashed.append((algorithm.displayName, "the rl-baselines-zoo agent's evaluation score"))
        } else if let published = PublishedResult.all.first(where: {
          $0.environment == environment && $0.algorithm == algorithm && $0.measure == .lastHundredTrainingEpisodes
            && $0.trainingTimesteps == aggregate.cell(environment: environment, algorithm: algorithm)?.trainingTimesteps
        }) {
          // Without a zoo agent: the first paper row of the curves' own measure at their budget.
          references.append(
            ReferenceLine(
              value: published.meanReturn,
              name: "\(published.label) \(algorithm.displayName) \(Format.fixed(published.meanReturn, 1))",
              color: Self.color(of: algorithm)))
          dashed.append(
            (
              algorithm.displayName,
              "\(published.label) (last 100 training episodes at \(Format.steps(published.trainingTimesteps)) steps"
                + "\(published.derivation.isEmpty ? "" : ", read from its figure"))"
            ))
        }
      }
      // Other algorithms' published scores on the task (the MinAtar paper's DQN and AC(λ)): the
      // same measure as the curves (last 100 training episodes), read from the paper's figure.
      let others = PublishedResult.all.filter { $0.environment == environment && $0.algorithm == nil }
      for published in others {
        references.append(
          ReferenceLine(
            value: published.meanReturn,
            name: "\(published.label) \(published.publishedAlgorithm) \(Format.fixed(published.meanReturn, 1))"))
      }
      let anchors = try? ScoreAnchors.forEnvironment(environment)
      if let anchors {
        references.append(
          ReferenceLine(value: anchors.random, name: "random policy \(Format.fixed(anchors.random, 1))"))
      }
      var grey = anchors == nil ? [] : ["the random policy"]
      if !others.isEmpty {
        grey.append(
          others.map { "\($0.label) \($0.publishedAlgorithm)" }.joined(separator: ", ")
            + " (last 100 training episodes at \(Format.steps(others[0].trainingTimesteps)) steps"
            + (others[0].derivation.isEmpty ? "" : ", read from its figure") + ")")
      }
      var lines: [String] = []
      if !dashed.isEmpty {
        // Algorithms whose lines are the same kind share one clause: "A2C, ACKTR: the zoo agent's …".
        var kinds: [String] = []
        for entry in dashed where !kinds.contains(entry.line) { kinds.append(entry.line) }
        lines.append(
          "in each algorithm's colour, "
            + kinds.map { kind in
              dashed.filter { $0.line == kind }.map(\.algorithm).joined(separator: ", ") + ": " + kind
            }.joined(separator: "; "))
      }
      if !grey.isEmpty { lines.append("in grey, " + grey.joined(separator: " and ")) }
      guard !series.isEmpty else { continue }
      let plot = LinePlot(
        title: "\(environment): learning curves", xLabel: "Environment steps",
        yLabel: "Mean return, last 100 episodes", series: series, referenceLines: references,
        style: FigureStyle(height: 640))
      entries.append(
        Entry(
          fileName: Self.curvesFileName(suite: suite, environment: environment),
          caption:
            (seedCounts.allSatisfy { $0 == 1 }
              ? "\(environment): the last-100 training return of each algorithm's one seed against environment "
                + "steps (linear interpolation onto 100 common points; one seed has no band)"
              : "\(environment): mean over seeds of the last-100 training return against environment steps "
                + "(linear interpolation onto 100 common points), with a 95% percentile-bootstrap band "
                + "(\(aggregate.bootstrap.curveRepetitions) replicates per point)"
                + (seedCounts.contains(1) ? "; an algorithm with one seed has no band" : ""))
            + (lines.isEmpty ? "." : ". Dashed lines " + lines.joined(separator: "; ") + ".")
            + (withoutCurve.isEmpty
              ? ""
              : " No curve for \(withoutCurve.joined(separator: ", ")): none of \(withoutCurve.count == 1 ? "its" : "their") "
                + "runs here completed a training episode."),
          figure: plot))
    }

    // Aggregate IQM chart: groups = task sets, series = algorithms.
    let taskSets = AlgorithmAggregate.TaskSet.allCases.filter { set in
      aggregate.algorithms.contains { $0.taskSet == set }
    }
    let algorithms = catalog.algorithms.filter { a in aggregate.algorithms.contains { $0.algorithm == a } }
    if !taskSets.isEmpty && !algorithms.isEmpty {
      var bars: [IntervalBarChart.Series] = []
      // Incomplete: an algorithm of the suite is missing from a group, or from the chart altogether.
      var complete = algorithms.count == catalog.algorithms.count
      for algorithm in algorithms {
        let rows = taskSets.map { set in
          aggregate.algorithms.first { $0.algorithm == algorithm && $0.taskSet == set }
        }
        if rows.contains(where: { $0 == nil }) { complete = false }
        let values = rows.map { $0?.iqm }
        bars.append(
          IntervalBarChart.Series(
            name: algorithm.displayName, values: values.map { $0?.estimate ?? 0 },
            lower: values.map { $0?.lower ?? 0 }, upper: values.map { $0?.upper ?? 0 },
            color: Self.color(of: algorithm), missing: Set(rows.indices.filter { rows[$0] == nil })))
      }
      let groups = taskSets.map { set -> String in
        switch set {
        case .all: return "all of its environments"
        case .shared: return "shared environments"
        }
      }
      let singleRuns = aggregate.hasOneRunPerAlgorithm
      let chart = IntervalBarChart(
        title: singleRuns ? "Normalized score" : "IQM of normalized scores",
        yLabel: (singleRuns ? "Score" : "IQM") + " (1 = \(reference.short))",
        xLabel: taskSets.count > 1 ? "Environment set" : "", groups: groups, series: bars)
      var caption =
        singleRuns
        ? "Normalised evaluation score, (score − random)/(reference − random) with \(reference.long) as the "
          + "reference, of each algorithm's one run (one seed on one environment: no interquartile mean over "
          + "runs and no interval)."
        : "Interquartile mean of normalised evaluation scores, (score − random)/(reference − random) with "
          + "\(reference.long) as the reference, "
          + "pooled over seeds × environments, with 95% stratified-bootstrap CIs "
          + "(\(aggregate.bootstrap.repetitions) replicates)."
      if taskSets.contains(.shared) {
        caption +=
          " Left: every environment the algorithm supports; right: only the environments every algorithm ran."
      }
      if !complete {
        caption +=
          " An algorithm without a bar in a group has no runs there, or no seed that ran on every environment of "
          + "the group (the IQM pools seeds × environments over the seeds they share)."
          + (algorithms.count < catalog.algorithms.count
            ? " No bar at all: "
              + catalog.algorithms.filter { !algorithms.contains($0) }.map(\.displayName).joined(separator: ", ") + "."
            : "")
      }
      entries.append(Entry(fileName: Self.aggregateFileName(suite: suite), caption: caption, figure: chart))
    }

    // Performance profiles over each algorithm's environments.
    var matrices: [String: ScoreMatrix] = [:]
    for row in aggregate.algorithms where row.taskSet == .all {
      let tasks = row.environments.compactMap { environment -> [Double]? in
        guard let cell = aggregate.cell(environment: environment, algorithm: row.algorithm),
          let normalized = cell.normalizedScores
        else { return nil }
        return row.seeds.map { normalized[cell.seeds.firstIndex(of: $0)!] }
      }
      if let matrix = try? ScoreMatrix(tasks: tasks) { matrices[row.algorithm.rawValue] = matrix }
    }
    if !matrices.isEmpty {
      let all = matrices.values.flatMap(\.scores)
      let low = min(0, ((all.min() ?? 0) * 10).rounded(.down) / 10)
      let high = max(1, ((all.max() ?? 1) * 10).rounded(.up) / 10)
      do {
        let thresholds = try PerformanceProfile.thresholds(from: low, to: high, count: 101)
        let bootstrap = try StratifiedBootstrap(
          repetitions: aggregate.bootstrap.profileRepetitions,
          confidenceLevel: aggregate.bootstrap.confidenceLevel)
        let profiles = try PerformanceProfile.profiles(
          for: matrices, thresholds: thresholds, bootstrap: bootstrap,
          seeds: SeedSequence(runSeed: UInt64(aggregate.bootstrap.seed)))
        let lines = AlgorithmID.allCases.compactMap { algorithm -> PerformanceProfilePlot.Profile? in
          guard let p = profiles[algorithm.rawValue] else { return nil }
          return PerformanceProfilePlot.Profile(
            name: algorithm.displayName, thresholds: p.thresholds, fractions: p.fractions, lower: p.lower,
            upper: p.upper, color: Self.color(of: algorithm))
        }
        let plot = PerformanceProfilePlot(
          title: "Performance profiles", xLabel: "Normalized score \u{03C4} (0 = random, 1 = \(reference.short))",
          yLabel: "Fraction of runs with score > \u{03C4}", profiles: lines)
        // A profile needs the same seeds on each of the algorithm's environments, as the IQM does.
        let unprofiled = aggregate.algorithms(catalog.algorithms, without: .all)
        entries.append(
          Entry(
            fileName: Self.profileFileName(suite: suite),
            caption:
              "Performance profiles: the fraction of runs (seeds × the environments each algorithm supports) "
              + (matrices.values.allSatisfy { $0.scores.count == 1 }
                ? "whose normalised evaluation score exceeds τ; each algorithm has one run, so its profile is a "
                  + "step from 1 to 0 at its score, without a band."
                : "whose normalised evaluation score exceeds τ, with 95% stratified-bootstrap bands "
                  + "(\(aggregate.bootstrap.profileRepetitions) replicates).")
              + (unprofiled.isEmpty
                ? ""
                : " No profile for " + unprofiled.map(\.displayName).joined(separator: ", ")
                  + ": none of its seeds ran on every environment it ran."),
            figure: plot))
      } catch {
        throw .runFailed(run: "performance profile", reason: "\(error)")
      }
    }
    self.entries = entries
    self.suite = suite
  }

  /// Renders every figure and writes it to `folder` (created if needed), atomically, and removes
  /// this suite's figures that the results no longer give (an aggregate chart of a suite whose
  /// cells lost their common seed, a curve of an environment no longer run), so that the folder
  /// holds what the report shows. Other suites' files and files of other names are left alone.
  /// - Returns: the written paths.
  @discardableResult
  public func write(to folder: URL) throws(BenchmarkError) -> [URL] {
    try Self.write(entries, to: folder) { [suite] name in Self.isFigure(name, of: suite) }
  }

  /// Renders `entries` into `folder` (created if needed), atomically, and removes the files there
  /// that `isOwned` claims and `entries` no longer give.
  /// - Returns: the written paths.
  static func write(_ entries: [Entry], to folder: URL, removingStale isOwned: (String) -> Bool)
    throws(BenchmarkError) -> [URL]
  {
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw .io(path: folder.path, reason: error.localizedDescription)
    }
    var written: [URL] = []
    for entry in entries {
      let url = folder.appendingPathComponent(entry.fileName)
      do {
        try PNGWriter.write(try entry.figure.render(), to: url.path)
      } catch {
        throw .io(path: url.path, reason: "\(error)")
      }
      written.append(url)
    }
    let kept = Set(entries.map(\.fileName))
    let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in present where isOwned(name) && !kept.contains(name) {
      try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }
    return written
  }

  static func curvesFileName(suite: String, environment: String) -> String { "\(suite)-curves-\(environment).png" }
  static func aggregateFileName(suite: String) -> String { "\(suite)-aggregate-iqm.png" }
  static func profileFileName(suite: String) -> String { "\(suite)-performance-profile.png" }

  /// Whether `name` is one of the file names this type gives `suite`'s figures (exactly: `pomdp`'s
  /// names do not cover `pomdp-mlp`'s).
  static func isFigure(_ name: String, of suite: String) -> Bool {
    let curves = curvesFileName(suite: suite, environment: "")
    return name == aggregateFileName(suite: suite) || name == profileFileName(suite: suite)
      || (name.hasPrefix(String(curves.dropLast(4))) && name.hasSuffix(".png"))
  }
}

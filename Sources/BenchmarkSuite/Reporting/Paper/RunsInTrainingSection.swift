import Foundation
import Plotting

/// `## Runs still training`: what the results folder carries in training (``RunsInTraining``),
/// so that a reader sees the long runs the suites' sections do not have yet.
///
/// ```
/// our runs        table: run, build, steps of budget, training time, last-100 return so far;
///                 per run, the published numbers and learning floor it will be judged by, and
///                 a figure training-<suite>-<env>-<algorithm>-seed-<n>.png of its curve so far
///                 over its whole budget, with those numbers as dashed lines
/// reference runs  table: implementation, run, steps of budget, training time, sessions, last-100
///                 return so far (the mean of its last 100 finished training episodes), and ours
///                 at the same steps: each of our complete seeds' last-100 return at its newest
///                 learning-curve row at or before that many steps
/// unreadable      each checkpoint folder that cannot be read, and why
/// ```
/// None of these numbers is a result: a run enters its suite's statistics when it completes and is
/// merged into the results folder.
struct RunsInTrainingSection: Sendable {
  let runs: RunsInTraining
  /// The results folder as the reader should type it.
  let resultsPath: String
  /// The reported suites' complete runs, for the reference runs' "ours at the same steps".
  var catalogs: [ResultsCatalog] = []

  /// The section's heading, for references to it.
  static let heading = "Runs still training"

  /// The figure file name of a carried run's curve so far.
  static func figureName(_ run: RunSpec) -> String {
    "training-\(run.suite)-\(run.entry.environment)-\(run.entry.algorithm.rawValue)-seed-\(run.seed).png"
  }

  /// Whether `name` is a file name ``figureName(_:)`` gives.
  static func isFigure(_ name: String) -> Bool { name.hasPrefix("training-") && name.hasSuffix(".png") }

  /// The abstract's sentence naming each run in training, or nil when there is none.
  var abstractSentence: String? {
    let ours = runs.carried.map { c in
      "`\(c.run.suite)` \(c.run.entry.environment) \(c.run.entry.algorithm.displayName) seed \(c.run.seed) at "
        + "\(Format.steps(c.timesteps)) of \(Format.steps(c.totalTimesteps)) steps"
    }
    let theirs = runs.references.map { r in
      "\(r.implementation) \(r.algorithm.uppercased()) on \(r.environment) seed \(r.seed) at "
        + "\(Format.steps(r.timesteps)) of \(Format.steps(r.totalTimesteps)) steps"
    }
    guard !(ours + theirs).isEmpty else { return nil }
    return "**Still training** (carried between working sessions; progress, not results: \"\(Self.heading)\"): "
      + (ours + theirs).joined(separator: "; ") + "."
  }

  /// The published numbers of a carried run's environment and algorithm at its budget (those it
  /// will be compared with), in catalogue order.
  static func published(for run: RunSpec) -> [PublishedResult] {
    allPublished(for: run).filter { $0.trainingTimesteps == run.entry.timesteps }
  }

  /// Every published number of a carried run's environment and algorithm, at any budget.
  static func allPublished(for run: RunSpec) -> [PublishedResult] {
    PublishedResult.all.filter { $0.environment == run.entry.environment && $0.algorithm == run.entry.algorithm }
  }

  /// The learning floors a carried run will be judged by (those at its budget: a floor is judged
  /// only on runs that trained its budget).
  static func thresholds(for run: RunSpec) -> [LearningThreshold] {
    LearningThreshold.all.filter {
      $0.environment == run.entry.environment && $0.algorithm == run.entry.algorithm
        && $0.trainingTimesteps == run.entry.timesteps
    }
  }

  /// The figures: one per carried run with at least one curve point.
  var figures: [FigureSet.Entry] {
    runs.carried.compactMap { carried -> FigureSet.Entry? in
      guard !carried.curve.isEmpty else { return nil }
      let run = carried.run
      let color = FigureSet.color(of: run.entry.algorithm)
      let series = LineSeries(
        name: "\(run.entry.algorithm.displayName) seed \(run.seed) (\(Format.steps(carried.timesteps)) steps so far)",
        x: carried.curve.map { Double($0.timesteps) }, y: carried.curve.map(\.meanReturn), color: color)
      var lines = Self.published(for: run).map { published in
        ReferenceLine(
          value: published.meanReturn,
          name: "\(published.label) \(run.entry.algorithm.displayName) \(Format.fixed(published.meanReturn, 1))",
          color: color)
      }
      lines += Self.thresholds(for: run).map { threshold in
        ReferenceLine(value: threshold.minimum, name: "learning floor \(Self.signed(threshold.minimum))")
      }
      let described =
        Self.published(for: run).map { "\($0.label) (\($0.protocolText))" }
        + Self.thresholds(for: run).map { _ in "in grey, the learning floor at the end of the budget" }
      let plot = LinePlot(
        title: "\(run.entry.environment) \(run.entry.algorithm.displayName) seed \(run.seed): still training",
        xLabel: "Environment steps", yLabel: "Mean return, last 100 episodes", series: [series],
        referenceLines: lines, xRange: 0...Double(carried.totalTimesteps), style: FigureStyle(height: 640))
      return FigureSet.Entry(
        fileName: Self.figureName(run),
        caption:
          "\(run.entry.environment), suite `\(run.suite)`, \(run.entry.algorithm.displayName) seed \(run.seed), still "
          + "training: the last-100 training return at each learning-curve row so far "
          + "(\(Format.steps(carried.timesteps)) of its \(Format.steps(carried.totalTimesteps)) steps; the axis spans "
          + "the whole budget)"
          + (described.isEmpty ? "." : ". Dashed lines: " + described.joined(separator: "; ") + "."),
        figure: plot)
    }
  }

  /// The Markdown section (heading included).
  var markdown: String {
    var parts = [
      "## \(Self.heading)",
      "Runs longer than a working session train in their own results folders under `\(resultsPath)/in-progress/` "
        + "(runs of the reference implementation under `\(resultsPath)/reference/`); each session ends by committing "
        + "their newest checkpoints and the next resumes them bit for bit (`bash scripts/carried-runs.sh resume`; "
        + "README, \"Runs longer than a session\"). What follows is their progress, read from those checkpoints, "
        + "not results: a run enters its suite's statistics, tables and verdicts when it completes and is merged.",
    ]
    if !runs.carried.isEmpty {
      var table = MarkdownTable(
        ["run", "results folder", "build", "steps", "training time", "last-100 return (episodes)"],
        alignments: [.left, .left, .left, .right, .right, .right])
      for c in runs.carried {
        let last = c.curve.last.map {
          "\(Format.fixed($0.meanReturn, Format.digits(for: $0.meanReturn))) (\(RunLimits.grouped($0.episodes)))"
        }
        table.append([
          "`\(c.run.suite)` \(c.run.entry.environment) \(c.run.entry.algorithm.displayName) seed \(c.run.seed)",
          "`\(resultsPath)/\(c.folder)`", String(c.build.split(separator: " · ").first ?? ""),
          "\(RunLimits.grouped(c.timesteps)) of \(RunLimits.grouped(c.totalTimesteps)) "
            + "(\(c.totalTimesteps > 0 ? 100 * c.timesteps / c.totalTimesteps : 0)%)",
          Format.duration(c.trainingSeconds), last ?? "– (no episode finished)",
        ])
      }
      parts.append(table.text)
      var judged: [String] = []
      for c in runs.carried {
        let published = Self.published(for: c.run).map {
          "\($0.label) \(Format.score($0.meanReturn)) (\($0.protocolText))"
        }
        let floors = Self.thresholds(for: c.run).map {
          "its last-100 training return must end above \(Self.signed($0.minimum)) at \(Format.steps($0.trainingTimesteps)) "
            + "steps (\($0.source))"
        }
        let elsewhere = Self.allPublished(for: c.run).filter { $0.trainingTimesteps != c.run.entry.timesteps }.map {
          "\($0.label) (\(Format.steps($0.trainingTimesteps)) steps)"
        }
        guard !(published + floors + elsewhere).isEmpty else { continue }
        judged.append(
          "- \(c.run.entry.environment) \(c.run.entry.algorithm.displayName) (`\(c.run.suite)`, "
            + "\(Format.steps(c.run.entry.timesteps)) steps): "
            + (published.isEmpty ? "no published number at this budget" : "judged against " + published.joined(separator: "; "))
            + (floors.isEmpty ? "" : "; and " + floors.joined(separator: "; "))
            + (elsewhere.isEmpty ? "" : "; not comparable (another budget): " + elsewhere.joined(separator: ", "))
            + ".")
      }
      if !judged.isEmpty {
        parts.append("When they complete, these runs are judged as follows (the published numbers' protocols differ; "
          + "`bench check` compares like with like):\n\n" + judged.joined(separator: "\n"))
      }
      for figure in figures {
        parts.append(figure.markdown)
      }
    }
    if !runs.references.isEmpty {
      var table = MarkdownTable(
        [
          "implementation", "run", "steps", "training time", "sessions", "last-100 return (episodes)",
          "ours at the same steps: last-100 return per seed",
        ], alignments: [.left, .left, .right, .right, .right, .right, .right])
      for r in runs.references {
        table.append([
          r.implementation, "\(r.environment) \(r.algorithm.uppercased()) seed \(r.seed)",
          "\(RunLimits.grouped(r.timesteps)) of \(RunLimits.grouped(r.totalTimesteps)) "
            + "(\(r.totalTimesteps > 0 ? 100 * r.timesteps / r.totalTimesteps : 0)%)",
          Format.duration(r.trainingSeconds), "\(r.segments)",
          r.lastHundredMeanReturn.map {
            "\(Format.fixed($0, Format.digits(for: $0))) (\(RunLimits.grouped(r.episodes)))"
          } ?? "– (no episode finished)",
          ours(at: r).map { suite, seeds, values in
            values.map { Format.fixed($0, Format.digits(for: $0)) }.joined(separator: ", ")
              + " (`\(suite)`, seed\(seeds.count == 1 ? "" : "s") \(seeds.map(String.init).joined(separator: ", ")))"
          } ?? "–",
        ])
      }
      parts.append(
        "Runs of the reference implementation in training (the reference tool's checkpoints; each joins "
          + "\"Against the reference implementation on the same environments\" of the suite with its environment when "
          + "it completes). Beside each, ours at the same steps: each of our complete seeds' last-100 training return "
          + "at its newest learning-curve row at or before that many steps (the same measure: the mean return of the "
          + "last 100 training episodes finished over all environment copies).\n\n" + table.text)
    }
    if !runs.unreadable.isEmpty {
      parts.append(
        "Checkpoint folders that cannot be read:\n\n"
          + runs.unreadable.map { "- `\(resultsPath)/\($0.path)`: \($0.reason)" }.joined(separator: "\n"))
    }
    return parts.joined(separator: "\n\n")
  }

  /// Writes the figures into `folder` and removes earlier runs' (`training-*.png` of runs that
  /// completed or were stopped).
  @discardableResult
  func writeFigures(to folder: URL) throws(BenchmarkError) -> [URL] {
    try FigureSet.write(figures, to: folder, removingStale: Self.isFigure)
  }

  /// Our complete runs of the reference run's environment and algorithm (the first reported suite
  /// that has them), each seed's last-100 training return at its newest curve row at or before
  /// the reference run's steps; nil without such runs or rows.
  func ours(at reference: RunsInTraining.ReferenceRun) -> (suite: String, seeds: [Int], values: [Double])? {
    guard let algorithm = AlgorithmID(rawValue: reference.algorithm) else { return nil }
    for catalog in catalogs {
      var seeds: [Int] = [], values: [Double] = []
      for record in catalog.runs(environment: reference.environment, algorithm: algorithm) {
        guard let t = try? record.curve.column("timesteps"), let y = try? record.curve.column("mean_return_last100"),
          let row = t.indices.last(where: { t[$0] <= Double(reference.timesteps) && y[$0].isFinite })
        else { continue }
        seeds.append(record.seed)
        values.append(y[row])
      }
      if !values.isEmpty { return (catalog.suite, seeds, values) }
    }
    return nil
  }

  /// `+15`, `-2.5`.
  static func signed(_ x: Double) -> String {
    (x >= 0 ? "+" : "") + Format.fixed(x, x.rounded() == x ? 0 : 2)
  }
}

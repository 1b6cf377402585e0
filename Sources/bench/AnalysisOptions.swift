import ArgumentParser
import BenchmarkSuite
import Foundation

/// The options every analysis command shares (`aggregate`, `plot`, `check`, `report`).
struct AnalysisOptions: ParsableArguments {
  @Option(help: "The results folder.")
  var results: String = "results"

  @Option(help: "The suite to analyse (default: every suite with runs in the results folder; smoke only when it is the only one).")
  var suite: SuiteName?

  @Option(
    help: ArgumentHelp(
      "Bootstrap replicates for every confidence interval (rliable's default 50000; "
        + "\(RunLimits.describe(RunLimits.bootstrapRepetitions)))."))
  var bootstrapReps: Int = 50_000

  @Option(help: "Seed of the bootstrap's random streams (\(RunLimits.describe(RunLimits.seed))).")
  var bootstrapSeed: Int = 0

  func validate() throws {
    try checkRange(bootstrapReps, "--bootstrap-reps", RunLimits.bootstrapRepetitions)
    try checkRange(bootstrapSeed, "--bootstrap-seed", RunLimits.seed)
  }

  var store: ResultsStore { ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true)) }

  var settings: BootstrapSettings { BootstrapSettings(repetitions: bootstrapReps, seed: bootstrapSeed) }

  /// `--suite`, or every suite with runs in the folder (built-in suites in their order, then any
  /// other name); `classic` when the folder holds none, so that the catalog names the problem.
  /// `smoke` (the CI fixture `bench regress` replays, at tiny budgets) is analysed only when named
  /// or when it is the only suite: its numbers would sit in the report beside real results.
  var suites: [String] {
    if let suite { return [suite.name] }
    let present = ResultsCatalog.suites(in: store)
    let known = Suite.builtIn.map(\.name).filter(present.contains)
    let ordered = known + present.filter { !known.contains($0) }
    let analysed = ordered.count > 1 ? ordered.filter { $0 != Suite.smoke.name } : ordered
    return analysed.isEmpty ? ["classic"] : analysed
  }

  /// The suite of a command that analyses exactly one (`bench compare`): `--suite`, else `classic`.
  var oneSuite: String { suite?.name ?? "classic" }

  /// Reads each suite's runs, computes the statistics and writes `aggregate/<suite>.json`.
  func aggregates() throws -> [(catalog: ResultsCatalog, aggregate: SuiteAggregate, path: String)] {
    try suites.map { name in
      let catalog = try ResultsCatalog(store: store, suite: name)
      let aggregate = try Aggregator(settings: settings).aggregate(catalog)
      let path = "aggregate/\(name).json"
      try store.write(try JSONCoding.encoder.encode(aggregate), to: path)
      return (catalog, aggregate, store.root.appendingPathComponent(path).path)
    }
  }
}

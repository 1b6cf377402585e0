import ArgumentParser
import BenchmarkSuite
import Foundation

/// The options every analysis command shares (`aggregate`, `plot`, `check`, `report`).
struct AnalysisOptions: ParsableArguments {
  @Option(help: "The results folder.")
  var results: String = "results"

  @Option(help: "The suite to analyse.")
  var suite: String = "classic"

  @Option(help: "Bootstrap replicates for every confidence interval (rliable's default 50000).")
  var bootstrapReps: Int = 50_000

  @Option(help: "Seed of the bootstrap's random streams.")
  var bootstrapSeed: Int = 0

  func validate() throws {
    if bootstrapReps < 100 {
      throw ValidationError("Please specify --bootstrap-reps of at least 100 (got \(bootstrapReps)).")
    }
    if bootstrapSeed < 0 {
      throw ValidationError("Please specify --bootstrap-seed of at least 0 (got \(bootstrapSeed)).")
    }
  }

  var store: ResultsStore { ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true)) }

  var settings: BootstrapSettings { BootstrapSettings(repetitions: bootstrapReps, seed: bootstrapSeed) }

  /// Reads the suite's runs, computes the statistics and writes `aggregate/<suite>.json`.
  func aggregate() throws -> (catalog: ResultsCatalog, aggregate: SuiteAggregate, path: String) {
    let catalog = try ResultsCatalog(store: store, suite: suite)
    let aggregate = try Aggregator(settings: settings).aggregate(catalog)
    let path = "aggregate/\(suite).json"
    try store.write(try JSONCoding.encoder.encode(aggregate), to: path)
    return (catalog, aggregate, store.root.appendingPathComponent(path).path)
  }
}

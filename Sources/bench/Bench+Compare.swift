import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench compare`: one suite against another, cell by cell, with Welch's t-test.
  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare a suite with another (e.g. pomdp vs pomdp-mlp) per environment and algorithm.",
      discussion: """
        For every (environment, algorithm) present in both suites, on the evaluation mean return and \
        on the last-100 training mean return: each suite's mean over seeds with its 95% percentile-\
        bootstrap interval, the difference, Welch's t-test (two-sided; the runs of two suites are \
        independent, so seeds are not paired), the p-value adjusted by Holm–Bonferroni over all \
        cells of the measure, and P(suite > against) with an independent-bootstrap interval. \
        Writes <results>/aggregate/compare-<suite>-vs-<against>.json and prints the tables. Both \
        suites are read from --results unless --against-results names another folder. Needs no Python.

        Example: bench compare --suite pomdp --against pomdp-mlp
        """)

    @OptionGroup var options: AnalysisOptions

    @Option(help: "The suite to compare against (the baseline).")
    var against: SuiteName

    @Option(help: "The results folder of --against (default: --results).")
    var againstResults: String?

    func validate() throws {
      guard against.name != options.oneSuite || againstResults != nil else {
        throw ValidationError("--against names the same suite as --suite; give another suite or --against-results")
      }
    }

    func run() throws {
      let suite = try ResultsCatalog(store: options.store, suite: options.oneSuite)
      let baselineStore =
        againstResults.map { ResultsStore(root: URL(fileURLWithPath: $0, isDirectory: true)) } ?? options.store
      let baseline = try ResultsCatalog(store: baselineStore, suite: against.name)
      let comparison = try SuiteComparison(suite, against: baseline, settings: options.settings)
      let path = "aggregate/compare-\(options.oneSuite)-vs-\(against.name).json"
      try options.store.write(try JSONCoding.encoder.encode(comparison), to: path)
      print(ComparisonTable.render(comparison))
      print("\nWritten: \(options.store.root.appendingPathComponent(path).path)")
    }
  }
}

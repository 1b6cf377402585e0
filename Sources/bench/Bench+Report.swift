import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench report`: the paper generated from the results.
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the report (paper/README.md and paper/figures/) from the results, every suite or --suite.",
      discussion: """
        One document for every suite with runs in the results folder (or --suite): \
        abstract, then per suite its methods (algorithms with paper links, the hyperparameters read from the runs, \
        environments, evaluation protocol, statistics and the verdict rule), results (our numbers \
        with 95% CIs beside the published ones and the verdict, an evidence paragraph for every \
        worse verdict, aggregate statistics, pairwise comparisons, figures, and runs of another \
        implementation stored under <results>/reference/), reproducibility \
        (commands, provenance from manifest.json, time taken) and limitations. Also updates \
        results/aggregate/<suite>.json for each suite. Same results in, same bytes out: the text contains no \
        timestamp but those in the results. Suites built as a pair (pomdp against pomdp-mlp) get a \
        section comparing them cell by cell, as bench compare does (also written to \
        results/aggregate/compare-<suite>-vs-<baseline>.json). Runs the folder carries in training \
        (<results>/in-progress/*/ and the reference tool's <results>/reference/**/seed-<n>.checkpoint/) get a \
        last section with their progress and curves so far, read from their newest checkpoints. Figures of a \
        reported suite, or of a run in training, that the results no longer give are removed from <out>/figures.
        """)

    @OptionGroup var options: AnalysisOptions

    @Option(help: "The output folder.")
    var out: String = "paper"

    func run() throws {
      let referenceRuns = try ReferenceImplementationRun.load(
        resultsFolder: URL(fileURLWithPath: options.results, isDirectory: true))
      let writers = try options.aggregates().map { catalog, aggregate, _ in
        try PaperWriter(
          catalog: catalog, aggregate: aggregate, resultsPath: options.results, referenceRuns: referenceRuns)
      }
      // The designed pairs present (pomdp vs pomdp-mlp), as bench compare writes them.
      var comparisons: [SuiteComparison] = []
      for pair in SuiteComparison.designedPairs {
        guard let x = writers.first(where: { $0.catalog.suite == pair.suite })?.catalog,
          let y = writers.first(where: { $0.catalog.suite == pair.baseline })?.catalog
        else { continue }
        let comparison = try SuiteComparison(x, against: y, settings: options.settings)
        try options.store.write(
          try JSONCoding.encoder.encode(comparison), to: "aggregate/compare-\(pair.suite)-vs-\(pair.baseline).json")
        comparisons.append(comparison)
      }
      var inTraining = RunsInTraining.load(resultsFolder: URL(fileURLWithPath: options.results, isDirectory: true))
      if let suite = options.suite {
        inTraining = inTraining.filtered(
          suite: suite.name, environments: Set(writers.flatMap { $0.catalog.environments }))
      }
      let paper = SuitesPaper(
        writers: writers, resultsPath: options.results, comparisons: comparisons, inTraining: inTraining)
      let url = try paper.write(to: URL(fileURLWithPath: out, isDirectory: true))
      print(
        "\(url.path) (\(writers.count) suite\(writers.count == 1 ? "" : "s"), \(paper.figureCount) figures in \(out)/figures"
          + (inTraining.isEmpty
            ? ")" : "; \(inTraining.carried.count + inTraining.references.count) runs still training, in its last section)"))
    }
  }
}

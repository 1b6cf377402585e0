import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench report`: the paper generated from the results.
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the report (paper/README.md and paper/figures/) from the results.",
      discussion: """
        Abstract, methods (algorithms with paper links, the hyperparameters read from the runs, \
        environments, evaluation protocol, statistics and the verdict rule), results (our numbers \
        with 95% CIs beside the published ones and the verdict, an evidence paragraph for every \
        worse verdict, aggregate statistics, pairwise comparisons, figures, and runs of another \
        implementation stored under <results>/reference/), reproducibility \
        (commands, provenance from manifest.json, time taken) and limitations. Also updates \
        results/aggregate/<suite>.json. Same results in, same bytes out: the text contains no \
        timestamp but those in the results.
        """)

    @OptionGroup var options: AnalysisOptions

    @Option(help: "The output folder.")
    var out: String = "paper"

    func run() throws {
      let (catalog, aggregate, _) = try options.aggregate()
      let referenceRuns = try ReferenceImplementationRun.load(
        resultsFolder: URL(fileURLWithPath: options.results, isDirectory: true))
      let writer = try PaperWriter(
        catalog: catalog, aggregate: aggregate, resultsPath: options.results, referenceRuns: referenceRuns)
      let url = try writer.write(to: URL(fileURLWithPath: out, isDirectory: true))
      print("\(url.path) (\(writer.figures.entries.count) figures in \(out)/figures)")
    }
  }
}

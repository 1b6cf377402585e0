import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench aggregate`: the statistics file of each suite.
  struct Aggregate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compute each suite's statistics into results/aggregate/<suite>.json (--suite: one suite).",
      discussion: """
        Per (environment, algorithm): the seeds, and for the evaluation mean return and the \
        last-100 training mean: mean, sd, median, IQM and 95% percentile-bootstrap CIs over seeds. \
        Per algorithm: IQM, mean, median and optimality gap of normalised scores \
        (score - random)/(best zoo score - random) with stratified-bootstrap CIs. For every \
        algorithm pair: the probability of improvement over the environments both ran (or, under \
        unestimatedImprovement, why a pair has none), and Welch t-tests per environment. Every resample draws from a named GSL mt19937 stream of \
        --bootstrap-seed, so the file is a pure function of the runs. bench plot, check and \
        report write the same file.
        """)

    @OptionGroup var options: AnalysisOptions

    func run() throws {
      for (_, aggregate, path) in try options.aggregates() {
        print(
          "\(aggregate.cells.count) cells, \(aggregate.algorithms.count) algorithm aggregates, "
            + "\(aggregate.improvement.count) algorithm pairs"
            + (aggregate.unestimatedImprovement.isEmpty
              ? "" : " (\(aggregate.unestimatedImprovement.count) more without an estimate: see unestimatedImprovement)")
            + ": \(path)")
      }
    }
  }
}

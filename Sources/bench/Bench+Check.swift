import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench check`: our results beside the published numbers; exit 1 on any "worse".
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare the results with the published rl-baselines-zoo numbers; exit 1 if any is worse.",
      discussion: VerdictRule.standard.helpText(rows: PublishedResult.rlBaselinesZoo.count))

    @OptionGroup var options: AnalysisOptions

    func run() throws {
      let (_, aggregate, _) = try options.aggregate()
      let referenceRuns = try ReferenceImplementationRun.load(resultsFolder: options.store.root)
      let rows = ReferenceCheck.compare(aggregate, referenceRuns: referenceRuns)
      print(CheckTable.render(rows, suite: aggregate.suite))
      if rows.contains(where: \.verdict.isFailure) { throw ExitCode.failure }
    }
  }
}

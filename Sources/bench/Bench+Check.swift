import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench check`: our results beside the published numbers; exit 1 on any "worse".
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare each suite's results with the published numbers; exit 1 if any is worse.",
      discussion: VerdictRule.standard.helpText(rows: PublishedResult.rlBaselinesZoo.count))

    @OptionGroup var options: AnalysisOptions

    func run() throws {
      let referenceRuns = try ReferenceImplementationRun.load(resultsFolder: options.store.root)
      var worse = false
      for (index, (_, aggregate, _)) in try options.aggregates().enumerated() {
        let rows = ReferenceCheck.compare(aggregate, referenceRuns: referenceRuns)
        print((index > 0 ? "\n" : "") + CheckTable.render(rows, suite: aggregate.suite))
        worse = worse || rows.contains(where: \.verdict.isFailure)
      }
      if worse { throw ExitCode.failure }
    }
  }
}

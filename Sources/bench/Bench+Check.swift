import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench check`: our results beside the published numbers; exit 1 on any "worse".
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare each suite's results with the published numbers; exit 1 if any is worse.",
      discussion: VerdictRule.standard.helpText(rows: PublishedResult.rlBaselinesZoo.count) + """


        Cells that no published row decides but that have runs of another implementation at our \
        budget (<results>/reference/: the minatar suite's stable-baselines 2.10.2 runs, made by \
        scripts/sb2-minatar-reference.sh) get a second table: Welch's t of the evaluation means, \
        one-sided beyond the same margin, Holm-corrected over those cells as a family of their \
        own. A "worse" there fails the command too.
        """)

    @OptionGroup var options: AnalysisOptions

    func run() throws {
      let referenceRuns = try ReferenceImplementationRun.load(resultsFolder: options.store.root)
      var worse = false
      for (index, (_, aggregate, _)) in try options.aggregates().enumerated() {
        let rows = ReferenceCheck.compare(aggregate, referenceRuns: referenceRuns)
        print((index > 0 ? "\n" : "") + CheckTable.render(rows, suite: aggregate.suite))
        let implementations = ReferenceCheck.compareImplementations(
          aggregate, referenceRuns: referenceRuns, published: rows)
        if let table = CheckTable.renderImplementations(
          implementations, referenceRuns: referenceRuns, suite: aggregate.suite) { print("\n" + table) }
        worse = worse || rows.contains(where: \.verdict.isFailure) || implementations.contains(where: \.verdict.isFailure)
      }
      if worse { throw ExitCode.failure }
    }
  }
}

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

        Learning thresholds: where the benchmark claims that an algorithm learns a task at all, every \
        seed's mean return over its last 100 whole training episodes must exceed a floor at the \
        end of the budget (atari:Pong A2C: above +15 at 10M steps). A threshold not met fails the \
        command; runs at another budget are listed as not judged.
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
        let learning = LearningThreshold.check(aggregate)
        if !learning.isEmpty {
          print(
            "\nLearning thresholds (every seed's last 100 whole training episodes, at the end of the budget):\n"
              + learning.map { "  " + $0.text }.joined(separator: "\n"))
        }
        worse =
          worse || rows.contains(where: \.verdict.isFailure) || implementations.contains(where: \.verdict.isFailure)
          || learning.contains { $0.met == false }
      }
      if worse { throw ExitCode.failure }
    }
  }
}

import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench status`: which runs of a suite are complete, checkpointed (with progress) or missing.
  struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "List the complete, checkpointed and missing runs of a suite in a results folder.",
      discussion: """
        Takes the grid options of bench run (the same suite, algorithms, environments, seeds, start \
        seed, budget and shard) and shows, for every run of that grid: complete (its folder is \
        committed), checkpointed (training was interrupted; the newest checkpoint's steps, update, \
        training time so far with its steps/s and the training time left at that rate, size and \
        time, and the training return so far: the newest curve row's mean over the last 100 \
        episodes — bench run resumes it) or missing. Reads only each newest checkpoint's header and \
        curve, seeking past the model and any replay buffer, so it is fast on large folders. Writes \
        nothing; takes no lock.
        """)

    @OptionGroup var grid: GridOptions

    @Option(help: "The results folder.")
    var results: String = "results"

    func run() throws {
      let plan = try grid.plan()
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      print(RunStatus.report(RunStatus.of(plan, in: store)), terminator: "")
    }
  }
}

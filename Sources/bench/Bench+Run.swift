import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench run`: a suite × seeds, resumable, with progress.
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a suite over seeds and write the results with provenance.",
      discussion: """
        Runs every (environment, algorithm) entry of the suite for each seed and writes \
        results/runs/<suite>/<env>/<algorithm>/seed-<n>/ with spec.json, configuration.json, \
        curve.csv, episodes.csv and summary.json, plus results/manifest.json.

        Interrupted? Run the same command again: complete runs are kept, half-written ones are \
        discarded and redone. Split a suite over machines with --shard i/N and join the result \
        folders with bench merge.
        """)

    @Option(help: "The suite to run (see 'bench list suites').")
    var suite: String = "classic"

    @Option(parsing: .upToNextOption, help: "Only these algorithms (a2c, acktr, acer).")
    var algorithms: [String] = []

    @Option(parsing: .upToNextOption, help: "Only these environments (see 'bench list environments').")
    var environments: [String] = []

    @Option(help: "Number of seeds per entry.")
    var seeds: Int = 5

    @Option(help: "The first seed; seeds are start-seed ..< start-seed + seeds.")
    var startSeed: Int = 0

    @Option(help: "Override every entry's training budget (environment steps).")
    var timesteps: Int?

    @Option(help: "The results folder.")
    var results: String = "results"

    @Option(help: "Runs side by side, each a single-threaded process.")
    var jobs: Int = 1

    @Option(help: "Run only slice i of N of the grid (e.g. 2/4, 1-based), for cluster job arrays.")
    var shard: String?

    func validate() throws {
      if seeds < 1 { throw ValidationError("Please specify --seeds of at least 1 (got \(seeds)).") }
      if startSeed < 0 { throw ValidationError("Please specify --start-seed of at least 0 (got \(startSeed)).") }
      if jobs < 1 { throw ValidationError("Please specify --jobs of at least 1 (got \(jobs)).") }
      if let timesteps, timesteps < 1 {
        throw ValidationError("Please specify --timesteps of at least 1 (got \(timesteps)).")
      }
      if let shard, Shard(shard) == nil {
        throw ValidationError("Please specify --shard as i/N with 1 ≤ i ≤ N (got '\(shard)').")
      }
      for name in algorithms where AlgorithmID(rawValue: name) == nil {
        throw ValidationError(
          "unknown algorithm '\(name)'; available: \(AlgorithmID.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }

    func run() throws {
      let plan = try RunPlan(
        suiteName: suite, algorithms: algorithms.compactMap(AlgorithmID.init(rawValue:)),
        environments: environments, seeds: seeds, startSeed: startSeed, timesteps: timesteps,
        shard: shard.flatMap(Shard.init))
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      let outcome = try SuiteRunner(plan: plan, store: store, jobs: jobs, commandLine: CommandLine.arguments).run()
      print(outcome.report(resultsPath: store.root.path))
      if outcome.failed > 0 { throw ExitCode.failure }
    }
  }

  /// `bench run-one`: one run in this process (used by `bench run --jobs N`; not for people).
  struct RunOne: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "run-one", abstract: "Execute one run given as JSON (used by --jobs).", shouldDisplay: false)

    @Option(help: "The run spec as JSON.")
    var spec: String

    @Option(help: "The results folder.")
    var results: String

    func run() throws {
      let run = try JSONCoding.decoder.decode(RunSpec.self, from: Data(spec.utf8))
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      try RunExecutor.execute(run, store: store) { steps in
        // One line per checkpoint on standard output; the parent `bench run --jobs N` reads them.
        FileHandle.standardOutput.write(Data("progress \(steps)\n".utf8))
      }
    }
  }
}

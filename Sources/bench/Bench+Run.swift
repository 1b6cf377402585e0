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

        One writer at a time: bench run and bench merge hold an exclusive lock on the results \
        folder (<results>/.lock); a second one names the holder (pid, host, start time) and \
        exits with code 1, or waits with --wait.

        A results folder holds one setting per run: a complete run whose spec.json differs from \
        this command's (another --timesteps or --set) is refused; write variants to their own \
        --results folder.
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

    @Option(
      name: .customLong("set"),
      help: ArgumentHelp(
        "Set a hyperparameter on every entry, by its stable-baselines name (e.g. --set lr_schedule=linear).",
        valueName: "name=value"))
    var overrides: [String] = []

    @Option(help: "The results folder.")
    var results: String = "results"

    @Option(help: "Runs side by side, each a single-threaded process.")
    var jobs: Int = 1

    @Option(help: "Run only slice i of N of the grid (e.g. 2/4, 1-based), for cluster job arrays.")
    var shard: String?

    @Flag(help: "When another bench process writes the results folder, wait for it instead of exiting.")
    var wait = false

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
      for assignment in overrides where Self.parse(assignment) == nil {
        throw ValidationError("Please write --set as name=value (got '\(assignment)').")
      }
      for name in algorithms where AlgorithmID(rawValue: name) == nil {
        throw ValidationError(
          "unknown algorithm '\(name)'; available: \(AlgorithmID.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }

    /// `name=value`: a number when it parses as one, else a string.
    static func parse(_ assignment: String) -> (String, HyperparameterValue)? {
      let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
      return (parts[0], Double(parts[1]).map(HyperparameterValue.number) ?? .string(parts[1]))
    }

    func run() throws {
      let plan = try RunPlan(
        suiteName: suite, algorithms: algorithms.compactMap(AlgorithmID.init(rawValue:)),
        environments: environments, seeds: seeds, startSeed: startSeed, timesteps: timesteps,
        shard: shard.flatMap(Shard.init),
        overrides: Dictionary(overrides.compactMap(Self.parse), uniquingKeysWith: { _, last in last }))
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      var runner = SuiteRunner(plan: plan, store: store, jobs: jobs, commandLine: CommandLine.arguments)
      runner.waitForLock = wait
      let outcome = try runner.run()
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

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

        A results folder holds one build: runs are added only when git revision, Swift version, \
        OpenBLAS build, kernel and threads, GSL and RNG match every session in its manifest.json \
        (--allow-mixed-provenance overrides this); a command with nothing left to run writes \
        nothing.

        A results folder holds one setting per run: a complete run whose spec.json differs from \
        this command's (another --timesteps or --set) is refused; write variants to their own \
        --results folder.

        --tensorboard DIR writes one TensorBoard run per (environment, algorithm, seed) to \
        DIR/<suite>/<env>/<algorithm>/seed-<n>_1/ with stable-baselines 2's scalar tags \
        (loss/..., input_info/..., episode_reward; steps as SB2 logs them). Watch with \
        'tensorboard --logdir DIR'. Runs already complete are not redone, so their TensorBoard \
        runs are those of the command that made them; a redone run replaces its own.
        """)

    @Option(help: "The suite to run (see 'bench list suites').")
    var suite = SuiteName(argument: "classic")!

    @Option(parsing: .upToNextOption, help: "Only these algorithms.")
    var algorithms: [AlgorithmID] = []

    @Option(parsing: .upToNextOption, help: "Only these environments (see 'bench list environments').")
    var environments: [EnvironmentName] = []

    @Option(help: "Number of seeds per entry (\(RunLimits.describe(RunLimits.seeds))).")
    var seeds: Int = 5

    @Option(help: "The first seed; seeds are start-seed ..< start-seed + seeds (each in \(RunLimits.describe(RunLimits.seed))).")
    var startSeed: Int = 0

    @Option(help: "Override every entry's training budget (environment steps, \(RunLimits.describe(RunLimits.timesteps))).")
    var timesteps: Int?

    @Option(
      name: .customLong("set"),
      help: ArgumentHelp(
        "Set a hyperparameter on every entry, by its stable-baselines name: a number, true/false, a "
          + "name or JSON" + " (e.g. --set lr_schedule=linear, --set trust_region=false, "
          + "--set net_arch='{\"shared\":[],\"policy\":[32],\"value\":[32],\"activation\":\"tanh\"}'). "
          + "Checked when the plan is built, before anything is written.",
        valueName: "name=value"))
    var overrides: [String] = []

    @Option(help: "The results folder.")
    var results: String = "results"

    @Option(help: "Runs side by side, each a single-threaded process (\(RunLimits.describe(RunLimits.jobs))).")
    var jobs: Int = 1

    @Option(help: "Run only slice i of N of the grid (e.g. 2/4, 1-based), for cluster job arrays.")
    var shard: String?

    @Option(help: "Write one TensorBoard run per (environment, algorithm, seed) under this folder.")
    var tensorboard: String?

    @Flag(help: "When another bench process writes the results folder, wait for it instead of exiting.")
    var wait = false

    @Flag(help: "Add runs to a folder whose manifest records another build or BLAS kernel.")
    var allowMixedProvenance = false

    func validate() throws {
      try checkRange(seeds, "--seeds", RunLimits.seeds)
      try checkRange(startSeed, "--start-seed", RunLimits.seed)
      try checkRange(jobs, "--jobs", RunLimits.jobs)
      if let timesteps { try checkRange(timesteps, "--timesteps", RunLimits.timesteps) }
      do { try RunLimits.checkPlan(seeds: seeds, startSeed: startSeed, timesteps: timesteps) } catch {
        throw ValidationError("\(error)")
      }
      if let shard, Shard(shard).map({ RunLimits.shardCount.contains($0.count) }) != true {
        throw ValidationError(
          "Please specify --shard as i/N with 1 ≤ i ≤ N ≤ \(RunLimits.describe(RunLimits.shardCount)) (got '\(shard)').")
      }
      for assignment in overrides where Self.split(assignment) == nil {
        throw ValidationError("Please write --set as name=value (got '\(assignment)').")
      }
    }

    /// `name=value` split at the first `=`, both sides non-empty.
    static func split(_ assignment: String) -> (name: String, value: String)? {
      let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
      return (parts[0], parts[1])
    }

    /// The plan, or a usage error (exit 64) naming the field and its allowed values; nothing is
    /// written before it exists.
    func plan() throws -> RunPlan {
      do {
        var assignments: [String: HyperparameterValue] = [:]
        for (name, value) in overrides.compactMap(Self.split) {
          assignments[name] = try HyperparameterValue(parsing: value, name: name)
        }
        return try RunPlan(
          suiteName: suite.name, algorithms: algorithms, environments: environments.map(\.id), seeds: seeds,
          startSeed: startSeed, timesteps: timesteps, shard: shard.flatMap(Shard.init), overrides: assignments)
      } catch {
        FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
        throw ExitCode.validationFailure
      }
    }

    func run() throws {
      let plan = try plan()
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      var runner = SuiteRunner(plan: plan, store: store, jobs: jobs, commandLine: CommandLine.arguments)
      runner.waitForLock = wait
      runner.allowMixedProvenance = allowMixedProvenance
      runner.tensorboard = tensorboard.map { URL(fileURLWithPath: $0, isDirectory: true) }
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

    @Option(help: "The TensorBoard folder (bench run --tensorboard).")
    var tensorboard: String?

    func run() throws {
      let run = try JSONCoding.decoder.decode(RunSpec.self, from: Data(spec.utf8))
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      try RunExecutor.execute(
        run, store: store, tensorboard: tensorboard.map { URL(fileURLWithPath: $0, isDirectory: true) }
      ) { steps in
        // One line per checkpoint on standard output; the parent `bench run --jobs N` reads them.
        FileHandle.standardOutput.write(Data("progress \(steps)\n".utf8))
      }
    }
  }
}

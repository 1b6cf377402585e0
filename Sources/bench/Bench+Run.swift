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
        discarded, and a run in training resumes from its last checkpoint \
        (<results>/runs/<suite>/<env>/<algorithm>/seed-<n>.checkpoint/, written every \
        --checkpoint-every of training, deleted when the run completes) and ends bit-identical to \
        an uninterrupted run. A damaged checkpoint (checksum) is reported and the run falls back \
        to an older one or its start. Split a suite over machines with --shard i/N and join the \
        result folders with bench merge; bench status lists what is complete, checkpointed and \
        missing.

        SIGTERM (what Slurm sends at a time limit or pre-emption) or SIGINT (Ctrl-C): each run in \
        progress checkpoints after its current update, and bench exits within seconds with \
        status 143 (SIGTERM) or 130 (SIGINT), saying what was saved.

        One writer at a time: bench run and bench merge hold an exclusive lock on the results \
        folder (<results>/.lock); a second one names the holder (pid, host, start time) and \
        exits with code 1, or waits with --wait.

        Each suite in a results folder holds one build: runs of suite S are added only when git \
        revision, Swift version, OpenBLAS build, kernel and threads, GSL and RNG match every \
        earlier session of S in its manifest.json (sessions of other suites may differ; \
        --allow-mixed-provenance overrides this); a command with nothing left to run writes \
        nothing.

        A results folder holds one setting per run: a complete run whose spec.json differs from \
        this command's (another --timesteps or --set) is refused; write variants to their own \
        --results folder.

        --tensorboard DIR writes one TensorBoard run per (environment, algorithm, seed) to \
        DIR/<suite>/<env>/<algorithm>/seed-<n>_1/ with stable-baselines 2's scalar tags \
        (loss/..., input_info/..., episode_reward; steps as SB2 logs them). Watch with \
        'tensorboard --logdir DIR'. Runs already complete are not redone, so their TensorBoard \
        runs are those of the command that made them; a redone run replaces its own.

        --save-model writes each run's final model into its folder as model.acbm (format in the \
        library's ModelArchive: parameters, optimiser state so that training can resume, \
        normalisation statistics). The optimiser state makes them large: measured 0.11–0.13 MB \
        (A2C, ACER) and 0.91 MB (ACKTR) for the classic MLPs, 1.6 MB for A2C with MinAtar's CNN, \
        20 MB (A2C), 27 MB (ACER) and 205 MB (ACKTR, its K-FAC factors) with Atari's \
        nature_cnn (1.3 s to encode). --record-episode writes episode.png: one episode of the final \
        policy, after the evaluation, on an environment copy seeded apart from training and \
        evaluation (SeedSequence(seed + 0x5EED5791)), drawn as bench render draws it; bench \
        render --run <run folder> replays exactly that strip. Both are committed with the run's \
        other files in the same atomic rename and change none of them; a resumed run writes \
        them too. Runs already complete are not redone (a note counts those without them).
        """)

    @OptionGroup var grid: GridOptions

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

    @Option(help: "Write one TensorBoard run per (environment, algorithm, seed) under this folder.")
    var tensorboard: String?

    @Flag(help: "When another bench process writes the results folder, wait for it instead of exiting.")
    var wait = false

    @Option(
      help: ArgumentHelp(
        "Checkpoint each run in training this often: a duration (30s, 5m, 2h; 1s…168h), <n>updates, or off. "
          + "Runs shorter than the interval write none.",
        valueName: "interval"))
    var checkpointEvery = "5m"

    @Flag(help: "Add runs of a suite whose earlier sessions in the folder had another build or BLAS kernel.")
    var allowMixedProvenance = false

    @OptionGroup var artifactOptions: ArtifactOptions

    /// Test hook (FaultInjection): kill this process at a precise point; not in --help.
    @Option(help: .hidden)
    var fault: String?

    func validate() throws {
      try checkRange(jobs, "--jobs", RunLimits.jobs)
      for assignment in overrides where Self.split(assignment) == nil {
        throw ValidationError("Please write --set as name=value (got '\(assignment)').")
      }
      do { _ = try CheckpointInterval(parsing: checkpointEvery) } catch { throw ValidationError("\(error)") }
      if let fault { do { _ = try FaultInjection.Point(parsing: fault) } catch { throw ValidationError("\(error)") } }
    }

    /// `name=value` split at the first `=`, both sides non-empty.
    static func split(_ assignment: String) -> (name: String, value: String)? {
      let parts = assignment.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
      return (parts[0], parts[1])
    }

    func run() throws {
      // The plan (or a usage error naming the field) exists before anything is written.
      let plan = try grid.plan(overrides: overrides.compactMap(Self.split))
      if let fault { FaultInjection.arm(try FaultInjection.Point(parsing: fault)) }
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      var runner = SuiteRunner(plan: plan, store: store, jobs: jobs, commandLine: CommandLine.arguments)
      runner.waitForLock = wait
      runner.allowMixedProvenance = allowMixedProvenance
      runner.tensorboard = tensorboard.map { URL(fileURLWithPath: $0, isDirectory: true) }
      runner.checkpointInterval = try CheckpointInterval(parsing: checkpointEvery)
      runner.artifacts = artifactOptions.artifacts
      StopSignal.shared.install()
      runner.stopSignal = .shared
      let outcome = try runner.run()
      print(outcome.report(resultsPath: store.root.path))
      if let signal = outcome.interruptedBy { throw ExitCode(128 + signal) }
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

    @Option(help: "Checkpoint interval (as bench run's --checkpoint-every); without it, no checkpoints.")
    var checkpointEvery: String?

    @OptionGroup var artifactOptions: ArtifactOptions

    @Option(help: .hidden)
    var fault: String?

    @Option(help: .hidden)
    var parentPid: Int32?

    func run() throws {
      ParentWatch.start(parent: parentPid)
      if let fault { FaultInjection.arm(try FaultInjection.Point(parsing: fault)) }
      let run = try JSONCoding.decoder.decode(RunSpec.self, from: Data(spec.utf8))
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      var settings: CheckpointSettings?
      if let checkpointEvery {
        StopSignal.shared.install()
        // Messages and resumes go to standard output as `message …` / `resumed <steps>` lines,
        // which the parent `bench run --jobs N` shows on its progress board.
        settings = CheckpointSettings(
          interval: try CheckpointInterval(parsing: checkpointEvery), stop: .shared,
          log: { text in
            for line in text.split(separator: "\n") { FileHandle.standardOutput.write(Data("message \(line)\n".utf8)) }
          },
          onResume: { steps in FileHandle.standardOutput.write(Data("resumed \(steps)\n".utf8)) })
      }
      do {
        try RunExecutor.execute(
          run, store: store, tensorboard: tensorboard.map { URL(fileURLWithPath: $0, isDirectory: true) },
          checkpointing: settings, artifacts: artifactOptions.artifacts
        ) { report in
          // One line per report on standard output; the parent `bench run --jobs N` reads them.
          FileHandle.standardOutput.write(Data((report.line + "\n").utf8))
        }
      } catch let error as BenchmarkError {
        guard case .interrupted = error, let signal = StopSignal.shared.received else { throw error }
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(128 + signal)
      }
    }
  }
}

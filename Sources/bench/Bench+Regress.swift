import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench regress`: CI's check that learning and CPU work have not changed.
  struct Regress: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Replay the smoke suite bit for bit and count the CPU work of fixed workloads.",
      discussion: """
        1. Learning: replays the smoke suite for the seeds committed under \
        <results>/runs/smoke/ into a temporary folder and requires spec.json, \
        configuration.json, curve.csv, episodes.csv and summary.json to be byte-identical to the \
        committed files (timing.json, the wall-clock record, is not compared).

        2. Work: runs each fixed workload (bench perf-workload a2c|acktr|acer: CartPole-v1, 8 \
        environments, SB2 defaults) under 'setarch -R valgrind --tool=callgrind' with \
        OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell SWIFT_DETERMINISTIC_HASHING=1, counting \
        the instructions of the workload itself (building and training the model; not process \
        start-up or argument parsing), and compares the count with <results>/perf/callgrind-baseline.json; more than the \
        baseline's tolerance (2%) above it is a regression. Wall-clock steps/s are printed for \
        information only. Needs valgrind (scripts/setup.sh installs it).

        Counts depend on the toolchain, OpenBLAS and the build flags; the committed baseline was \
        measured with 'swift build -c release --product bench' (a build with -enable-testing \
        counts about 0.04% more). The three workloads take about a minute under callgrind.

        Exit code 1 on a learning difference or a work regression. After an intended change, \
        commit new smoke results (remove <results>/runs/smoke, then bench run --suite smoke \
        --seeds 1 --results results --allow-mixed-provenance) and/or rewrite the baseline with \
        --update-baseline.
        """)

    @Option(help: "The committed results folder.")
    var results: String = "results"

    @Flag(help: "Check learning only (no valgrind needed).")
    var skipPerf = false

    @Flag(help: "Measure the workloads and rewrite the callgrind baseline instead of comparing.")
    var updateBaseline = false

    @Option(
      help: ArgumentHelp(
        "Multiply every workload's steps (demonstrates a work regression).", visibility: .hidden))
    var workMultiplier: Int = 1

    func validate() throws {
      try checkRange(workMultiplier, "--work-multiplier", RunLimits.workMultiplier)
      if skipPerf && updateBaseline {
        throw ValidationError("--update-baseline measures the work; it cannot be combined with --skip-perf.")
      }
    }

    func run() throws {
      let clock = ContinuousClock()
      let start = clock.now
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      var failed = false

      // 1. Learning.
      let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
        "bench-regress-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
      defer { try? FileManager.default.removeItem(at: scratch) }
      let replay = try ReplayCheck(committed: store, suite: .smoke).run(scratch: scratch)
      print("Learning: replayed \(replay.count) smoke runs against \(store.runsFolder.path)/smoke")
      for run in replay {
        print("  \(run.differences.isEmpty ? "identical" : "DIFFERENT")  \(run.identifier)")
        for difference in run.differences { print("      \(difference)") }
        if !run.differences.isEmpty { failed = true }
      }

      // 2. Work.
      if !skipPerf {
        let counter = CallgrindCounter()
        let valgrind = try counter.version()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var baseline: PerfBaseline? = nil
        if !updateBaseline {
          guard let data = try? store.read(PerfBaseline.path) else {
            throw BenchmarkError.io(
              path: store.root.appendingPathComponent(PerfBaseline.path).path,
              reason: "no callgrind baseline; create it with 'bench regress --update-baseline'")
          }
          baseline = try JSONCoding.decoder.decode(PerfBaseline.self, from: data)
        }
        print(
          "Work: instructions counted by callgrind (\(valgrind)), tolerance "
            + "\(Format.fixed((baseline?.tolerance ?? 0.02) * 100, 1))%")
        var measured: [PerfBaseline.Workload] = []
        for workload in PerfWorkload.allCases {
          let base = baseline?.workloads.first { $0.name == workload }?.timesteps ?? workload.defaultTimesteps
          let timesteps = base * workMultiplier
          let count = try counter.count(
            executable: executable,
            arguments: ["perf-workload", workload.rawValue, "--timesteps", "\(timesteps)"])
          let (steps, seconds) = try workload.run(timesteps: timesteps)
          let rate = "\(Format.fixed(Double(steps) / seconds / 1000, 1))k steps/s wall clock (information)"
          measured.append(
            PerfBaseline.Workload(
              name: workload, description: workload.summary, timesteps: timesteps, instructions: count))
          if let baseline, let comparison = baseline.compare(workload, measured: count) {
            let sign = comparison.change >= 0 ? "+" : ""
            let verdict = comparison.isRegression ? "REGRESSION" : "ok        "
            let name = workload.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
            let change = sign + Format.fixed(comparison.change * 100, 2)
            print(
              "  \(verdict)  \(name) \(count) instructions (baseline \(comparison.baseline), \(change)%), "
                + rate)
            if comparison.isRegression { failed = true }
          } else {
            print("  measured    \(workload.rawValue) \(count) instructions for \(timesteps) steps, \(rate)")
          }
        }
        if updateBaseline {
          let provenance = Provenance.current(suite: "perf", commandLine: CommandLine.arguments)
          let file = PerfBaseline(
            valgrindVersion: valgrind, swiftVersion: provenance.swiftVersion,
            openBLASConfiguration: provenance.openBLASConfiguration, gitRevision: provenance.gitRevision,
            workloads: measured)
          try store.write(try JSONCoding.encoder.encode(file), to: PerfBaseline.path)
          print("Wrote \(store.root.path)/\(PerfBaseline.path)")
        }
      }
      let elapsed = clock.now - start
      print(
        "bench regress: \(failed ? "FAILED" : "passed") in "
          + Format.duration(
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
      )
      if failed { throw ExitCode.failure }
    }
  }
}

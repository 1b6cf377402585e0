import ArgumentParser
import BenchmarkSuite

extension Bench {
  /// `bench perf-workload <name>`: one fixed training workload (used by `bench regress`).
  struct PerfWorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "perf-workload",
      abstract: "Train one fixed workload (used by bench regress under callgrind).",
      shouldDisplay: false)

    @Argument(help: "The workload.")
    var name: PerfWorkload

    @Option(help: "Training steps (default: the workload's baseline budget; \(RunLimits.describe(RunLimits.timesteps))).")
    var timesteps: Int?

    func validate() throws {
      if let timesteps { try checkRange(timesteps, "--timesteps", RunLimits.timesteps) }
    }

    func run() throws {
      let workload = name
      let (steps, seconds) = try workload.run(timesteps: timesteps ?? workload.defaultTimesteps)
      print(
        "workload \(name.rawValue) timesteps \(steps) seconds \(seconds) steps_per_second \(Double(steps) / seconds)")
    }
  }
}

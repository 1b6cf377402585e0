import ArgumentParser
import BenchmarkSuite

extension Bench {
  /// `bench perf-workload <name>`: one fixed training workload (used by `bench regress`).
  struct PerfWorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "perf-workload",
      abstract: "Train one fixed workload (used by bench regress under callgrind).",
      shouldDisplay: false)

    @Argument(help: "The workload: \(PerfWorkload.allCases.map(\.rawValue).joined(separator: ", ")).")
    var name: String

    @Option(help: "Training steps (default: the workload's baseline budget).")
    var timesteps: Int?

    func validate() throws {
      if PerfWorkload(rawValue: name) == nil {
        throw ValidationError(
          "unknown workload '\(name)'; available: "
            + PerfWorkload.allCases.map(\.rawValue).joined(separator: ", ")
        )
      }
      if let timesteps, timesteps < 1 {
        throw ValidationError("Please specify --timesteps of at least 1 (got \(timesteps)).")
      }
    }

    func run() throws {
      let workload = PerfWorkload(rawValue: name)!
      let (steps, seconds) = try workload.run(timesteps: timesteps ?? workload.defaultTimesteps)
      print(
        "workload \(name) timesteps \(steps) seconds \(seconds) steps_per_second \(Double(steps) / seconds)")
    }
  }
}

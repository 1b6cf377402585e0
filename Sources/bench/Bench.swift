import ArgumentParser
import BenchmarkSuite
import Foundation

/// `bench`: train and benchmark A2C, ACKTR and ACER, reproducibly.
@main
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Train and benchmark A2C, ACKTR and ACER — seeded, single-threaded, reproducible.",
    discussion: """
      Every run is a pure function of (suite entry, seed, code, BLAS core type). bench pins OpenBLAS \
      to one thread and a fixed kernel (OPENBLAS_NUM_THREADS=1, OPENBLAS_CORETYPE) before the first \
      BLAS call and records both in results/manifest.json.

      Exit codes: 0 success; 1 failure (a run failed, or a check found a worse result); \
      64 usage error; 130 / 143 bench run stopped by SIGINT / SIGTERM (runs in progress \
      checkpointed; run the same command again to resume).
      """,
    version: "0.1.0",
    subcommands: [
      Run.self, Status.self, List.self, Aggregate.self, Compare.self, Plot.self, Check.self, Report.self, Merge.self,
      Regress.self, RandomPolicy.self, Render.self, RunOne.self, PerfWorkloadCommand.self,
    ],
    defaultSubcommand: Run.self)

  static func main() {
    BLASPinning.pinOrReexecute()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      exit(withError: error)
    }
  }
}

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
        size and time — bench run resumes it) or missing. Reads only checkpoint headers, so it is \
        fast on large folders. Writes nothing; takes no lock.
        """)

    @Option(help: "The results folder.")
    var results: String = "results"

    @Option(help: "The suite (see 'bench list suites').")
    var suite = SuiteName(argument: "classic")!

    @Option(parsing: .upToNextOption, help: "Only these algorithms.")
    var algorithms: [AlgorithmID] = []

    @Option(parsing: .upToNextOption, help: "Only these environments.")
    var environments: [EnvironmentName] = []

    @Option(help: "Number of seeds per entry (\(RunLimits.describe(RunLimits.seeds))).")
    var seeds: Int = 5

    @Option(help: "The first seed.")
    var startSeed: Int = 0

    @Option(help: "The training budget the runs were started with (bench run --timesteps).")
    var timesteps: Int?

    @Option(help: "Only slice i of N of the grid (bench run --shard).")
    var shard: String?

    func validate() throws {
      do { try RunLimits.checkPlan(seeds: seeds, startSeed: startSeed, timesteps: timesteps) } catch {
        throw ValidationError("\(error)")
      }
      if let shard, Shard(shard).map({ RunLimits.shardCount.contains($0.count) }) != true {
        throw ValidationError(
          "Please specify --shard as i/N with 1 ≤ i ≤ N ≤ \(RunLimits.describe(RunLimits.shardCount)) (got '\(shard)').")
      }
    }

    func run() throws {
      let plan: RunPlan
      do {
        plan = try RunPlan(
          suiteName: suite.name, algorithms: algorithms, environments: environments.map(\.id), seeds: seeds,
          startSeed: startSeed, timesteps: timesteps, shard: shard.flatMap(Shard.init))
      } catch {
        FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
        throw ExitCode.validationFailure
      }
      let store = ResultsStore(root: URL(fileURLWithPath: results, isDirectory: true))
      print(RunStatus.report(RunStatus.of(plan, in: store)), terminator: "")
    }
  }
}

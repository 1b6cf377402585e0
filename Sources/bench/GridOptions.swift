import ArgumentParser
import BenchmarkSuite
import Foundation

/// The run grid's options, shared by `bench run` and `bench status`: suite, algorithms,
/// environments, seeds, start seed, budget and shard.
struct GridOptions: ParsableArguments {
  @Option(help: "The suite (see 'bench list suites').")
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
    help: ArgumentHelp(
      "Override every entry's evaluation budget (environment steps; 0 disables the evaluation; "
        + "\(RunLimits.describe(RunLimits.evaluationTimesteps)))."))
  var evaluationTimesteps: Int?

  @Option(help: "Only slice i of N of the grid (e.g. 2/4, 1-based), for cluster job arrays.")
  var shard: String?

  func validate() throws {
    try checkRange(seeds, "--seeds", RunLimits.seeds)
    try checkRange(startSeed, "--start-seed", RunLimits.seed)
    if let timesteps { try checkRange(timesteps, "--timesteps", RunLimits.timesteps) }
    if let evaluationTimesteps {
      try checkRange(evaluationTimesteps, "--evaluation-timesteps", RunLimits.evaluationTimesteps)
    }
    do { try RunLimits.checkPlan(seeds: seeds, startSeed: startSeed, timesteps: timesteps) } catch {
      throw ValidationError("\(error)")
    }
    if let shard, Shard(shard).map({ RunLimits.shardCount.contains($0.count) }) != true {
      throw ValidationError(
        "Please specify --shard as i/N with 1 ≤ i ≤ N ≤ \(RunLimits.describe(RunLimits.shardCount)) (got '\(shard)').")
    }
  }

  /// The plan with `overrides` set on every entry, or a usage error (exit 64) naming the field and
  /// its allowed values.
  func plan(overrides: [(name: String, value: String)] = []) throws -> RunPlan {
    do {
      var assignments: [String: HyperparameterValue] = [:]
      for (name, value) in overrides { assignments[name] = try HyperparameterValue(parsing: value, name: name) }
      return try RunPlan(
        suiteName: suite.name, algorithms: algorithms, environments: environments.map(\.id), seeds: seeds,
        startSeed: startSeed, timesteps: timesteps, shard: shard.flatMap(Shard.init), overrides: assignments,
        evaluationTimesteps: evaluationTimesteps)
    } catch {
      FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
      throw ExitCode.validationFailure
    }
  }
}

import ArgumentParser
import BenchmarkSuite
import Environments

extension Bench {
  /// `bench random-policy`: measure the random-policy anchors of the score normalisation.
  struct RandomPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "random-policy",
      abstract: "Measure a uniformly random policy's mean return (the normalisation's 0 point).",
      discussion: """
        Plays --episodes episodes of a seeded uniform random policy on each environment (Gymnasium \
        time limits) and prints the mean and standard deviation of the returns. Bridged names \
        (atari:<Game>, minatar:<Game>, gym:<id>) play one copy through the bridge and count the \
        Monitor's episodes (Atari: whole games, unclipped). The numbers in ScoreAnchors.swift were \
        produced by 'bench random-policy --episodes 1000 --seed 0' (native) and \
        'bench random-policy --episodes 100 --seed 0 --environments minatar:<Game>' (MinAtar).
        """)

    @Option(parsing: .upToNextOption, help: "Environments (default: every native one).")
    var environments: [EnvironmentName] = []

    @Option(help: "Episodes per environment (\(RunLimits.describe(RunLimits.episodes))).")
    var episodes: Int = 1000

    @Option(help: "Seed of the reset and action streams (\(RunLimits.describe(RunLimits.seed))).")
    var seed: Int = 0

    func validate() throws {
      try checkRange(episodes, "--episodes", RunLimits.episodes)
      try checkRange(seed, "--seed", RunLimits.seed)
    }

    func run() throws {
      let ids = environments.isEmpty ? EnvironmentRegistry.ids : environments.map(\.id)
      print("environment               episodes  mean_return        sd  mean_length")
      for id in ids {
        let b =
          EnvironmentRegistry.ids.contains(id)
          ? try RandomPolicyBaseline.measure(environment: id, episodes: episodes, seed: seed)
          : try RandomPolicyBaseline.measureVectorized(environment: id, episodes: episodes, seed: seed)
        print(
          id.padding(toLength: 26, withPad: " ", startingAt: 0)
            + "\(b.episodes)".leftPadded(8) + "  " + "\(b.meanReturn)".leftPadded(11)
            + "  " + String(format: "%8.3f", b.standardDeviation) + "  "
            + String(format: "%11.2f", b.meanLength))
      }
    }
  }
}

extension String {
  /// The string right-aligned in `width` columns.
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}

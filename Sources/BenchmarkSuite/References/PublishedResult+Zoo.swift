extension PublishedResult {
  /// Where the zoo rows come from.
  static let zooSource =
    "araffin/rl-baselines-zoo benchmark.md @ff84f398 (table last changed in a41e611, 2019-09-29); "
    + "published-numbers.md §1.2"

  /// A2C's default learning-rate schedule was `linear` before stable-baselines 2.5.0.
  static let linearScheduleCaveat =
    "the zoo's A2C agent was trained in 2018 with stable-baselines ≈2.2, whose A2C default "
    + "lr_schedule was 'linear' (constant since 2.5.0, which we follow); published-numbers.md §1.4"

  /// Gymnasium's Pendulum-v1 is the zoo's Pendulum-v0 with rewritten but equivalent equations.
  static let pendulumCaveat =
    "published on gym's Pendulum-v0; Gymnasium documents Pendulum-v1 as 'Simplify the math "
    + "equations, no difference in behavior' (gymnasium/envs/classic_control/pendulum.py, Version "
    + "History); same 200-step time limit"

  /// The rl-baselines-zoo (stable-baselines 2) rows for the classic-control environments of the
  /// `classic` suite, verbatim from the zoo's `benchmark.md`: one trained agent per row, evaluated
  /// with the stochastic policy over ≈150,000 steps (published-numbers.md §1.1–§1.2), with each
  /// agent's training budget (published-numbers.md §1.2, second table).
  public static let rlBaselinesZoo: [PublishedResult] = [
    PublishedResult(
      environment: "CartPole-v1", algorithm: .a2c, meanReturn: 499.903, standardDeviation: 1.672,
      evaluationTimesteps: 149_971, episodes: 300, trainingTimesteps: 500_000, source: zooSource,
      caveat: linearScheduleCaveat),
    PublishedResult(
      environment: "CartPole-v1", algorithm: .acktr, meanReturn: 487.573, standardDeviation: 63.866,
      evaluationTimesteps: 149_685, episodes: 307, trainingTimesteps: 1_000_000, source: zooSource),
    PublishedResult(
      environment: "CartPole-v1", algorithm: .acer, meanReturn: 498.620, standardDeviation: 23.862,
      evaluationTimesteps: 149_586, episodes: 300, trainingTimesteps: 500_000, source: zooSource),
    PublishedResult(
      environment: "Acrobot-v1", algorithm: .a2c, meanReturn: -86.616, standardDeviation: 25.097,
      evaluationTimesteps: 149_997, episodes: 1712, trainingTimesteps: 500_000, source: zooSource,
      caveat: linearScheduleCaveat),
    PublishedResult(
      environment: "Acrobot-v1", algorithm: .acktr, meanReturn: -91.284, standardDeviation: 32.515,
      evaluationTimesteps: 149_959, episodes: 1625, trainingTimesteps: 500_000, source: zooSource),
    PublishedResult(
      environment: "Acrobot-v1", algorithm: .acer, meanReturn: -90.850, standardDeviation: 32.797,
      evaluationTimesteps: 149_989, episodes: 1633, trainingTimesteps: 500_000, source: zooSource),
    PublishedResult(
      environment: "MountainCar-v0", algorithm: .a2c, meanReturn: -130.921, standardDeviation: 32.188,
      evaluationTimesteps: 149_904, episodes: 1145, trainingTimesteps: 1_000_000, source: zooSource,
      caveat: linearScheduleCaveat),
    PublishedResult(
      environment: "MountainCar-v0", algorithm: .acktr, meanReturn: -111.917, standardDeviation: 21.422,
      evaluationTimesteps: 149_969, episodes: 1340, trainingTimesteps: 1_000_000, source: zooSource),
    PublishedResult(
      environment: "MountainCar-v0", algorithm: .acer, meanReturn: -131.213, standardDeviation: 32.541,
      evaluationTimesteps: 149_976, episodes: 1143, trainingTimesteps: 1_000_000, source: zooSource),
    PublishedResult(
      environment: "Pendulum-v1", publishedEnvironment: "Pendulum-v0", algorithm: .a2c, meanReturn: -162.240,
      standardDeviation: 99.351, evaluationTimesteps: 150_000, episodes: 750, trainingTimesteps: 2_000_000,
      source: zooSource + "; budget from trained_agents/a2c/Pendulum-v0/config.yml", caveat: pendulumCaveat),
    PublishedResult(
      environment: "Pendulum-v1", publishedEnvironment: "Pendulum-v0", algorithm: .acktr,
      meanReturn: -213.831,
      standardDeviation: 137.857, evaluationTimesteps: 150_000, episodes: 750, trainingTimesteps: 2_000_000,
      source: zooSource + "; budget from trained_agents/acktr/Pendulum-v0/config.yml",
      caveat: pendulumCaveat),
    PublishedResult(
      environment: "MountainCarContinuous-v0", algorithm: .a2c, meanReturn: 93.659, standardDeviation: 0.199,
      evaluationTimesteps: 149_985, episodes: 2187, trainingTimesteps: 1_000_000,
      source: zooSource + "; budget from trained_agents/a2c/MountainCarContinuous-v0/config.yml"),
    PublishedResult(
      environment: "MountainCarContinuous-v0", algorithm: .acktr, meanReturn: 93.779,
      standardDeviation: 0.115,
      evaluationTimesteps: 149_993, episodes: 2265, trainingTimesteps: 1_000_000,
      source: zooSource + "; budget from trained_agents/acktr/MountainCarContinuous-v0/config.yml",
      caveat:
        "the zoo's current acktr.yml says 3e5 steps; the trained agent's config.yml says 1e6, which we use"),
  ]

  /// The published row for (environment, algorithm), if any.
  public static func zoo(environment: String, algorithm: AlgorithmID) -> PublishedResult? {
    rlBaselinesZoo.first { $0.environment == environment && $0.algorithm == algorithm }
  }
}

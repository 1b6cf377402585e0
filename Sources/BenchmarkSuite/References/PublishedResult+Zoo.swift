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

  /// What separates our Atari environments from the zoo's.
  static let atariCaveat =
    "the zoo's agents ran gym's NoFrameskip-v4 on atari-py (400,000-step TimeLimit, RandomState no-ops); ours "
    + "ale-py 0.12.1 under Gymnasium 1.4 (108,000-frame truncation, Generator no-ops): same ROMs, frame skip and "
    + "SB2 wrappers (pixels-and-bridge.md §1)"

  /// The zoo's Atari rows (published-numbers.md §1.2): `benchmark.md` verbatim, one agent per row
  /// evaluated like the classic rows (one env, stochastic, ≈150,000 steps, full-game unclipped
  /// Monitor score); A2C and ACER trained 1e7 steps with 16 envs, ACKTR 5e6 with 32 (the `atari:`
  /// blocks of §1.3), matching the `atari` suite.
  public static let zooAtari: [PublishedResult] = {
    // (game, algorithm, mean, std, n_timesteps, n_episodes) verbatim from benchmark.md.
    let rows: [(String, AlgorithmID, Double, Double, Int, Int)] = [
      ("BeamRider", .a2c, 2809.115, 1298.573, 150_181, 52), ("Breakout", .a2c, 384.865, 51.231, 146_703, 52),
      ("Enduro", .a2c, 0.000, 0.000, 149_574, 45), ("MsPacman", .a2c, 1581.111, 499.757, 150_229, 189),
      ("Pong", .a2c, 18.973, 2.135, 148_288, 75), ("Qbert", .a2c, 5742.333, 2033.074, 151_311, 150),
      ("Seaquest", .a2c, 746.420, 111.370, 149_749, 81), ("SpaceInvaders", .a2c, 658.907, 197.833, 149_846, 151),
      ("BeamRider", .acer, 2440.692, 1357.964, 149_127, 52), ("Enduro", .acer, 0.000, 0.000, 149_574, 45),
      ("MsPacman", .acer, 3908.105, 585.407, 148_924, 95), ("Pong", .acer, 20.667, 0.507, 148_275, 57),
      ("Qbert", .acer, 18880.469, 1648.937, 148_617, 64), ("Seaquest", .acer, 872.121, 25.555, 149_650, 66),
      ("SpaceInvaders", .acer, 542.556, 172.332, 150_374, 133),
      ("BeamRider", .acktr, 3760.976, 1826.059, 147_414, 41), ("Breakout", .acktr, 448.514, 88.882, 143_118, 37),
      ("Enduro", .acktr, 0.000, 0.000, 149_574, 45), ("MsPacman", .acktr, 1598.776, 264.338, 149_588, 147),
      ("Pong", .acktr, 19.224, 3.697, 147_753, 67), ("Qbert", .acktr, 9569.575, 3980.468, 150_896, 106),
      ("Seaquest", .acktr, 1672.239, 105.092, 149_148, 67), ("SpaceInvaders", .acktr, 738.045, 306.756, 149_714, 156),
    ]
    return rows.map { game, algorithm, mean, std, steps, episodes in
      PublishedResult(
        environment: "atari:\(game)", publishedEnvironment: "\(game)NoFrameskip-v4", algorithm: algorithm,
        meanReturn: mean, standardDeviation: std, evaluationTimesteps: steps, episodes: episodes,
        trainingTimesteps: algorithm == .acktr ? 5_000_000 : 10_000_000, source: zooSource, caveat: atariCaveat)
    }
  }()

  /// The zoo's row for (environment, algorithm), classic control or Atari, if any.
  public static func zoo(environment: String, algorithm: AlgorithmID) -> PublishedResult? {
    (rlBaselinesZoo + zooAtari).first { $0.environment == environment && $0.algorithm == algorithm }
  }
}

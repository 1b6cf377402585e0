import BenchmarkSuite
import Environments
import Testing

@Suite("References and anchors")
struct ReferenceTests {
  @Test(
    "The committed random-policy anchors are what 'bench random-policy --episodes 1000 --seed 0' measures")
  func randomAnchors() throws {
    for id in EnvironmentRegistry.ids {
      let measured = try RandomPolicyBaseline.measure(environment: id, episodes: 1000, seed: 0)
      #expect(measured.meanReturn == ScoreAnchors.measuredRandomReturns[id], "\(id)")
    }
  }

  @Test("Random anchors agree with the well-known random-policy returns")
  func plausibleAnchors() throws {
    let expected: [String: ClosedRange<Double>] = [
      "CartPole-v1": 20...25, "Acrobot-v1": -500 ... -495, "MountainCar-v0": -200 ... -200,
      "Pendulum-v1": -1300 ... -1150, "MountainCarContinuous-v0": -36 ... -30,
    ]
    for anchors in ScoreAnchors.classicControl {
      #expect(expected[anchors.environment]!.contains(anchors.random), "\(anchors.environment)")
      #expect(anchors.reference > anchors.random)
      #expect(anchors.normalize(anchors.reference) == 1 && anchors.normalize(anchors.random) == 0)
      #expect(anchors.normalizationAnchor.normalize(anchors.reference) == 1)
    }
    #expect(try ScoreAnchors.forEnvironment("MountainCar-v0").reference == -111.917)
    #expect(
      try ScoreAnchors.forEnvironment("Pendulum-v1").referenceSource == "rl-baselines-zoo A2C on Pendulum-v0")
  }

  @Test("Atari random anchors are near the DQN paper's random column; 1 is the zoo's best agent; Enduro has none")
  func atariAnchors() throws {
    // Mnih et al. 2015, Extended Data Table 2 ("Random play"): a different protocol (30 no-op
    // starts, 5-minute episodes, 10 Hz actions), so within 30% or 2 points, not equal.
    let dqnPaperRandom: [String: Double] = [
      "BeamRider": 363.9, "Breakout": 1.7, "MsPacman": 307.3, "Pong": -20.7, "Qbert": 163.9, "Seaquest": 68.4,
      "SpaceInvaders": 148.0,
    ]
    #expect(ScoreAnchors.atari.map(\.environment) == Suite.zooAtariGames.filter { $0 != "Enduro" }.map { "atari:\($0)" })
    for anchors in ScoreAnchors.atari {
      let paper = dqnPaperRandom[String(anchors.environment.dropFirst("atari:".count))]!
      #expect(abs(anchors.random - paper) <= max(0.3 * abs(paper), 2), "\(anchors.environment)")
      #expect(anchors.reference > anchors.random)
      let best = PublishedResult.zooAtari.filter { $0.environment == anchors.environment }.map(\.meanReturn).max()!
      #expect(anchors.reference == best && anchors.referenceSource.hasPrefix("rl-baselines-zoo"))
    }
    #expect(throws: BenchmarkError.self) { try ScoreAnchors.forEnvironment("atari:Enduro") }
    // Pong: random to the zoo's ACER agent; the verdict margin is 5% of that range.
    let pong = try ScoreAnchors.forEnvironment("atari:Pong")
    #expect(pong.reference == 20.667 && pong.referenceSource == "rl-baselines-zoo ACER on PongNoFrameskip-v4")
    #expect(abs(VerdictRule.standard.margin(environment: "atari:Pong") - 0.05 * (20.667 - pong.random)) < 1e-12)
    #expect(ScoreAnchors.referenceName(of: ScoreAnchors.atari).short == "best zoo agent")
  }

  /// The report names what 1 means on each suite's normalised scale: the zoo's best agent on
  /// classic control, the MinAtar paper's better baseline on MinAtar, a neutral name for a mix.
  @Test func referenceNamesFollowTheAnchors() throws {
    #expect(ScoreAnchors.referenceName(of: ScoreAnchors.classicControl).short == "best zoo agent")
    #expect(ScoreAnchors.referenceName(of: ScoreAnchors.minAtar).short == "MinAtar paper's best")
    #expect(ScoreAnchors.referenceName(of: ScoreAnchors.minAtar).long.contains("DQN and AC(λ)"))
    #expect(
      ScoreAnchors.referenceName(of: [ScoreAnchors.classicControl[0], ScoreAnchors.minAtar[0]]).short
        == "reference agent")
  }

  @Test("The published table: 13 rows on registered environments, budgets of the classic suite")
  func publishedTable() {
    let rows = PublishedResult.rlBaselinesZoo
    #expect(rows.count == 13)
    #expect(Set(rows.map { "\($0.environment)/\($0.algorithm)" }).count == 13)
    for row in rows {
      #expect(EnvironmentRegistry.ids.contains(row.environment))
      let entry = Suite.classic.entries.first {
        $0.environment == row.environment && $0.algorithm == row.algorithm
      }
      #expect(entry?.timesteps == row.trainingTimesteps, "\(row.environment) \(row.algorithm)")
      #expect(row.standardError > 0 && row.trainingSeeds == 1 && row.stochasticEvaluation)
    }
    #expect(PublishedResult.zoo(environment: "CartPole-v1", algorithm: .acer)?.meanReturn == 498.620)
    #expect(PublishedResult.zoo(environment: "Pendulum-v1", algorithm: .acer) == nil)
  }

  @Test("Bad random-policy requests are typed errors")
  func badInput() {
    #expect(throws: BenchmarkError.unknownEnvironment(name: "Pong-v0", available: EnvironmentRegistry.ids)) {
      try RandomPolicyBaseline.measure(environment: "Pong-v0", episodes: 10, seed: 0)
    }
    #expect(throws: BenchmarkError.invalidOption(name: "--episodes", value: "1", allowed: "an integer ≥ 2")) {
      try RandomPolicyBaseline.measure(environment: "CartPole-v1", episodes: 1, seed: 0)
    }
  }
}

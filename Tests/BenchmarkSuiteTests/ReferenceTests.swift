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

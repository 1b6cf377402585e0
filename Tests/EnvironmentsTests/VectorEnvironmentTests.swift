import Environments
import Randomness
import Testing

@Suite struct VectorEnvironmentTests {
  /// Replays the vector environment against independent single environments driven by hand with
  /// SB2 `DummyVecEnv` + `Monitor` rules: after a done the observation is the next episode's first.
  @Test(arguments: [("CartPole-v1", 4, 600), ("Pendulum-v1", 3, 450), ("MountainCarContinuous-v0", 2, 300)])
  func autoResetAndEpisodeRecordsFollowSB2(id: String, count: Int, steps: Int) throws {
    let seeds = SeedSequence(runSeed: 11)
    func make() -> any Environment {
      switch id {
      case "CartPole-v1": return CartPole()
      case "Pendulum-v1": return Pendulum(maxEpisodeSteps: 40)  // short, so truncation shows up
      default: return MountainCarContinuous()
      }
    }
    let vector = try VectorEnvironment(environments: (0..<count).map { _ in make() }, seeds: seeds)
    let references = (0..<count).map { _ in make() }
    let streams = (0..<count).map { seeds.stream(for: .environment, index: $0) }
    var expectedObservations = (0..<count).map { references[$0].reset(using: streams[$0]) }
    var returns = [Double](repeating: 0, count: count), lengths = [Int](repeating: 0, count: count)
    var expectedHistory: [EpisodeRecord] = []

    vector.reset()
    #expect(vector.observations.floats() == expectedObservations.flatMap { $0 })
    #expect(vector.dones == [Bool](repeating: false, count: count))

    let actionStream = RandomStream(seed: 5)
    var sawTermination = false, sawTruncation = false
    for _ in 0..<steps {
      let actions: [Double] = (0..<count).map { i in
        switch id {
        case "CartPole-v1": return Double(actionStream.uniformInt(below: 2))
        case "Pendulum-v1": return actionStream.uniform(low: -2.5, high: 2.5)
        default:  // push along the velocity (beyond the bounds at times) to reach the goal
          return (expectedObservations[i][1] >= 0 ? 1 : -1) * actionStream.uniform(low: 0.5, high: 1.3)
        }
      }
      try vector.step(actions)
      var expectedCompleted: [EpisodeRecord] = []
      for i in 0..<count {
        let (observation, outcome) = try references[i].step([actions[i]])
        #expect(vector.rewards[i] == Float(outcome.reward))
        #expect(vector.terminated[i] == outcome.terminated && vector.truncated[i] == outcome.truncated)
        #expect(vector.dones[i] == outcome.done)
        returns[i] += outcome.reward
        lengths[i] += 1
        expectedObservations[i] = observation
        if outcome.done {
          sawTermination = sawTermination || outcome.terminated
          sawTruncation = sawTruncation || outcome.truncated
          #expect(vector.terminalObservations.floats(of: i) == observation)
          expectedCompleted.append(
            EpisodeRecord(
              environmentIndex: i, episodeReturn: returns[i], length: lengths[i],
              truncated: outcome.truncated))
          returns[i] = 0
          lengths[i] = 0
          expectedObservations[i] = references[i].reset(using: streams[i])
        }
      }
      #expect(vector.observations.floats() == expectedObservations.flatMap { $0 })
      #expect(vector.completedEpisodes == expectedCompleted)
      expectedHistory += expectedCompleted
    }
    #expect(!expectedHistory.isEmpty)
    #expect(sawTruncation || id != "Pendulum-v1")
    #expect(sawTermination || id == "Pendulum-v1")
    #expect(vector.monitor.returns == expectedHistory.map(\.episodeReturn))
    #expect(vector.monitor.lengths == expectedHistory.map(\.length))
    #expect(vector.monitor.totalSteps == count * steps)
  }

  @Test func sameSeedSameEpisodesDifferentIndicesAndSeedsDiffer() throws {
    func run(_ seed: UInt64) throws -> [[Float]] {
      let vector = try VectorEnvironment(id: "Acrobot-v1", count: 3, seeds: SeedSequence(runSeed: seed))
      vector.reset()
      var trace = [vector.observations.floats()]
      for t in 0..<50 {
        try vector.step([Double(t % 3), 1, Double((t + 1) % 3)])
        trace.append(vector.observations.floats())
      }
      return trace
    }
    let a = try run(1), b = try run(1), c = try run(2)
    #expect(a == b)
    #expect(a[0] != c[0])
    let first = a[0]
    let rows = (0..<3).map { Array(first[($0 * 6)..<(($0 + 1) * 6)]) }
    #expect(rows[0] != rows[1] && rows[1] != rows[2] && rows[0] != rows[2])
  }

  @Test func secondResetContinuesEachCopysStream() throws {
    let seeds = SeedSequence(runSeed: 3)
    let vector = try VectorEnvironment(id: "CartPole-v1", count: 2, seeds: seeds)
    vector.reset()
    let first = vector.observations.floats()
    vector.reset()
    #expect(vector.observations.floats() != first)
    let reference = CartPole()
    let stream = seeds.stream(for: .environment, index: 1)
    _ = reference.reset(using: stream)
    #expect(vector.observations.floats(of: 1) == reference.reset(using: stream))
  }

  @Test func rejectsAnEmptyVector() {
    #expect(throws: EnvironmentError.invalidEnvironmentCount(0)) {
      try VectorEnvironment(id: "CartPole-v1", count: 0, seeds: SeedSequence(runSeed: 0))
    }
    #expect(throws: EnvironmentError.unknownEnvironment(id: "Pong", available: EnvironmentRegistry.ids)) {
      try VectorEnvironment(id: "Pong", count: 2, seeds: SeedSequence(runSeed: 0))
    }
    #expect(
      EnvironmentError.invalidEnvironmentCount(0).description
        == "invalid environment count: count must be ≥ 1, got 0")
  }
}

@Suite struct EpisodeMonitorTests {
  @Test func meansOverTheLastEpisodes() {
    var monitor = EpisodeMonitor()
    #expect(monitor.meanReturn() == nil && monitor.meanLength() == nil)
    for k in 1...150 {
      monitor.record(
        EpisodeRecord(environmentIndex: k % 4, episodeReturn: Double(k), length: 2 * k, truncated: false))
    }
    #expect(monitor.episodeCount == 150)
    // Last 100 returns are 51…150: mean 100.5; lengths 102…300: mean 201.
    #expect(monitor.meanReturn() == 100.5)
    #expect(monitor.meanLength() == 201)
    #expect(monitor.meanReturn(ofLast: 1) == 150)
    #expect(monitor.meanReturn(ofLast: 1000) == 75.5)
  }
}

import ActorCritic
import Environments
import Foundation
import Randomness
import Testing

@Suite struct ACKTRTests {
  static func configuration() -> ACKTRConfiguration {
    var c = ACKTRConfiguration()
    c.entropyCoefficient = 0
    return c
  }

  @Test func sameSeedIsBitIdentical() throws {
    func train(_ seed: UInt64) throws -> ACKTR {
      let model = try ACKTR(environment: try cartPole(seed: seed), configuration: Self.configuration(), seed: seed)
      try model.learn(totalTimesteps: 4_000)
      return model
    }
    let a = try train(2), b = try train(2), c = try train(3)
    #expect(a.parameters() == b.parameters())
    #expect(a.history.map(\.valueLoss) == b.history.map(\.valueLoss))
    #expect(a.parameters() != c.parameters())
    // Update 10 on: K-FAC steps with a trust-region scale (stable-baselines' handoff).
    #expect(a.history[8].extras["trust_region_scale"] == nil)
    #expect(a.history[9].extras["trust_region_scale"] != nil)
  }

  @Test func learnsCartPoleWellAboveRandom() throws {
    let model = try ACKTR(environment: try cartPole(), configuration: Self.configuration(), seed: 0)
    try model.learn(totalTimesteps: 100_000)
    let last = model.episodes.suffix(20).map(\.episodeReturn)
    #expect(last.reduce(0, +) / Double(last.count) > 100)
  }

  @Test func boxActionsTrainWithoutNaN() throws {
    var c = Self.configuration()
    c.stepsPerUpdate = 16
    c.learningRate = 0.06
    c.learningRateSchedule = .constant
    let env = try VectorEnvironment(id: "Pendulum-v1", count: 4, seeds: SeedSequence(runSeed: 0))
    let model = try ACKTR(environment: env, configuration: c, seed: 0)
    let initial = model.parameters()
    try model.learn(totalTimesteps: 6_400)
    // All 100 updates ran (6,400 steps / (16 steps × 4 environments)), K-FAC steps from update 10.
    #expect(model.timesteps == 6_400)
    #expect(model.history.count == 100)
    #expect(model.history.dropFirst(9).allSatisfy { $0.extras["trust_region_scale"] != nil })
    // No NaN anywhere: every loss and every parameter (the Gaussian's log σ included) finite …
    for m in model.history {
      #expect([m.policyLoss, m.valueLoss, m.entropy, m.learningRate].allSatisfy { $0.isFinite }, "update \(m.update)")
    }
    let trained = model.parameters()
    #expect(trained.allSatisfy { $0.values.allSatisfy(\.isFinite) })
    let logStd = try #require(model.policy.network.logStd)
    #expect(logStd.value.elements.allSatisfy { $0.isFinite })
    // … and training moved every parameter tensor but SB2's q head, which only ACER trains.
    #expect(initial.map(\.name) == trained.map(\.name))
    for (a, b) in zip(initial, trained) {
      if a.name.hasPrefix("model/q/") {
        #expect(a.values == b.values, "\(a.name) moved")
      } else {
        #expect(a.values != b.values, "\(a.name) did not move")
      }
    }
    #expect(try model.predict(observation: [1, 0, 0]).allSatisfy { $0.isFinite && $0 >= -2 && $0 <= 2 })
  }

  @Test func unsupportedActionSpacesAreRefused() {
    for space in [Space.multiDiscrete(nvec: [2, 2]), .multiBinary(n: 2)] {
      do {
        _ = try ACKTR(environment: nil, observationSpace: .box(low: [0], high: [1]), actionSpace: space)
        Issue.record("ACKTR accepted \(space)")
      } catch {
        #expect("\(error)".hasPrefix("ACKTR does not support the action space"))
        #expect("\(error)".hasSuffix("supported: Discrete, Box"))
      }
    }
  }

  @Test func saveLoadKeepsTheKFACState() throws {
    let model = try ACKTR(environment: try cartPole(), configuration: Self.configuration(), seed: 0)
    try model.learn(totalTimesteps: 2_400)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("acb-acktr-\(ProcessInfo.processInfo.processIdentifier).acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    let loaded = try ACKTR.load(from: url)
    #expect(loaded.optimizer.snapshot() == model.optimizer.snapshot())
    #expect(loaded.parameters() == model.parameters())
  }
}

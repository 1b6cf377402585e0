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
    try model.learn(totalTimesteps: 6_400)
    #expect(model.history.allSatisfy { $0.isFinite })
    #expect(model.policy.network.logStd != nil)
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

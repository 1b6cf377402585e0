import ActorCritic
import Environments
import Foundation
import Randomness
import Testing

/// The tiny models behind the model-file fixtures (`Fixtures/ModelFiles/`): CartPole, separate
/// 4-unit policy and value trunks, a few updates, so each file is a few KB.
///
/// `ACB_WRITE_MODEL_FIXTURES=<folder> swift test --filter ModelFileFixtures` writes
/// `<algorithm>.acbm` into the folder with the current format; `Tools/model_file_corpus.py` mutates
/// them into the fuzz corpus. Without the variable the test only checks that the models build.
enum ModelFileFixtures {
  static let tinyArchitecture = NetworkArchitecture(policy: [4], value: [4])

  static func cartPole(count: Int, seed: UInt64) throws -> VectorEnvironment {
    try VectorEnvironment(id: "CartPole-v1", count: count, seeds: SeedSequence(runSeed: seed))
  }

  static func a2c() throws -> A2C {
    var c = A2CConfiguration()
    c.networkArchitecture = tinyArchitecture
    let env = try NormalizedVectorEnvironment(wrapping: try cartPole(count: 2, seed: 3))
    let model = try A2C(environment: env, configuration: c, seed: 3)
    try model.learn(totalTimesteps: 40)
    return model
  }

  static func acktr() throws -> ACKTR {
    var c = ACKTRConfiguration()
    c.networkArchitecture = tinyArchitecture
    c.stepsPerUpdate = 5
    let model = try ACKTR(environment: try cartPole(count: 2, seed: 4), configuration: c, seed: 4)
    try model.learn(totalTimesteps: 40)
    return model
  }

  static func acer() throws -> ACER {
    var c = ACERConfiguration()
    c.networkArchitecture = tinyArchitecture
    c.stepsPerUpdate = 5
    c.bufferSize = 100
    c.replayStart = 20
    let model = try ACER(environment: try cartPole(count: 2, seed: 5), configuration: c, seed: 5)
    try model.learn(totalTimesteps: 60)
    return model
  }
}

@Suite struct ModelFileFixtureWriter {
  @Test func writesTheTinyModelsWhenAsked() throws {
    let models: [(String, any ActorCriticModel)] = [
      ("a2c", try ModelFileFixtures.a2c()), ("acktr", try ModelFileFixtures.acktr()), ("acer", try ModelFileFixtures.acer()),
    ]
    guard let folder = ProcessInfo.processInfo.environment["ACB_WRITE_MODEL_FIXTURES"] else { return }
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, model) in models { try model.save(to: URL(fileURLWithPath: folder).appendingPathComponent("\(name).acbm")) }
  }
}

/// A vector environment that refuses its `refuseAt`-th step (as an environment refuses an action
/// outside its space), to check that training reports it as a ``TrainingError``.
final class RefusingVectorEnvironment: VectorizedEnvironment {
  let wrapped: VectorEnvironment
  let refuseAt: Int
  private(set) var steps = 0
  init(_ wrapped: VectorEnvironment, refuseAt: Int) {
    self.wrapped = wrapped
    self.refuseAt = refuseAt
  }
  var count: Int { wrapped.count }
  var environmentID: String { wrapped.environmentID }
  var observationSpace: Space { wrapped.observationSpace }
  var actionSpace: Space { wrapped.actionSpace }
  var observationSize: Int { wrapped.observationSize }
  var actionDimension: Int { wrapped.actionDimension }
  var observations: ObservationBuffer { wrapped.observations }
  var terminalObservations: ObservationBuffer { wrapped.terminalObservations }
  var rewards: [Float] { wrapped.rewards }
  var dones: [Bool] { wrapped.dones }
  var terminated: [Bool] { wrapped.terminated }
  var truncated: [Bool] { wrapped.truncated }
  var completedEpisodes: [EpisodeRecord] { wrapped.completedEpisodes }
  var monitor: EpisodeMonitor { wrapped.monitor }
  func reset() { wrapped.reset() }
  func step(_ actions: [Double]) throws(EnvironmentError) {
    steps += 1
    if steps == refuseAt {
      throw .invalidAction(environment: environmentID, action: [7], space: actionSpace)
    }
    try wrapped.step(actions)
  }
}

@Suite struct EnvironmentRefusalTests {
  /// An environment that refuses a step stops `learn` with ``TrainingError/environment(_:)``
  /// (not a crash), for each algorithm; the model keeps the parameters of its last update.
  @Test func aRefusedStepIsATrainingError() throws {
    let expected = TrainingError.environment(
      .invalidAction(environment: "CartPole-v1", action: [7], space: .discrete(n: 2)))
    let a2c = try A2C(
      environment: RefusingVectorEnvironment(try ModelFileFixtures.cartPole(count: 2, seed: 1), refuseAt: 12),
      configuration: A2CConfiguration(), seed: 1)
    #expect(throws: expected) { try a2c.learn(totalTimesteps: 200) }
    #expect(a2c.timesteps == 22 && a2c.history.count == 2)
    let acktr = try ACKTR(
      environment: RefusingVectorEnvironment(try ModelFileFixtures.cartPole(count: 2, seed: 1), refuseAt: 3),
      configuration: ACKTRConfiguration(), seed: 1)
    #expect(throws: expected) { try acktr.learn(totalTimesteps: 200) }
    let acer = try ACER(
      environment: RefusingVectorEnvironment(try ModelFileFixtures.cartPole(count: 2, seed: 1), refuseAt: 3),
      configuration: ACERConfiguration(), seed: 1)
    #expect(throws: expected) { try acer.learn(totalTimesteps: 200) }
  }
}

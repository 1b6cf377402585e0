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

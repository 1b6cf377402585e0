import ActorCritic
import Environments
import Foundation
import Randomness
import Testing

@Suite struct PersistenceTests {
  func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("acb-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
  }

  func trainedModel() throws -> (A2C, NormalizedVectorEnvironment) {
    let env = try NormalizedVectorEnvironment(
      wrapping: try VectorEnvironment(id: "Acrobot-v1", count: 4, seeds: SeedSequence(runSeed: 0)))
    var c = A2CConfiguration()
    c.entropyCoefficient = 0
    let model = try A2C(environment: env, configuration: c, seed: 5)
    try model.learn(totalTimesteps: 2_000)
    return (model, env)
  }

  @Test func saveLoadRoundTripsEverything() throws {
    let (model, env) = try trainedModel()
    let url = temporaryURL("roundtrip.acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    let fresh = try NormalizedVectorEnvironment(
      wrapping: try VectorEnvironment(id: "Acrobot-v1", count: 4, seeds: SeedSequence(runSeed: 0)))
    let loaded = try A2C.load(from: url, environment: fresh)
    #expect(loaded.parameters() == model.parameters())
    #expect(loaded.configuration == model.configuration)
    #expect(loaded.timesteps == model.timesteps)
    #expect(fresh.statistics == env.statistics)
    #expect(try loaded.optimizerState() == (try model.optimizerState()))
    let obs: [Float] = [1, 0, 1, 0, 0.1, -0.1]
    #expect(try loaded.predict(observation: obs, deterministic: true) == (try model.predict(observation: obs, deterministic: true)))
  }

  @Test func corruptTruncatedAndForeignFilesGetClearErrors() throws {
    let (model, _) = try trainedModel()
    let url = temporaryURL("corrupt.acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    try model.save(to: url)
    let bytes = try Data(contentsOf: url)

    var flipped = bytes
    flipped[flipped.count - 3] ^= 0xFF
    try flipped.write(to: url)
    #expect(throws: ModelFileError.self) { try A2C.load(from: url) }
    do { _ = try A2C.load(from: url) } catch let error as ModelFileError {
      guard case .checksumMismatch = error else { Issue.record("expected checksumMismatch, got \(error)"); return }
    }

    try bytes.prefix(bytes.count - 10).write(to: url)
    do { _ = try A2C.load(from: url); Issue.record("truncated file loaded") } catch let error as ModelFileError {
      guard case .truncated = error else { Issue.record("expected truncated, got \(error)"); return }
    }

    try Data("not a model".utf8).write(to: url)
    #expect(throws: ModelFileError.notAModelFile(path: url.path)) { try A2C.load(from: url) }

    try bytes.write(to: url)
    #expect(throws: ModelFileError.algorithmMismatch(file: "a2c", expected: "acktr")) { try ACKTR.load(from: url) }

    let missing = temporaryURL("missing.acbm")
    #expect(throws: ModelFileError.self) { try A2C.load(from: missing) }
  }

  @Test func loadParametersChecksNamesAndShapes() throws {
    let (model, _) = try trainedModel()
    var parameters = model.parameters()
    #expect(parameters.first?.name == "model/pi_fc0/w:0")
    #expect(parameters.map(\.name).contains("model/q/w:0"))
    parameters[0].values[0] += 1
    try model.loadParameters(parameters)
    #expect(model.parameters()[0].values[0] == parameters[0].values[0])
    #expect(throws: ModelFileError.missingParameters(["model/pi_fc0/w:0"])) {
      try model.loadParameters(Array(parameters.dropFirst()))
    }
    try model.loadParameters(Array(parameters.dropFirst()), exactMatch: false)
    var wrong = parameters
    wrong[0].shape = [1, 1]
    #expect(throws: ModelFileError.shapeMismatch(name: "model/pi_fc0/w:0", expected: [6, 64], found: [1, 1])) {
      try model.loadParameters(wrong)
    }
  }
}

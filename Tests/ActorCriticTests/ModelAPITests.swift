import ActorCritic
import Environments
import Foundation
import NeuralNetwork
import Randomness
import Testing
import _TestSupport

/// SB2's model API odds and ends: `set_env`/`get_env`, `set_random_seed`, `load` with
/// `custom_objects`, `get_parameter_list`, for all three algorithms.
@Suite struct ModelAPITests {
  static func make(_ algorithm: String, environment: (any VectorizedEnvironment)?, seed: UInt64 = 0) throws -> any ActorCriticModel {
    let spaces = (observation: try cartPole(count: 1).observationSpace, action: Space.discrete(n: 2))
    switch algorithm {
    case "a2c": return try A2C(environment: environment, observationSpace: spaces.observation, actionSpace: spaces.action, seed: seed)
    case "acktr": return try ACKTR(environment: environment, observationSpace: spaces.observation, actionSpace: spaces.action, seed: seed)
    default: return try ACER(environment: environment, observationSpace: spaces.observation, actionSpace: spaces.action, seed: seed)
    }
  }

  @Test(arguments: ["a2c", "acktr", "acer"])
  func setEnvironmentChecksTheSpaces(algorithm: String) throws {
    let model = try Self.make(algorithm, environment: nil)
    #expect(model.environment == nil)
    let env = try cartPole(count: 2)
    try model.setEnvironment(env)
    #expect(model.environment === env)
    let acrobot = try VectorEnvironment(id: "Acrobot-v1", count: 2, seeds: SeedSequence(runSeed: 0))
    #expect(
      throws: ConfigurationError.environmentMismatch(
        field: "observation space", model: "\(env.observationSpace)", environment: "\(acrobot.observationSpace)")
    ) { try model.setEnvironment(acrobot) }
    #expect(model.environment === env)  // a refused environment leaves the old one attached
  }

  @Test(arguments: ["a2c", "acktr", "acer"])
  func setRandomSeedRederivesEveryStream(algorithm: String) throws {
    // Same parameters (seed 0), streams reseeded to 7 then trained: as a model built with the
    // streams of seed 7 and the parameters of seed 0.
    func train(reseed: UInt64?) throws -> [NamedParameter] {
      let model = try Self.make(algorithm, environment: try cartPole(count: 2, seed: 5), seed: 0)
      _ = try model.predict(observation: [Float](repeating: 0.01, count: 4))  // draws from the prediction stream
      model.setRandomSeed(reseed)
      if let reseed { #expect(model.seed == reseed) }
      try model.learn(totalTimesteps: 1_000)
      return model.parameters()
    }
    let reseeded = try train(reseed: 7), again = try train(reseed: 7), other = try train(reseed: 8), untouched = try train(reseed: nil)
    #expect(reseeded == again)
    #expect(reseeded != other)
    #expect(reseeded != untouched)
    // Stochastic predictions follow the seed.
    let a = try Self.make(algorithm, environment: nil, seed: 1), b = try Self.make(algorithm, environment: nil, seed: 1)
    a.setRandomSeed(3)
    b.setRandomSeed(3)
    let obs = [Float](repeating: 0.02, count: 4 * 64)
    #expect(try a.predict(observation: obs) == b.predict(observation: obs))
  }

  @Test(arguments: ["a2c", "acktr", "acer"])
  func parameterListIsTheLiveParameters(algorithm: String) throws {
    let model = try Self.make(algorithm, environment: nil)
    #expect(model.parameterList.map(\.name) == model.parameters().map(\.name))
    let observation: [Float] = [0.1, -0.2, 0.03, 0.4]
    let before = try model.actionProbability(observation: observation)
    for p in model.parameterList where p.name == "model/pi/b:0" { p.value.elements = [5, -5] }
    #expect(try model.actionProbability(observation: observation) != before)
  }

  @Test func loadOverridesHyperparameters() throws {
    let url = TemporaryFiles.path("override").appendingPathExtension("acbm")
    let saved = try A2C(environment: try cartPole(count: 2))
    try saved.learn(totalTimesteps: 200)
    try saved.save(to: url)

    let loaded = try A2C.load(
      from: url, environment: try cartPole(count: 2), customObjects: ["learning_rate": .number(1e-4), "n_steps": .number(8)])
    #expect(loaded.configuration.learningRate == 1e-4 && loaded.configuration.stepsPerUpdate == 8)
    #expect(loaded.parameters() == saved.parameters())
    try loaded.learn(totalTimesteps: 160)
    #expect(loaded.history.count == 10)  // 160 / (2 envs · 8 steps)

    let keys = ["alpha", "ent_coef", "epsilon", "gamma", "learning_rate", "lr_schedule", "max_grad_norm", "momentum",
      "n_steps", "net_arch", "rmsprop_variant", "verbose", "vf_coef"]
    #expect(
      throws: ConfigurationError.invalidValue(
        field: "custom_objects", value: "learning_rat", allowed: "the saved hyperparameters: \(keys.joined(separator: ", "))")
    ) { try A2C.load(from: url, customObjects: ["learning_rat": .number(1)]) }
    #expect(throws: ConfigurationError.invalidValue(field: "learning_rate", value: "-1.0", allowed: "learning_rate ≥ 0")) {
      try A2C.load(from: url, customObjects: ["learning_rate": .number(-1)])
    }
    #expect(throws: ConfigurationError.self) { try A2C.load(from: url, customObjects: ["n_steps": .string("five")]) }
    #expect(throws: ConfigurationError.self) { try A2C.load(from: url, customObjects: ["lr_schedule": .string("cubic")]) }
  }

  @Test func loadOverridesWorkForACKTRAndACER() throws {
    let acktrURL = TemporaryFiles.path("override-acktr").appendingPathExtension("acbm")
    let acerURL = TemporaryFiles.path("override-acer").appendingPathExtension("acbm")
    try ACKTR(environment: try cartPole(count: 2)).save(to: acktrURL)
    try ACER(environment: try cartPole(count: 2)).save(to: acerURL)
    #expect(try ACKTR.load(from: acktrURL, customObjects: ["learning_rate": .number(0.5)]).configuration.learningRate == 0.5)
    #expect(try ACER.load(from: acerURL, customObjects: ["replay_ratio": .number(2)]).configuration.replayRatio == 2)
    #expect(throws: ConfigurationError.self) { try ACER.load(from: acerURL, customObjects: ["replay_ratio": .number(-1)]) }
  }
}

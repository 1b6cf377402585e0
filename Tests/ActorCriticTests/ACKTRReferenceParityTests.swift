import Environments
import Foundation
import LinearAlgebra
import Testing

@testable import ActorCritic

/// Replays ACKTR updates recorded from the reference implementation, stable-baselines 2.10.2
/// (`Tools/stable_baselines_reference.py fixture`), through our update and compares the
/// parameters after every update.
///
/// Each recorded update gives the batch stable-baselines fed its train op (observations, actions,
/// returns, rollout values), the learning rate, and the draws of its in-graph `tf.random_normal`
/// for the sampled value Fisher; the reference started from the recorded initial parameters. The
/// updates cover the cold start (1–9), the two overlapping updates 10 and 11 (cold and K-FAC
/// steps) and K-FAC steps from 12 on.
@Suite struct ACKTRReferenceParityTests {
  @Test(arguments: ["Pendulum-v1", "CartPole-v1"])
  func updatesMatchStableBaselines(environment id: String) throws {
    let fixture = try ReferenceFixture.load(environment: id)
    let env = try EnvironmentRegistry.make(id)
    let model = try ACKTR(
      environment: nil, observationSpace: env.observationSpace, actionSpace: env.actionSpace,
      configuration: fixture.configuration(), seed: 0)
    try model.loadParameters(fixture.initialParameters)
    let observationSize = env.observationSpace.flatDimension
    let actionDimension = env.actionSpace.actionDimension
    #expect(fixture.updates.map(\.update) == Array(1...16))

    for record in fixture.updates {
      let observations = try record.floats(\.observations)
      let batch = observations.count / observationSize
      let returns = try record.floats(\.returns), values = try record.floats(\.values)
      var advantages = zip(returns, values).map { $0 - $1 }
      if case .box = env.actionSpace { normalize(&advantages) }
      let metrics = try model.applyUpdate(
        observations: Matrix(rows: batch, columns: observationSize, elements: observations),
        actions: Matrix(rows: batch, columns: actionDimension, elements: try record.floats(\.actions)),
        returns: returns, advantages: advantages, fisherNoise: try record.floats(\.fisherNoise),
        rolloutValues: values, learningRate: record.learningRate, update: record.update)

      // The losses are evaluated before the step, on the same parameters.
      #expect(isClose(metrics.policyLoss, record.policyLoss, relative: 1e-4, absolute: 1e-6), "update \(record.update)")
      #expect(isClose(metrics.valueLoss, record.valueLoss, relative: 1e-5), "update \(record.update)")
      #expect(isClose(metrics.entropy, record.entropy, relative: 1e-5), "update \(record.update)")

      // The optimiser's counters: cold steps 1–11, first decomposition and K-FAC step at update 10.
      #expect(model.optimizer.coldStep == record.sgdStep, "update \(record.update)")
      #expect(model.optimizer.statisticsStep == record.statsStep, "update \(record.update)")
      #expect(model.optimizer.factorStep == record.factorStep, "update \(record.update)")
      if record.factorStep > 0 {
        let vFv = try #require(metrics.extras["vFv"], "update \(record.update): no K-FAC step")
        #expect(isClose(vFv, record.vFv, relative: 1e-4), "update \(record.update)")
      }

      // Every parameter, to 1e-4 of the tensor's largest magnitude (at least 1).
      let reference = try record.parameters()
      let ours = model.parameters()
      #expect(Set(ours.map(\.name)) == Set(reference.keys))
      var worst = (name: "", error: 0.0)
      for p in ours {
        let expected = try #require(reference[p.name])
        try #require(expected.count == p.values.count, "\(p.name)")
        let scale = max(1, expected.map { Double(abs($0)) }.max() ?? 0)
        let error = zip(p.values, expected).map { Double(abs($0 - $1)) }.max() ?? 0
        if error / scale > worst.error { worst = (p.name, error / scale) }
      }
      #expect(worst.error < 1e-4, "update \(record.update): \(worst.name) differs by \(worst.error)")
    }
  }
}

private func isClose(_ a: Double, _ b: Double, relative: Double, absolute: Double = 0) -> Bool {
  abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// `Tests/ActorCriticTests/Fixtures/acktr-reference-<env>.json`.
private struct ReferenceFixture: Decodable {
  struct Hyperparameters: Decodable {
    var gamma: Double
    var n_steps: Int
    var ent_coef: Double
    var vf_coef: Double
    var vf_fisher_coef: Double
    var learning_rate: Double
    var max_grad_norm: Double
    var kfac_clip: Double
    var kfac_update: Int
    var async_eigen_decomp: Bool
  }

  struct Update: Decodable {
    var update: Int
    var learningRate: Double
    var observations: String
    var actions: String
    var returns: String
    var values: String
    var fisherNoise: String
    var policyLoss: Double
    var valueLoss: Double
    var entropy: Double
    var vFv: Double
    var sgdStep: Int
    var statsStep: Int
    var factorStep: Int
    var parameterValues: [String: String]

    enum CodingKeys: String, CodingKey {
      case update, observations, actions, returns, values, entropy, vFv
      case learningRate = "learning_rate", fisherNoise = "fisher_noise", policyLoss = "policy_loss"
      case valueLoss = "value_loss", parameterValues = "parameters", sgdStep = "sgd_step"
      case statsStep = "stats_step", factorStep = "factor_step"
    }

    func floats(_ field: KeyPath<Update, String>) throws -> [Float] { try decodeFloats(self[keyPath: field]) }

    func parameters() throws -> [String: [Float]] { try parameterValues.mapValues(decodeFloats) }
  }

  var hyperparameters: Hyperparameters
  var parameterShapes: [String: [Int]]
  var initialParameterValues: [String: String]
  var updates: [Update]

  enum CodingKeys: String, CodingKey {
    case hyperparameters, updates
    case parameterShapes = "parameter_shapes", initialParameterValues = "initial_parameters"
  }

  static func load(environment: String) throws -> ReferenceFixture {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/acktr-reference-\(environment).json")
    return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
  }

  func configuration() -> ACKTRConfiguration {
    var c = ACKTRConfiguration()
    c.discount = hyperparameters.gamma
    c.stepsPerUpdate = hyperparameters.n_steps
    c.entropyCoefficient = hyperparameters.ent_coef
    c.valueCoefficient = hyperparameters.vf_coef
    c.valueFisherCoefficient = hyperparameters.vf_fisher_coef
    c.learningRate = hyperparameters.learning_rate
    c.maxGradientNorm = hyperparameters.max_grad_norm
    c.kfacClip = hyperparameters.kfac_clip
    c.kfacUpdate = hyperparameters.kfac_update
    c.asyncEigenDecomposition = hyperparameters.async_eigen_decomp
    return c
  }

  var initialParameters: [NamedParameter] {
    get throws {
      try initialParameterValues.sorted { $0.key < $1.key }.map { name, encoded in
        NamedParameter(name: name, shape: parameterShapes[name] ?? [], values: try decodeFloats(encoded))
      }
    }
  }
}

private struct FixtureDecodingError: Error, CustomStringConvertible {
  var description: String
}

/// Little-endian float32, base64.
private func decodeFloats(_ base64: String) throws -> [Float] {
  guard let data = Data(base64Encoded: base64), data.count % 4 == 0 else {
    throw FixtureDecodingError(description: "not base64-encoded float32 data")
  }
  return data.withUnsafeBytes { raw in
    (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
  }
}

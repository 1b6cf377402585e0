import ActorCritic
import Environments
import Foundation
import LinearAlgebra
import Testing

/// `Tests/ActorCriticTests/Fixtures/<algorithm>-reference-<env>.json`: updates recorded from
/// stable-baselines 2.10.2 by `Tools/stable_baselines_reference.py fixture` (see the folder's
/// README). Float32 arrays are little-endian, base64-encoded.
struct ReferenceFixture: Decodable {
  /// One recorded update.
  struct Update: Decodable {
    var update: Int
    var learningRate: Double
    var observations: String
    var actions: String
    var entropy: Double
    var parameterValues: [String: String]
    // A2C and ACKTR.
    var returns: String?
    var values: String?
    var policyLoss: Double?
    var valueLoss: Double?
    // ACER only.
    var rewards: String?
    var dones: String?
    var behaviourProbabilities: String?
    var lossQ: Double?
    var lossF: Double?
    var lossBC: Double?
    // ACKTR only.
    var fisherNoise: String?
    var vFv: Double?
    var sgdStep: Int?
    var statsStep: Int?
    var factorStep: Int?
    // Recurrent policies: the rollout's initial state (A2C, ACKTR) and masks.
    var states: String?
    var masks: String?

    enum CodingKeys: String, CodingKey {
      case update, observations, actions, returns, values, entropy, vFv, rewards, dones, states, masks
      case learningRate = "learning_rate", fisherNoise = "fisher_noise", policyLoss = "policy_loss"
      case valueLoss = "value_loss", parameterValues = "parameters", sgdStep = "sgd_step"
      case statsStep = "stats_step", factorStep = "factor_step", behaviourProbabilities = "behaviour_probabilities"
      case lossQ = "loss_q", lossF = "loss_f", lossBC = "loss_bc"
    }

    func floats(_ field: KeyPath<Update, String>) throws -> [Float] { try decodeFloats(self[keyPath: field]) }

    /// An optional array field; throws when it is missing.
    func floats(_ field: KeyPath<Update, String?>, _ name: String) throws -> [Float] {
      guard let encoded = self[keyPath: field] else {
        throw FixtureDecodingError(description: "update \(update) has no \(name)")
      }
      return try decodeFloats(encoded)
    }

    func parameters() throws -> [String: [Float]] { try parameterValues.mapValues(decodeFloats) }

    /// An ACER step's segment (`E·(T+1)` float32 observations, actions, rewards, dones, μ, and for
    /// a recurrent policy the masks) as the batch ``ACER/trainStep(_:learningRate:)`` takes.
    func acerBatch(steps: Int, observationWidth width: Int, actionCount: Int, stateCount: Int = 0) throws -> ACERBatch {
      let actions = try floats(\.actions)
      let environments = actions.count / steps
      let batch = ACERBatch(
        environmentCount: environments, steps: steps, observationWidth: width, actionCount: actionCount,
        stateCount: stateCount)
      let recorded = try floats(\.observations)
      guard recorded.count == environments * (steps + 1) * width else {
        throw FixtureDecodingError(description: "update \(update) has \(recorded.count) observation values")
      }
      let raw = batch.observations.typedElements(as: Float.self)
      for i in recorded.indices { raw[i] = recorded[i] }
      batch.actions = actions.map { Int32($0) }
      batch.rewards = try floats(\.rewards, "rewards")
      batch.dones = try floats(\.dones, "dones").map { $0 != 0 }
      batch.behaviourProbabilities = try floats(\.behaviourProbabilities, "behaviour_probabilities")
      if stateCount > 0 { batch.masks = try floats(\.masks, "masks") }
      return batch
    }

    /// The batch as matrices for an environment's spaces.
    func batch(for env: any Environment) throws -> (observations: Matrix, actions: Matrix, returns: [Float], values: [Float]) {
      let observations = try floats(\.observations)
      let size = env.observationSpace.flatDimension
      let rows = observations.count / size
      return (
        Matrix(rows: rows, columns: size, elements: observations),
        Matrix(rows: rows, columns: env.actionSpace.actionDimension, elements: try floats(\.actions)),
        try floats(\.returns, "returns"), try floats(\.values, "values")
      )
    }
  }

  var hyperparameters: [String: JSONValue]
  var parameterShapes: [String: [Int]]
  var initialParameterValues: [String: String]
  var updates: [Update]
  /// Recurrent policies: SB2's policy name and `n_lstm`.
  var policy: String?
  var lstmUnits: Int?

  enum CodingKeys: String, CodingKey {
    case hyperparameters, updates, policy
    case lstmUnits = "n_lstm"
    case parameterShapes = "parameter_shapes", initialParameterValues = "initial_parameters"
  }

  static func load(_ algorithm: String, environment: String) throws -> ReferenceFixture {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/\(algorithm)-reference-\(environment).json")
    return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
  }

  /// A numeric hyperparameter.
  func number(_ name: String) throws -> Double {
    guard case .number(let x) = hyperparameters[name] else {
      throw FixtureDecodingError(description: "hyperparameter \(name) is missing or not a number")
    }
    return x
  }

  /// A boolean hyperparameter.
  func flag(_ name: String) throws -> Bool {
    guard case .bool(let x) = hyperparameters[name] else {
      throw FixtureDecodingError(description: "hyperparameter \(name) is missing or not a flag")
    }
    return x
  }

  /// The initial parameters by name.
  var initialValues: [String: [Float]] {
    get throws { try initialParameterValues.mapValues(decodeFloats) }
  }

  var initialParameters: [NamedParameter] {
    get throws {
      try initialParameterValues.sorted { $0.key < $1.key }.map { name, encoded in
        NamedParameter(name: name, shape: parameterShapes[name] ?? [], values: try decodeFloats(encoded))
      }
    }
  }
}

struct FixtureDecodingError: Error, CustomStringConvertible {
  var description: String
}

/// `|a − b| ≤ max(absolute, relative · max(|a|, |b|))`.
func isClose(_ a: Double, _ b: Double, relative: Double, absolute: Double = 0) -> Bool {
  abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
}

/// Compares every parameter of a model with a recorded update's, as displacements from the initial
/// parameters: for each tensor, `max |θ_ours − θ_ref|` must stay within `tolerance` of the
/// reference's largest displacement `max |θ_ref − θ_0|`, plus 8 float32 ulps of its largest
/// weight (the rounding of θ itself). So a step that is a few per cent off fails even when the
/// steps are small next to the weights.
/// - Returns: the worst `error / allowed` ratio (< 1 passes), for reporting.
@discardableResult
func expectParametersMatch(
  _ ours: [NamedParameter], _ record: ReferenceFixture.Update, initial: [String: [Float]], tolerance: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) throws -> Double {
  let reference = try record.parameters()
  #expect(Set(ours.map(\.name)) == Set(reference.keys), sourceLocation: sourceLocation)
  var worst = (name: "", error: 0.0)
  for p in ours {
    let expected = try #require(reference[p.name], sourceLocation: sourceLocation)
    let start = try #require(initial[p.name], sourceLocation: sourceLocation)
    try #require(
      expected.count == p.values.count && start.count == p.values.count, "\(p.name)", sourceLocation: sourceLocation)
    let moved = zip(expected, start).map { Double(abs($0 - $1)) }.max() ?? 0
    let largest = expected.map { Double(abs($0)) }.max() ?? 0
    let allowed = tolerance * moved + 8 * Double(Float.ulpOfOne) * largest
    let error = zip(p.values, expected).map { Double(abs($0 - $1)) }.max() ?? 0
    let ratio = allowed > 0 ? error / allowed : (error == 0 ? 0 : .infinity)
    if ratio > worst.error { worst = (p.name, ratio) }
  }
  #expect(
    worst.error < 1,
    "update \(record.update): \(worst.name) is off by \(worst.error) × what is allowed",
    sourceLocation: sourceLocation)
  return worst.error
}

/// Little-endian float32, base64.
func decodeFloats(_ base64: String) throws -> [Float] {
  guard let data = Data(base64Encoded: base64), data.count % 4 == 0 else {
    throw FixtureDecodingError(description: "not base64-encoded float32 data")
  }
  return data.withUnsafeBytes { raw in
    (0..<(data.count / 4)).map {
      Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
    }
  }
}

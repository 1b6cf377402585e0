import Environments
import Foundation
import LinearAlgebra
import Testing

@testable import ActorCritic

/// Replays A2C, ACKTR and ACER updates of stable-baselines 2.10.2's `CnnPolicy` (nature_cnn) on
/// 84×84×4 uint8 observations, recorded by `Tools/stable_baselines_reference.py fixture --policy cnn`
/// (see the fixtures' README), through ``A2C/applyUpdate``, ``ACKTR/applyUpdate`` and
/// ``ACER/trainStep(_:learningRate:)``, to the tolerances of the MlpPolicy parity tests.
///
/// nature_cnn has ≈1.7M parameters, so the fixtures store neither the observations nor the
/// initial parameters: both come from formulas this file shares with the generator
/// (``PixelReferenceFixture/observation(t:environment:into:)``,
/// ``PixelReferenceFixture/initialParameters``). After every update they record, per tensor, a
/// fixed digest of elements (all of every tensor up to 4096 elements, a strided ≈2048 of the
/// conv kernels and of fc1), `max |θ − θ₀|`, `max |θ|` and `‖θ − θ₀‖₂`; and every tensor but
/// fc1's kernel in full after the last update (ACKTR also after update 10, its first K-FAC step).
@Suite struct CNNReferenceParityTests {
  @Test func a2cUpdatesMatchStableBaselines() throws {
    let fixture = try PixelReferenceFixture.load("a2c")
    var configuration = try A2CConfiguration(recordedIn: fixture)
    configuration.networkArchitecture = .natureCNN
    let model = try A2C(
      environment: nil, observationSpace: fixture.observationSpace, actionSpace: fixture.actionSpace,
      configuration: configuration, seed: 0)
    let initial = try fixture.initialParameters
    try model.loadParameters(fixture.namedParameters(initial))
    #expect(fixture.updates.map(\.update) == Array(1...16))

    let steps = configuration.stepsPerUpdate
    var inputs = Matrix(rows: 0, columns: 0)
    var worst = PixelReferenceFixture.Worst()
    for record in fixture.updates {
      if fixture.parametersResetEachUpdate { try model.loadParameters(fixture.namedParameters(initial)) }
      model.policy.preprocess(fixture.observations(update: record.update, steps: steps, perEnvironment: steps), into: &inputs)
      let batch = try OnPolicyRecord(record)
      let metrics = model.applyUpdate(
        observations: inputs, actions: batch.actions, returns: batch.returns, advantages: batch.advantages,
        rolloutValues: batch.values, learningRate: record.learningRate, update: record.update)

      try worst.losses(metrics, record)
      try worst.parameters(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
    print("CNN A2C parity, worst error / allowed: \(worst)")
  }

  @Test func acktrUpdatesMatchStableBaselines() throws {
    let fixture = try PixelReferenceFixture.load("acktr")
    var configuration = try ACKTRConfiguration(recordedIn: fixture)
    configuration.networkArchitecture = .natureCNN
    let model = try ACKTR(
      environment: nil, observationSpace: fixture.observationSpace, actionSpace: fixture.actionSpace,
      configuration: configuration, seed: 0)
    let initial = try fixture.initialParameters
    try model.loadParameters(fixture.namedParameters(initial))
    #expect(fixture.updates.map(\.update) == Array(1...16))

    let steps = configuration.stepsPerUpdate
    var inputs = Matrix(rows: 0, columns: 0)
    var worst = PixelReferenceFixture.Worst()
    for record in fixture.updates {
      if fixture.parametersResetEachUpdate { try model.loadParameters(fixture.namedParameters(initial)) }
      model.policy.preprocess(fixture.observations(update: record.update, steps: steps, perEnvironment: steps), into: &inputs)
      let batch = try OnPolicyRecord(record)
      let metrics = try model.applyUpdate(
        observations: inputs, actions: batch.actions, returns: batch.returns, advantages: batch.advantages,
        fisherNoise: try record.floats(\.fisherNoise, "fisher_noise"), rolloutValues: batch.values,
        learningRate: record.learningRate, update: record.update)

      try worst.losses(metrics, record)
      #expect(model.optimizer.coldStep == record.sgdStep, "update \(record.update)")
      #expect(model.optimizer.statisticsStep == record.statsStep, "update \(record.update)")
      #expect(model.optimizer.factorStep == record.factorStep, "update \(record.update)")
      if let factorStep = record.factorStep, factorStep > 0 {
        let vFv = try #require(metrics.extras["vFv"], "update \(record.update): no K-FAC step")
        worst.loss(vFv, try #require(record.vFv), relative: 1e-4, record, name: "vFv")
      }
      try worst.parameters(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
    #expect(fixture.updates.contains { ($0.factorStep ?? 0) > 0 }, "the fixture has no K-FAC step")
    print("CNN ACKTR parity, worst error / allowed: \(worst)")
  }

  @Test func acerTrainStepsMatchStableBaselines() throws {
    let fixture = try PixelReferenceFixture.load("acer")
    var configuration = try ACERConfiguration(recordedIn: fixture)
    configuration.networkArchitecture = .natureCNN
    let model = try ACER(
      environment: nil, observationSpace: fixture.observationSpace, actionSpace: fixture.actionSpace,
      configuration: configuration, seed: 0)
    let initial = try fixture.initialParameters
    try model.loadParameters(fixture.namedParameters(initial))
    // The reference's average network starts from the same initial parameters (the generator sets
    // its ExponentialMovingAverage shadows).
    model.averagePolicy.state = ACERAveragePolicy.policyPath(of: model.policy.network).map(\.value.elements)
    #expect(fixture.updates.map(\.update) == Array(1...16))

    let steps = configuration.stepsPerUpdate
    var worst = PixelReferenceFixture.Worst()
    for record in fixture.updates {
      if fixture.parametersResetEachUpdate { try model.loadParameters(fixture.namedParameters(initial)) }
      let actions = try record.floats(\.actions)
      let batch = ACERBatch(
        environmentCount: fixture.nEnvs, steps: steps, observationSpace: fixture.observationSpace,
        actionCount: fixture.actionCount)
      try #require(actions.count == fixture.nEnvs * steps)
      fixture.fillObservations(batch.observations, update: record.update, steps: steps, perEnvironment: steps + 1)
      // SB2's ACER runner starts image spaces from all-zero observations: `_Runner.__init__` replaces
      // what `AbstractEnvRunner` stored from `env.reset()` with `np.zeros` (the generator checks it).
      if record.update == 1 {
        for env in 0..<fixture.nEnvs { batch.observations.zeroObservation(env * (steps + 1)) }
      }
      batch.actions = actions.map { Int32($0) }
      batch.rewards = try record.floats(\.rewards, "rewards")
      batch.dones = try record.floats(\.dones, "dones").map { $0 != 0 }
      batch.behaviourProbabilities = try record.floats(\.behaviourProbabilities, "behaviour_probabilities")
      let result = model.trainStep(batch, learningRate: record.learningRate)

      let terms = result.terms
      worst.loss(terms.qLoss, try #require(record.lossQ), relative: 1e-5, record, name: "loss_q")
      worst.loss(terms.truncatedLoss, try #require(record.lossF), relative: 1e-4, absolute: 1e-6, record, name: "loss_f")
      worst.loss(terms.biasCorrectionLoss, try #require(record.lossBC), relative: 1e-4, absolute: 1e-6, record, name: "loss_bc")
      // SB2 logs Σ H over all E·(T+1) rows, ours the mean over E·T (see ACERReferenceParityTests).
      #expect(record.entropy > 0 && terms.entropy > 0)
      try worst.parameters(model.parameters(), record, initial: initial, tolerance: 1e-3)
    }
    print("CNN ACER parity, worst error / allowed: \(worst)")
  }
}

/// `Tests/ActorCriticTests/Fixtures/<algorithm>-reference-CnnPolicy-pixels.json`.
struct PixelReferenceFixture: Decodable {
  /// One tensor after an update.
  struct Tensor: Decodable {
    /// `max |θ − θ₀|`.
    var moved: Double
    /// `max |θ|`.
    var largest: Double
    /// `‖θ − θ₀‖₂`.
    var norm: Double
    /// θ at ``PixelReferenceFixture/digestIndices(count:)``, float32 base64.
    var digest: String
  }

  struct Update: Decodable {
    var update: Int
    var learningRate: Double
    var actions: String
    var entropy: Double
    var tensors: [String: Tensor]
    /// Every tensor but fc1's kernel, after the updates the generator lists in `PIXEL_FULL_AT`.
    var parameters: [String: String]?
    var returns: String?
    var values: String?
    var policyLoss: Double?
    var valueLoss: Double?
    var rewards: String?
    var dones: String?
    var behaviourProbabilities: String?
    var lossQ: Double?
    var lossF: Double?
    var lossBC: Double?
    var fisherNoise: String?
    var vFv: Double?
    var sgdStep: Int?
    var statsStep: Int?
    var factorStep: Int?

    enum CodingKeys: String, CodingKey {
      case update, actions, returns, values, entropy, vFv, rewards, dones, tensors, parameters
      case learningRate = "learning_rate", fisherNoise = "fisher_noise", policyLoss = "policy_loss"
      case valueLoss = "value_loss", sgdStep = "sgd_step", statsStep = "stats_step", factorStep = "factor_step"
      case behaviourProbabilities = "behaviour_probabilities", lossQ = "loss_q", lossF = "loss_f", lossBC = "loss_bc"
    }

    func floats(_ field: KeyPath<Update, String>) throws -> [Float] { try decodeFloats(self[keyPath: field]) }

    func floats(_ field: KeyPath<Update, String?>, _ name: String) throws -> [Float] {
      guard let encoded = self[keyPath: field] else {
        throw FixtureDecodingError(description: "update \(update) has no \(name)")
      }
      return try decodeFloats(encoded)
    }
  }

  var hyperparameters: [String: JSONValue]
  var nEnvs: Int
  var actionCount: Int
  var observationShape: [Int]
  /// SB2's `model.params` order; the initial-parameter formula is keyed by this index.
  var parameterNames: [String]
  var parameterShapes: [String: [Int]]
  var initialParameterScales: [String: Double]
  /// The reference's parameters were set back to θ₀ before every update (ACKTR; see the README).
  var parametersResetEachUpdate: Bool
  var updates: [Update]

  enum CodingKeys: String, CodingKey {
    case hyperparameters, updates
    case nEnvs = "n_envs", actionCount = "action_count", observationShape = "observation_shape"
    case parameterNames = "parameter_names", parameterShapes = "parameter_shapes"
    case initialParameterScales = "initial_parameter_scales"
    case parametersResetEachUpdate = "parameters_reset_each_update"
  }

  static func load(_ algorithm: String) throws -> PixelReferenceFixture {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/\(algorithm)-reference-CnnPolicy-pixels.json")
    return try JSONDecoder().decode(PixelReferenceFixture.self, from: Data(contentsOf: url))
  }

  func number(_ name: String) throws -> Double {
    guard case .number(let x) = hyperparameters[name] else {
      throw FixtureDecodingError(description: "hyperparameter \(name) is missing or not a number")
    }
    return x
  }

  func flag(_ name: String) throws -> Bool {
    guard case .bool(let x) = hyperparameters[name] else {
      throw FixtureDecodingError(description: "hyperparameter \(name) is missing or not a flag")
    }
    return x
  }

  var observationSpace: Space { .box(low: 0, high: 255, shape: observationShape, dtype: .uint8) }
  var actionSpace: Space { .discrete(n: actionCount) }
  var observationSize: Int { observationShape.reduce(1, *) }

  /// SplitMix64's output function (the generator's `splitmix64`).
  static func splitMix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Observation `t` of environment `environment` (the generator's `pixel_observation`): byte `k`
  /// (row-major h, w, c) is the top byte of splitmix64(2⁶⁰ + t·2³² + environment·2¹⁶ + k).
  func observation(t: Int, environment: Int, into out: UnsafeMutableBufferPointer<UInt8>) {
    let base = (UInt64(1) << 60) &+ (UInt64(t) << 32) &+ (UInt64(environment) << 16)
    for k in 0..<observationSize { out[k] = UInt8(Self.splitMix64(base &+ UInt64(k)) >> 56) }
  }

  /// The batch SB2's runner built for `update` (the generator's `pixel_batch`): row
  /// `env·perEnvironment + s` is observation `(update − 1)·steps + s` of `env`.
  func fillObservations(_ buffer: ObservationBuffer, update: Int, steps: Int, perEnvironment: Int) {
    precondition(buffer.count == nEnvs * perEnvironment && buffer.elementsPerObservation == observationSize)
    let raw = buffer.typedElements(as: UInt8.self)
    for env in 0..<nEnvs {
      for s in 0..<perEnvironment {
        let row = env * perEnvironment + s
        observation(
          t: (update - 1) * steps + s, environment: env,
          into: UnsafeMutableBufferPointer(rebasing: raw[(row * observationSize)..<((row + 1) * observationSize)]))
      }
    }
  }

  func observations(update: Int, steps: Int, perEnvironment: Int) -> ObservationBuffer {
    let buffer = ObservationBuffer(space: observationSpace, count: nEnvs * perEnvironment)
    fillObservations(buffer, update: update, steps: steps, perEnvironment: perEnvironment)
    return buffer
  }

  /// The initial parameters (the generator's `pixel_parameter`): element `k` of the `index`-th
  /// tensor is `Float(u·2⁻²³ − 1) · scale` with `u` the top 24 bits of
  /// splitmix64(2·2⁶⁰ + index·2³² + k).
  var initialParameters: [String: [Float]] {
    get throws {
      var result: [String: [Float]] = [:]
      for (index, name) in parameterNames.enumerated() {
        let shape = try #require(parameterShapes[name]), scale = Float(try #require(initialParameterScales[name]))
        let base = (UInt64(2) << 60) &+ (UInt64(index) << 32)
        result[name] = (0..<shape.reduce(1, *)).map { k in
          Float(Double(Self.splitMix64(base &+ UInt64(k)) >> 40) * 0x1p-23 - 1) * scale
        }
      }
      return result
    }
  }

  func namedParameters(_ values: [String: [Float]]) -> [NamedParameter] {
    parameterNames.map { NamedParameter(name: $0, shape: parameterShapes[$0] ?? [], values: values[$0] ?? []) }
  }

  /// The generator's `digest_indices`: all of a tensor of ≤ 4096 elements, else every `s`-th from
  /// 0 with `s = (n / 2048) | 1`.
  static func digestIndices(count n: Int) -> StrideTo<Int> {
    stride(from: 0, to: n, by: n <= 4096 ? 1 : (n / 2048) | 1)
  }

  /// The worst `error / allowed` ratios seen (< 1 passes), for the report.
  struct Worst: CustomStringConvertible {
    var element = (ratio: 0.0, at: "")
    var norm = (ratio: 0.0, at: "")
    var loss = (ratio: 0.0, at: "")

    /// `|ours − reference| ≤ max(absolute, relative · max(|ours|, |reference|))`.
    mutating func loss(
      _ ours: Double, _ reference: Double, relative: Double, absolute: Double = 0, _ record: Update,
      name: String = "loss", sourceLocation: SourceLocation = #_sourceLocation
    ) {
      let allowed = max(absolute, relative * max(abs(ours), abs(reference)))
      let ratio = allowed > 0 ? abs(ours - reference) / allowed : (ours == reference ? 0 : .infinity)
      if ratio > loss.ratio { loss = (ratio, "update \(record.update) \(name)") }
      #expect(ratio < 1, "update \(record.update): \(name) \(ours) vs SB2's \(reference)", sourceLocation: sourceLocation)
    }

    /// As ``expectParametersMatch(_:_:initial:tolerance:sourceLocation:)`` on the recorded
    /// elements: `|θ_ours − θ_ref| ≤ tolerance · max|θ_ref − θ₀| + 8 ulp · max|θ_ref|` (both maxima
    /// over the whole tensor, recorded); and the same bound on `|‖θ_ours − θ₀‖ − ‖θ_ref − θ₀‖|`
    /// with the displacement norm in place of the largest displacement, which sees every element.
    mutating func parameters(
      _ ours: [NamedParameter], _ record: Update, initial: [String: [Float]], tolerance: Double,
      sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
      #expect(Set(ours.map(\.name)) == Set(record.tensors.keys), sourceLocation: sourceLocation)
      let full = try (record.parameters ?? [:]).mapValues(decodeFloats)
      var worstHere = (element: (0.0, ""), norm: (0.0, ""))
      for p in ours {
        let tensor = try #require(record.tensors[p.name], sourceLocation: sourceLocation)
        let start = try #require(initial[p.name], sourceLocation: sourceLocation)
        let rounding = 8 * Double(Float.ulpOfOne) * tensor.largest
        let allowed = tolerance * tensor.moved + rounding
        var error = 0.0
        let digest = try decodeFloats(tensor.digest)
        let indices = Array(PixelReferenceFixture.digestIndices(count: p.values.count))
        try #require(digest.count == indices.count, "\(p.name): digest size", sourceLocation: sourceLocation)
        for (i, k) in indices.enumerated() { error = max(error, Double(abs(p.values[k] - digest[i]))) }
        if let expected = full[p.name] {
          try #require(expected.count == p.values.count, "\(p.name)", sourceLocation: sourceLocation)
          for k in expected.indices { error = max(error, Double(abs(p.values[k] - expected[k]))) }
        }
        let ratio = allowed > 0 ? error / allowed : (error == 0 ? 0 : .infinity)
        if ratio > worstHere.element.0 { worstHere.element = (ratio, p.name) }

        let norm = zip(p.values, start).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }.squareRoot()
        let normAllowed = tolerance * tensor.norm + rounding
        let normRatio = normAllowed > 0 ? abs(norm - tensor.norm) / normAllowed : (norm == tensor.norm ? 0 : .infinity)
        if ProcessInfo.processInfo.environment["PARITY_VERBOSE"] != nil {
          print("update \(record.update) \(p.name): element \(ratio) norm \(normRatio) moved \(tensor.moved) error \(error) norm \(tensor.norm) ours \(norm)")
        }
        if normRatio > worstHere.norm.0 { worstHere.norm = (normRatio, p.name) }
      }
      #expect(
        worstHere.element.0 < 1,
        "update \(record.update): \(worstHere.element.1) is off by \(worstHere.element.0) × what is allowed",
        sourceLocation: sourceLocation)
      #expect(
        worstHere.norm.0 < 1,
        "update \(record.update): ‖\(worstHere.norm.1) − θ₀‖ is off by \(worstHere.norm.0) × what is allowed",
        sourceLocation: sourceLocation)
      if worstHere.element.0 > element.ratio { element = (worstHere.element.0, "update \(record.update) \(worstHere.element.1)") }
      if worstHere.norm.0 > norm.ratio { norm = (worstHere.norm.0, "update \(record.update) \(worstHere.norm.1)") }
    }

    var description: String {
      func f(_ x: Double) -> String { String(format: "%.3g", x) }
      return "elements \(f(element.ratio)) (\(element.at)), norms \(f(norm.ratio)) (\(norm.at)), "
        + "losses \(f(loss.ratio)) (\(loss.at))"
    }
  }
}

/// One recorded on-policy batch (A2C, ACKTR): actions as a column, returns, rollout values and
/// the advantages `R − V` stable-baselines computed from them.
private struct OnPolicyRecord {
  var actions: Matrix
  var returns: [Float]
  var values: [Float]
  var advantages: [Float]

  init(_ record: PixelReferenceFixture.Update) throws {
    let actions = try record.floats(\.actions)
    self.actions = Matrix(rows: actions.count, columns: 1, elements: actions)
    returns = try record.floats(\.returns, "returns")
    values = try record.floats(\.values, "values")
    advantages = zip(returns, values).map { $0 - $1 }
  }
}

extension PixelReferenceFixture.Worst {
  /// The policy loss (1e-4 relative + 1e-6), value loss and entropy (1e-5) of an on-policy update.
  fileprivate mutating func losses(_ metrics: UpdateMetrics, _ record: PixelReferenceFixture.Update) throws {
    loss(metrics.policyLoss, try #require(record.policyLoss), relative: 1e-4, absolute: 1e-6, record)
    loss(metrics.valueLoss, try #require(record.valueLoss), relative: 1e-5, record)
    loss(metrics.entropy, record.entropy, relative: 1e-5, record)
  }
}

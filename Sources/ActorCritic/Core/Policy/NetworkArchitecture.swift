import NeuralNetwork

/// The layers of an actor–critic: a feature extractor (SB2 `feature_extraction`), then trunks as
/// stable-baselines' `net_arch`.
///
/// ```
/// features = extractor(preprocess(obs))          (flatten, or a CNN: SB2 CnnPolicy)
/// latent   = shared(features);  π ← pi(policy(latent));  V ← vf(value(latent))
/// ```
/// `net_arch = [s₁, …, s_k, dict(pi=[p₁, …], vf=[v₁, …])]`: `k` shared layers, then separate
/// policy and value layers. stable-baselines' `MlpPolicy` default is
/// `[dict(pi=[64, 64], vf=[64, 64])]`: **separate** 2×64 tanh trunks (algorithms.md §1.4).
/// OpenAI baselines' `mlp` is a shared 2×64 trunk: ``openAIBaselinesShared``.
public struct NetworkArchitecture: Codable, Sendable, Equatable {
  /// Widths of the shared layers (`model/shared_fc0`, …).
  public var shared: [Int]
  /// Widths of the policy-only layers (`model/pi_fc0`, …).
  public var policy: [Int]
  /// Widths of the value-only layers (`model/vf_fc0`, …).
  public var value: [Int]
  /// The hidden activation of the trunks (SB2 `act_fun`, default tanh).
  public var activation: Activation
  /// What the trunks read: the flat observation, or a CNN's features.
  public var featureExtractor: FeatureExtractor
  /// The LSTM between the shared layers and the heads (stable-baselines' `LstmPolicy`), or `nil`
  /// for a feed-forward network.
  public var recurrent: RecurrentCell?

  public init(
    shared: [Int] = [], policy: [Int], value: [Int], activation: Activation = .tanh,
    featureExtractor: FeatureExtractor = .flatten, recurrent: RecurrentCell? = nil
  ) {
    self.shared = shared
    self.policy = policy
    self.value = value
    self.activation = activation
    self.featureExtractor = featureExtractor
    self.recurrent = recurrent
  }

  /// stable-baselines 2 `MlpPolicy`: separate 64-64 tanh trunks for the policy and the value.
  public static let stableBaselines = NetworkArchitecture(policy: [64, 64], value: [64, 64])

  /// OpenAI baselines `mlp`: one shared 64-64 tanh trunk.
  public static let openAIBaselinesShared = NetworkArchitecture(shared: [64, 64], policy: [], value: [])

  /// stable-baselines 2 `CnnPolicy`: `nature_cnn` features shared by both heads, no trunks.
  public static let natureCNN = NetworkArchitecture(policy: [], value: [], featureExtractor: .natureCNN)
  /// The ACKTR paper's CNN (third convolution with 32 filters), otherwise as ``natureCNN``.
  public static let acktrPaperCNN = NetworkArchitecture(policy: [], value: [], featureExtractor: .acktrPaperCNN)
  /// MinAtar's small CNN (conv 16 3×3 → fc 128) for 10×10×C images.
  public static let minAtarCNN = NetworkArchitecture(policy: [], value: [], featureExtractor: .minAtarCNN)

  /// stable-baselines 2 `MlpLstmPolicy` (legacy `layers=[64, 64]`): 64-64 tanh layers (named
  /// `pi_fc0, pi_fc1`, read by both heads), an LSTM of 256 units, then the heads.
  public static let mlpLSTM = NetworkArchitecture(shared: [64, 64], policy: [], value: [], recurrent: RecurrentCell())
  /// stable-baselines 2 `MlpLnLstmPolicy`: ``mlpLSTM`` with the layer-normalised LSTM.
  public static let mlpLayerNormLSTM = NetworkArchitecture(
    shared: [64, 64], policy: [], value: [], recurrent: RecurrentCell(layerNormalized: true))
  /// stable-baselines 2 `CnnLstmPolicy`: `nature_cnn` features, an LSTM of 256 units, the heads.
  public static let cnnLSTM = NetworkArchitecture(
    policy: [], value: [], featureExtractor: .natureCNN, recurrent: RecurrentCell())
  /// stable-baselines 2 `CnnLnLstmPolicy`: ``cnnLSTM`` with the layer-normalised LSTM.
  public static let cnnLayerNormLSTM = NetworkArchitecture(
    policy: [], value: [], featureExtractor: .natureCNN, recurrent: RecurrentCell(layerNormalized: true))

  /// Whether the network carries a state between steps.
  public var isRecurrent: Bool { recurrent != nil }

  /// Whether Box observations are rescaled by their bounds before the network (SB2's `scale=True`,
  /// which only its CNN feature extraction sets).
  public var scalesObservations: Bool {
    if case .convolutional = featureExtractor { return true }
    return false
  }

  private enum CodingKeys: String, CodingKey { case shared, policy, value, activation, featureExtractor, recurrent }

  /// Reads the four MLP fields and, when present, the feature extractor (absent in every file
  /// written before CNN policies existed: `flatten`).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    shared = try c.decode([Int].self, forKey: .shared)
    policy = try c.decode([Int].self, forKey: .policy)
    value = try c.decode([Int].self, forKey: .value)
    activation = try c.decode(Activation.self, forKey: .activation)
    featureExtractor = try c.decodeIfPresent(FeatureExtractor.self, forKey: .featureExtractor) ?? .flatten
    recurrent = try c.decodeIfPresent(RecurrentCell.self, forKey: .recurrent)
  }

  /// Writes the feature extractor only when it is not `flatten` and the recurrent cell only when
  /// there is one, so feed-forward MLP configurations keep their bytes.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(shared, forKey: .shared)
    try c.encode(policy, forKey: .policy)
    try c.encode(value, forKey: .value)
    try c.encode(activation, forKey: .activation)
    if featureExtractor != .flatten { try c.encode(featureExtractor, forKey: .featureExtractor) }
    try c.encodeIfPresent(recurrent, forKey: .recurrent)
  }

  /// The most hidden layers a network may have (convolutions, shared, policy and value layers
  /// together): 64. Deeper networks are refused before anything is built.
  public static let maximumLayerCount = 64
  /// The most parameters a network may have, 2²⁸ (1 GiB of `Float32`; nature_cnn has 1.7 · 10⁶):
  /// larger networks are refused before anything is allocated.
  public static let maximumParameterCount = 1 << 28

  /// Checks that every width is in `1...maximumParameterCount`, that there are at most
  /// ``maximumLayerCount`` layers, the CNN's sizes, and for a recurrent network its width and that
  /// the heads read the LSTM directly (stable-baselines' legacy `LstmPolicy` layout).
  public func validate() throws(ConfigurationError) {
    if let recurrent {
      try recurrent.validate()
      guard policy.isEmpty, value.isEmpty else {
        throw .invalidValue(
          field: "netArch", value: "policy \(policy.prefix(8)), value \(value.prefix(8)) with an LSTM",
          allowed: "no policy or value layers after the LSTM (SB2 LstmPolicy: shared layers, lstm, heads)")
      }
    }
    var layers = shared.count + policy.count + value.count
    if case .convolutional(let features) = featureExtractor {
      try features.validate()
      layers += features.convolutions.count + 1
    }
    guard layers <= Self.maximumLayerCount else {
      throw .invalidValue(
        field: "netArch", value: "\(layers) layers", allowed: "at most \(Self.maximumLayerCount) layers (maximumLayerCount)")
    }
    for (field, widths) in [("shared", shared), ("policy", policy), ("value", value)] {
      if let bad = widths.first(where: { $0 <= 0 || $0 > Self.maximumParameterCount }) {
        throw .invalidValue(
          field: "netArch.\(field)", value: "\(bad)", allowed: "layer widths in 1...\(Self.maximumParameterCount) (maximumParameterCount)")
      }
    }
  }

  /// Parameters of the trunks and heads on `inputs` features with `outputs` policy outputs
  /// (plus `extraParameters`, e.g. a Gaussian's log-std): Σ (fan-in + 1) · width, or `nil` when
  /// the count overflows `Int`.
  func trunkParameterCount(inputs: Int, outputs: Int, extraParameters: Int) -> Int? {
    var total = extraParameters
    func add(_ fanIn: Int, _ width: Int) -> Bool {
      let (a, o1) = fanIn.addingReportingOverflow(1)
      let (m, o2) = a.multipliedReportingOverflow(by: width)
      let (t, o3) = total.addingReportingOverflow(m)
      total = t
      return !(o1 || o2 || o3)
    }
    var latent = inputs
    for w in shared {
      guard add(latent, w) else { return nil }
      latent = w
    }
    var p = latent
    for w in policy {
      guard add(p, w) else { return nil }
      p = w
    }
    var v = latent
    for w in value {
      guard add(v, w) else { return nil }
      v = w
    }
    if let recurrent {
      // W_x [latent, 4n] with b, W_h [n, 4n], the layer norms' 6n gains and biases.
      let (gates, o1) = recurrent.units.multipliedReportingOverflow(by: 4)
      guard !o1, add(latent, gates), add(recurrent.units - 1, gates) else { return nil }
      let (norms, o2) = total.addingReportingOverflow(recurrent.layerNormalized ? 6 * recurrent.units : 0)
      guard !o2 else { return nil }
      total = norms
      p = recurrent.units
      v = recurrent.units
    }
    // Heads: π (outputs), V (1) and ACER's Q (outputs).
    guard add(p, outputs), add(v, 1), add(v, outputs) else { return nil }
    return total
  }
}

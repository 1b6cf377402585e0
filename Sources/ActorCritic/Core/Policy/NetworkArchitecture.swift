import NeuralNetwork

/// The layers of an MLP actor–critic, as stable-baselines' `net_arch`.
///
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
  /// The hidden activation (SB2 `act_fun`, default tanh).
  public var activation: Activation

  public init(shared: [Int] = [], policy: [Int], value: [Int], activation: Activation = .tanh) {
    self.shared = shared
    self.policy = policy
    self.value = value
    self.activation = activation
  }

  /// stable-baselines 2 `MlpPolicy`: separate 64-64 tanh trunks for the policy and the value.
  public static let stableBaselines = NetworkArchitecture(policy: [64, 64], value: [64, 64])

  /// OpenAI baselines `mlp`: one shared 64-64 tanh trunk.
  public static let openAIBaselinesShared = NetworkArchitecture(shared: [64, 64], policy: [], value: [])

  /// Whether Box observations are rescaled by their bounds before the network (SB2's `scale=True`,
  /// which only its CNN feature extractors set).
  public var scalesObservations: Bool { false }

  /// Checks that every width is positive.
  public func validate() throws(ConfigurationError) {
    for (field, widths) in [("shared", shared), ("policy", policy), ("value", value)] {
      if let bad = widths.first(where: { $0 <= 0 }) {
        throw .invalidValue(field: "netArch.\(field)", value: "\(bad)", allowed: "layer widths ≥ 1")
      }
    }
  }
}

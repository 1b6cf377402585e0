import LinearAlgebra

/// The recurrent layer of stable-baselines' `LstmPolicy` (`common/policies.py`): an LSTM of
/// `n_lstm` units, plain (`MlpLstmPolicy`, `CnnLstmPolicy`) or layer-normalised
/// (`MlpLnLstmPolicy`, `CnnLnLstmPolicy`), between the features and the heads.
///
/// ```
/// features = extractor(obs)   (MLP: 64-64 tanh `pi_fc0, pi_fc1`; CNN: nature_cnn)
/// latent   = lstm1(features, state, masks)    π ← pi(latent)   V ← vf(latent)   Q ← q(latent)
/// ```
public struct RecurrentCell: Codable, Sendable, Equatable {
  /// `n_lstm`, the cell width (stable-baselines default 256); the state is `2·units` per environment.
  public var units: Int
  /// Whether the LSTM is layer-normalised (`layer_norm=True`).
  public var layerNormalized: Bool

  public init(units: Int = 256, layerNormalized: Bool = false) {
    self.units = units
    self.layerNormalized = layerNormalized
  }

  /// The largest `n_lstm`, 16384 (an `[n, 4n]` recurrent weight of 2³⁰ values).
  public static let maximumUnits = 16_384

  /// Checks the width.
  public func validate() throws(ConfigurationError) {
    guard units >= 1, units <= Self.maximumUnits else {
      throw .invalidValue(field: "n_lstm", value: "\(units)", allowed: "an integer in 1...\(Self.maximumUnits)")
    }
  }
}

/// What a recurrent network's forward pass unrolls: `T` steps of `E` sequences (env-major rows
/// `e·T + t`, stable-baselines' `batch_to_seq`), their initial states and the masks that reset
/// them (`dones_ph`: 1 where an episode began at that step).
public struct RecurrentSequence: Sendable {
  /// `[E, 2n]`, `[c, h]` per environment (SB2 `states_ph`).
  public var initialState: Matrix
  /// `E·T` values, env-major (SB2 `dones_ph`, the previous step's dones).
  public var masks: [Float]
  /// `T`.
  public var steps: Int

  public init(initialState: Matrix, masks: [Float], steps: Int) {
    self.initialState = initialState
    self.masks = masks
    self.steps = steps
  }

  /// One step of `count` sequences from the zero state without resets: what stable-baselines'
  /// `predict` feeds when no state is given (`initial_state`, masks `False`).
  public static func fresh(count: Int, stateWidth: Int) -> RecurrentSequence {
    RecurrentSequence(
      initialState: Matrix(rows: count, columns: stateWidth), masks: [Float](repeating: 0, count: count), steps: 1)
  }
}

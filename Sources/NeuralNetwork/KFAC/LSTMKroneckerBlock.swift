import LinearAlgebra

/// The K-FAC block of an ``LSTM`` as stable-baselines' graph search registers it
/// (pixels-and-bridge.md §3, algorithms.md §3.3): each weight matrix is used once per unrolled
/// step, and the reference concatenates the factors of the `T` uses along the batch ("assuming
/// independence"), so with `B = E·T` stacked rows
/// ```
/// W_x: A = (1/B) Σ x xᵀ        G = B·ds_xᵀds_x     (ds_x = ∂joint/∂(x·W_x))
/// W_h: A = (1/B) Σ h̃ h̃ᵀ        G = B·ds_hᵀds_h     (h̃ the masked previous hidden state)
/// b:   G-only, B·dsᵀds                          (added with a plain `+`, like a dense bias)
/// ```
/// For the plain cell `ds_x = ds_h = ds`. The layer-norm gains and biases of the normalised cell
/// are not registered: they are stepped with their plain gradient (still scaled by the trust
/// region).
/// // Deviation: stable-baselines' graph search treats the layer-norm `Mul`/`Add` ops as unknown
/// // ops whose factor tensors it guesses from the gradient graph; the recurrent LN-ACKTR of SB2
/// // and OpenAI baselines is reported to crash (SB2 #387, OAB #660), so there is no reference
/// // behaviour to follow for them.
public final class LSTMKroneckerBlock: KroneckerFactoredBlock {
  /// The layer.
  public let layer: LSTM
  /// `A` and `G` of `W_x`, `A` and `G` of `W_h`, `G` of `b`.
  public let factors: [KroneckerFactor]
  /// `W_x` (`A ⊗ G`), `W_h` (`A ⊗ G`) and `b` (G-only).
  public let factoredParameters: [KroneckerFactoredParameter]

  /// Creates the block for `layer`.
  public init(layer: LSTM) {
    self.layer = layer
    let g4 = 4 * layer.unitCount
    let inputActivation = KroneckerFactor(
      parameterName: layer.inputWeight.name, role: .activation, dimension: layer.inputCount)
    let inputGradient = KroneckerFactor(parameterName: layer.inputWeight.name, role: .outputGradient, dimension: g4)
    let hiddenActivation = KroneckerFactor(
      parameterName: layer.hiddenWeight.name, role: .activation, dimension: layer.unitCount)
    let hiddenGradient = KroneckerFactor(parameterName: layer.hiddenWeight.name, role: .outputGradient, dimension: g4)
    let biasGradient = KroneckerFactor(parameterName: layer.bias.name, role: .outputGradient, dimension: g4)
    factors = [inputActivation, inputGradient, hiddenActivation, hiddenGradient, biasGradient]
    factoredParameters = [
      KroneckerFactoredParameter(parameter: layer.inputWeight, rowFactor: inputActivation, columnFactor: inputGradient),
      KroneckerFactoredParameter(parameter: layer.hiddenWeight, rowFactor: hiddenActivation, columnFactor: hiddenGradient),
      KroneckerFactoredParameter(parameter: layer.bias, rowFactor: nil, columnFactor: biasGradient),
    ]
  }

  /// Reads the stacked inputs, masked hidden states and gate gradients of the last sampled-Fisher
  /// backward pass and sets the batch covariances.
  public func captureBatchCovariances() {
    let rows = layer.input.rows
    precondition(rows > 0, "\(layer.inputWeight.name): capture needs a forward pass over a non-empty batch")
    precondition(
      layer.gateGradient.rows == rows,
      "\(layer.inputWeight.name): ds has \(layer.gateGradient.rows) rows but the input has \(rows); "
        + "run the sampled-Fisher backward pass before capturing")
    let b = Double(rows)
    factors[0].setBatchCovariance(rows: layer.input, scale: 1 / b)
    factors[1].setBatchCovariance(rows: layer.inputProjectionGradient, scale: b)
    factors[2].setBatchCovariance(rows: layer.maskedHidden, scale: 1 / b)
    if layer.isLayerNormalized {
      factors[3].setBatchCovariance(rows: layer.hiddenProjectionGradient, scale: b)
      factors[4].setBatchCovariance(rows: layer.gateGradient, scale: b)
    } else {
      // ds_x = ds_h = ds: the same values as W_x's G (separate statistics, as a dense bias's).
      factors[3].setBatchCovariance(copying: factors[1])
      factors[4].setBatchCovariance(copying: factors[1])
    }
  }
}

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
/// For the plain cell `ds_x = ds_h = ds`. The layer-normalised cell's gains and biases are
/// "unknown ops" to the reference's search, which gives each a G-only factor from the tensor it
/// finds in the gradient graph — measured on SB2's ACKTR graph for `MlpLnLstmPolicy` (TF 2.15):
/// ```
/// g_x: rows ds ⊙ x̂   b_x: rows ds   g_h: rows ds ⊙ ĥ   b_h: rows ds
/// g_c: rows d ⊙ ĉ    b_c: rows d     (d = ∂joint/∂LN(c_t), ĉ, x̂, ĥ the normalised rows)
/// ```
/// each stacked over the `T` steps, `G = B·rowsᵀrows`.
public final class LSTMKroneckerBlock: KroneckerFactoredBlock {
  /// The layer.
  public let layer: LSTM
  /// `A` and `G` of `W_x`, `A` and `G` of `W_h`, `G` of `b` (then `G` of `g_x, b_x, g_h, b_h, g_c, b_c`).
  public let factors: [KroneckerFactor]
  /// `W_x` (`A ⊗ G`), `W_h` (`A ⊗ G`) and `b` (G-only), then the layer norms' G-only parameters.
  public let factoredParameters: [KroneckerFactoredParameter]
  private var gainRows = Matrix(rows: 0, columns: 0)

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
    let normalization = layer.normalizationParameters.map {
      KroneckerFactor(parameterName: $0.name, role: .outputGradient, dimension: $0.value.columns)
    }
    factors = [inputActivation, inputGradient, hiddenActivation, hiddenGradient, biasGradient] + normalization
    factoredParameters = [
      KroneckerFactoredParameter(parameter: layer.inputWeight, rowFactor: inputActivation, columnFactor: inputGradient),
      KroneckerFactoredParameter(parameter: layer.hiddenWeight, rowFactor: hiddenActivation, columnFactor: hiddenGradient),
      KroneckerFactoredParameter(parameter: layer.bias, rowFactor: nil, columnFactor: biasGradient),
    ] + zip(layer.normalizationParameters, normalization).map {
      KroneckerFactoredParameter(parameter: $0, rowFactor: nil, columnFactor: $1)
    }
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
      let (x, h, c) = layer.normalizedRows
      let E = layer.sequenceCount, T = layer.stepCount
      // g_x: ds (time-major) ⊙ x̂ (env-major); b_x and b_h: ds.
      product(layer.gateGradient, x, secondRow: { r in (r % E) * T + r / E })
      factors[5].setBatchCovariance(rows: gainRows, scale: b)
      factors[6].setBatchCovariance(copying: factors[4])
      product(layer.gateGradient, h, secondRow: { $0 })
      factors[7].setBatchCovariance(rows: gainRows, scale: b)
      factors[8].setBatchCovariance(copying: factors[4])
      product(layer.cellNormalizationGradient, c, secondRow: { $0 })
      factors[9].setBatchCovariance(rows: gainRows, scale: b)
      factors[10].setBatchCovariance(rows: layer.cellNormalizationGradient, scale: b)
    } else {
      // ds_x = ds_h = ds: the same values as W_x's G (separate statistics, as a dense bias's).
      factors[3].setBatchCovariance(copying: factors[1])
      factors[4].setBatchCovariance(copying: factors[1])
    }
  }

  /// `gainRows[r] = a[r] ⊙ b[secondRow(r)]` (time-major rows of `a`).
  private func product(_ a: Matrix, _ b: Matrix, secondRow: (Int) -> Int) {
    gainRows.reshape(rows: a.rows, columns: a.columns)
    let n = a.columns
    for r in 0..<a.rows {
      let s = secondRow(r)
      for j in 0..<n { gainRows.elements[r * n + j] = a.elements[r * n + j] * b.elements[s * n + j] }
    }
  }
}

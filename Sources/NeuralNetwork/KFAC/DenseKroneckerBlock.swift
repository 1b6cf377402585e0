import LinearAlgebra

/// The K-FAC block of a ``Dense`` layer as stable-baselines registers it (algorithms.md §3.3).
///
/// ```
/// A   = (1/B) Σ_i a_i a_iᵀ              (n_in × n_in, layer input a, no appended 1)
/// G   = (1/B) Σ_i g_i g_iᵀ = B·δᵀδ       (n_out × n_out, g_i = B·δ_i, δ = ∂joint/∂s)
/// G_b = G                                (the bias's own G-only statistics, same values)
/// ```
/// The weight is preconditioned by `A ⊗ G`, the bias by `G_b` alone. The bias is added with a plain
/// `+` (TensorFlow `Add`, not `BiasAdd`), so the reference's graph search does not use homogeneous
/// coordinates.
public final class DenseKroneckerBlock: KroneckerFactoredBlock {
  /// The layer.
  public let layer: Dense
  /// `A`, from the layer input.
  public let activationFactor: KroneckerFactor
  /// `G` of the weight.
  public let outputGradientFactor: KroneckerFactor
  /// `G` of the bias (separate statistics with the same values as ``outputGradientFactor``).
  public let biasFactor: KroneckerFactor
  /// The weight (`A ⊗ G`) and the bias (G-only).
  public let factoredParameters: [KroneckerFactoredParameter]
  /// `A`, `G`, `G_b`.
  public let factors: [KroneckerFactor]

  /// Creates the block for `layer`.
  public init(layer: Dense) {
    self.layer = layer
    activationFactor = KroneckerFactor(
      parameterName: layer.weight.name, role: .activation, dimension: layer.inputCount)
    outputGradientFactor = KroneckerFactor(
      parameterName: layer.weight.name, role: .outputGradient, dimension: layer.outputCount)
    biasFactor = KroneckerFactor(
      parameterName: layer.bias.name, role: .outputGradient, dimension: layer.outputCount)
    factoredParameters = [
      KroneckerFactoredParameter(
        parameter: layer.weight, rowFactor: activationFactor, columnFactor: outputGradientFactor),
      KroneckerFactoredParameter(parameter: layer.bias, rowFactor: nil, columnFactor: biasFactor),
    ]
    factors = [activationFactor, outputGradientFactor, biasFactor]
  }

  /// Reads ``Dense/input`` and ``Dense/preActivationGradient`` (from a backward pass of the
  /// batch-mean sampled-Fisher loss) and sets the batch covariances.
  public func captureBatchCovariances() {
    let batch = layer.input.rows
    precondition(batch > 0, "\(layer.weight.name): capture needs a forward pass over a non-empty batch")
    precondition(
      layer.preActivationGradient.rows == batch,
      "\(layer.weight.name): δ has \(layer.preActivationGradient.rows) rows but the input has \(batch); "
        + "run the sampled-Fisher backward pass before capturing")
    let b = Double(batch)
    activationFactor.setBatchCovariance(rows: layer.input, scale: 1 / b)
    // Reference: openai/baselines acktr/kfac.py — "assume sampled loss is averaged": δ·B, then
    // (δB)ᵀ(δB)/B = B·δᵀδ.
    outputGradientFactor.setBatchCovariance(rows: layer.preActivationGradient, scale: b)
    biasFactor.setBatchCovariance(copying: outputGradientFactor)
  }
}

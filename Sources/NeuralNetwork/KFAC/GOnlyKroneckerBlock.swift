import LinearAlgebra

/// A K-FAC block with only an output-gradient factor, for a parameter that is added to a layer's
/// output (a bias, or the state-independent log-std of a diagonal Gaussian policy).
///
/// ```
/// G = (1/B) Σ_i g_i g_iᵀ = B·δᵀδ,   δ = ∂joint/∂z  [B, d]
/// ĝ_r = Q_G [ (Q_Gᵀ g_r) ⊘ (e_G + ε) ]    for every row r of the parameter
/// ```
/// `δ` follows the convention of ``Dense/preActivationGradient``: it is the gradient of the
/// **batch-mean** sampled-Fisher loss with respect to the per-sample copy `z_i` of the parameter,
/// so it already contains `1/B`. For the DiagGaussian log-std (algorithms.md §3.2–3.3) with the
/// sampled actions `a_i ~ π`: `δ_i = ((a_i − μ_i)²/σ² − 1) / B` (the sign does not matter).
public final class GOnlyKroneckerBlock: KroneckerFactoredBlock {
  /// The parameter, stored `[r, d]` (usually `r = 1`).
  public let parameter: Parameter
  /// `G` (`d × d`).
  public let outputGradientFactor: KroneckerFactor
  /// The parameter with its G-only factor.
  public let factoredParameters: [KroneckerFactoredParameter]
  /// `G`.
  public let factors: [KroneckerFactor]
  private let gradientSource: () -> Matrix

  /// Creates the block.
  /// - Parameters:
  ///   - parameter: the parameter, `d` columns.
  ///   - gradientSource: returns `δ`, `[B, d]`, when statistics are captured.
  public init(parameter: Parameter, gradientSource: @escaping () -> Matrix) {
    self.parameter = parameter
    self.gradientSource = gradientSource
    outputGradientFactor = KroneckerFactor(
      parameterName: parameter.name, role: .outputGradient, dimension: parameter.value.columns)
    factoredParameters = [
      KroneckerFactoredParameter(parameter: parameter, rowFactor: nil, columnFactor: outputGradientFactor)
    ]
    factors = [outputGradientFactor]
  }

  /// Reads `δ` from the gradient source and sets `G = B·δᵀδ`.
  public func captureBatchCovariances() {
    let delta = gradientSource()
    precondition(delta.rows > 0, "\(parameter.name): the gradient source returned an empty batch")
    precondition(
      delta.columns == parameter.value.columns,
      "\(parameter.name): the gradient source has \(delta.columns) columns, "
        + "expected \(parameter.value.columns)"
    )
    outputGradientFactor.setBatchCovariance(rows: delta, scale: Double(delta.rows))
  }
}

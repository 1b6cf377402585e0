import LinearAlgebra

/// A group of parameters whose Fisher block K-FAC approximates by Kronecker factors.
///
/// A block knows where its factor statistics come from; ``KFAC`` does the rest (running averages,
/// eigendecompositions, preconditioning with ``KroneckerFactoredParameter``). Martens & Grosse 2015,
/// [arXiv:1503.05671](https://arxiv.org/abs/1503.05671); Grosse & Martens 2016 (convolutions),
/// [arXiv:1602.01407](https://arxiv.org/abs/1602.01407).
///
/// Implementations: ``DenseKroneckerBlock`` (weight with `A` and `G`, bias with a G-only factor) and
/// ``GOnlyKroneckerBlock`` (e.g. the state-independent log-std of a diagonal Gaussian policy).
///
/// A convolution block fits without changes elsewhere. It would keep the layer's input and the
/// back-propagated `δ = ∂joint/∂s` (`[B, Oh, Ow, c_out]`, NHWC) and, in
/// ``captureBatchCovariances()``, call (algorithms.md §3.4, `P = Oh·Ow` output positions):
/// ```
/// A.setBatchCovariance(rows: patches, scale: 1 / (B·P²))  // patches [B·P, kh·kw·c_in], (kh, kw, c_in)
///                                                         // row-major as the kernel reshape
/// G.setBatchCovariance(rows: δ reshaped [B·P, c_out], scale: P·B)  // = (P/B) Σ_{i,t} g gᵀ
/// ```
/// and expose its kernel, stored `[kh·kw·c_in, c_out]`, as a ``KroneckerFactoredParameter`` with
/// `rowFactor: A, columnFactor: G`. The stable-baselines conv bias (`[1, c_out, 1, 1]`) gets no
/// factor (its gradient is used as is); OpenAI baselines' `one_dim_bias` gets a G-only factor over
/// the spatially summed gradients, `scale: B` on rows `Σ_t δ_{i,t}`.
public protocol KroneckerFactoredBlock: AnyObject {
  /// The parameters this block preconditions, each with its factors.
  var factoredParameters: [KroneckerFactoredParameter] { get }
  /// The block's factors (each once), in a fixed order: statistics, decompositions and snapshots
  /// follow it.
  var factors: [KroneckerFactor] { get }
  /// Reads the sampled-Fisher pass's caches and sets every factor's batch covariance.
  func captureBatchCovariances()
}

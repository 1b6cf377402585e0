import LinearAlgebra

/// A group of parameters whose Fisher block K-FAC approximates by Kronecker factors.
///
/// A block knows where its factor statistics come from; ``KFAC`` does the rest (running averages,
/// eigendecompositions, preconditioning with ``KroneckerFactoredParameter``). Martens & Grosse 2015,
/// [arXiv:1503.05671](https://arxiv.org/abs/1503.05671); Grosse & Martens 2016 (convolutions),
/// [arXiv:1602.01407](https://arxiv.org/abs/1602.01407).
///
/// Implementations: ``DenseKroneckerBlock`` (weight with `A` and `G`, bias with a G-only factor),
/// ``GOnlyKroneckerBlock`` (e.g. the state-independent log-std of a diagonal Gaussian policy) and
/// ``ConvolutionKroneckerBlock`` (a ``Conv2D`` kernel with patch and output-gradient factors, and
/// its bias as the reference treats it: unfactored for stable-baselines' `[1, c_out, 1, 1]` bias,
/// G-only over spatial sums for OpenAI baselines' one-dimensional bias). A layer supplies its block
/// through ``Layer/makeKroneckerBlock()``; register it with ``KFAC/Block/custom(_:)``.
public protocol KroneckerFactoredBlock: AnyObject {
  /// The parameters this block preconditions, each with its factors.
  var factoredParameters: [KroneckerFactoredParameter] { get }
  /// The block's factors (each once), in a fixed order: statistics, decompositions and snapshots
  /// follow it.
  var factors: [KroneckerFactor] { get }
  /// Reads the sampled-Fisher pass's caches and sets every factor's batch covariance.
  func captureBatchCovariances()
}

import LinearAlgebra
import Randomness

/// A differentiable layer on a batch of flat rows, with an explicit backward pass.
///
/// ```
/// forward:   h = f(x; θ)                          x: [B, inputCount]   h: [B, outputCount]
/// backward:  ∂L/∂θ (overwrite / accumulate / skip),  ∂L/∂x = J_xᵀ · ∂L/∂h
/// ```
/// Every layer reads and writes one sample per row. Layers with spatial structure flatten it
/// row-major: a convolution's input and output rows are NHWC images flattened in `(h, w, c)` order,
/// which is also TensorFlow's `conv_to_fc` order, so a convolution feeds a ``Dense`` layer directly.
///
/// A layer keeps what K-FAC reads (its input or patches, and the pre-activation gradient of the last
/// backward pass) and supplies its own Fisher block through ``makeKroneckerBlock()``; feature
/// extractors, trunks and heads of a policy are all built from layers, so MLP, CNN and recurrent
/// policies share one machinery. Buffers are reused between calls: steady-state training does not
/// allocate.
public protocol Layer: AnyObject {
  /// Features per sample read by ``forward(_:)``.
  var inputCount: Int { get }
  /// Features per sample written to ``output``.
  var outputCount: Int { get }
  /// The trainable parameters, in the reference's checkpoint order (weight before bias).
  var parameters: [Parameter] { get }
  /// The output of the last forward pass, `[B, outputCount]`.
  var output: Matrix { get }
  /// `∂L/∂x` from the last backward pass run with `computeInputGradient: true`, `[B, inputCount]`.
  var inputGradient: Matrix { get }

  /// Computes ``output`` for a batch `x`, `[B, inputCount]`, keeping what backward needs.
  func forward(_ input: Matrix)

  /// Back-propagates `∂L/∂h` (`[B, outputCount]`, for the batch of the last forward pass).
  ///
  /// - Parameters:
  ///   - parameterGradients: overwrite, accumulate into, or leave the parameter gradients.
  ///   - computeInputGradient: whether to compute ``inputGradient`` (not needed for a first layer).
  func backward(_ outputGradient: Matrix, parameterGradients: GradientMode, computeInputGradient: Bool)

  /// Draws the weights as stable-baselines' `ortho_init(gain)` does and zeroes the biases.
  func initialize(gain: Float, using random: RandomStream)

  /// The K-FAC block of this layer as stable-baselines' `kfac.py` registers it, or `nil` when the
  /// layer's parameters are stepped with the plain gradient.
  func makeKroneckerBlock() -> (any KroneckerFactoredBlock)?
}

extension Dense: Layer {
  /// Orthogonal weight with `gain`, zero bias (stable-baselines `linear`).
  public func initialize(gain: Float, using random: RandomStream) {
    orthogonalInitialize(weight, gain: gain, using: random)
    constantInitialize(bias, value: 0)
  }

  /// `A ⊗ G` for the weight (no appended 1) and a G-only factor for the bias (algorithms.md §3.3).
  public func makeKroneckerBlock() -> (any KroneckerFactoredBlock)? { DenseKroneckerBlock(layer: self) }
}

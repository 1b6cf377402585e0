import LinearAlgebra

/// The K-FAC block of a ``Conv2D`` layer exactly as stable-baselines 2.10's `acktr/kfac.py`
/// computes it (algorithms.md §3.3–3.4; Grosse & Martens 2016, "A Kronecker-factored approximate
/// Fisher matrix for convolution layers", [arXiv:1602.01407](https://arxiv.org/abs/1602.01407),
/// with its spatially-uncorrelated-derivatives approximation).
///
/// With `P = Oh·Ow` output positions, patches `p_{i,t}` (`kh·kw·c_in`, in the kernel's row order)
/// and `δ = ∂joint/∂s` of the batch-mean sampled-Fisher loss (so `g_{i,t} = B·δ_{i,t}`):
/// ```
/// A   = (1/B) Σ_{i,t} (p_{i,t}/P)(p_{i,t}/P)ᵀ = (1/(B·P²)) patchesᵀ·patches     (kh·kw·c_in)²
/// G   = (1/(B·P)) Σ_{i,t} (P·B·δ_{i,t})(P·B·δ_{i,t})ᵀ = P·B · δᵀδ                    c_out²
/// G_b = (1/B) Σ_i (B·Σ_t δ_{i,t})(B·Σ_t δ_{i,t})ᵀ = B · Σ_i (Σ_t δ_{i,t})(Σ_t δ_{i,t})ᵀ   (G-only bias only)
/// ```
/// The kernel, stored `[kh·kw·c_in, c_out]`, is preconditioned by `A ⊗ G` (no homogeneous
/// column). What the bias gets follows the reference's graph search, see ``BiasTreatment``.
///
/// The patch Gramian is accumulated chunk by chunk with `ssyrk` (``Conv2D/patchGramian(into:)``), half
/// the flops of the reference's `matmul`: for nature_cnn on 80 images one capture takes 35 / 25 /
/// 19 ms for c1 / c2 / c3 (against 63 / 45 / 35 ms for `A` alone with `sgemm`) — several times the
/// layers' own forward passes.
///
/// Reference: hill-a/stable-baselines @259f278 `stable_baselines/acktr/kfac.py`,
/// `KfacOptimizer.compute_stats` (the `Conv2D` branch: `tf.extract_image_patches(...,
/// padding=padding)` reshaped to `[-1, kh·kw·c_in]` `/ operator_height / operator_width`, `cov = XᵀX / B`;
/// the bprop branch: `reshape(δ, [-1, c_out]) · Oh · Ow`, `· B`, `/ rows`; the G-only 4-D branch:
/// `reduce_sum(δ, [1, 2])`).
public final class ConvolutionKroneckerBlock: KroneckerFactoredBlock {
  /// What K-FAC does with a convolution's bias.
  ///
  /// stable-baselines' `KfacOptimizer.get_factors` (`_search_factors`) recognises only `MatMul`,
  /// `Conv2D` and `BiasAdd`; homogeneous coordinates (a bias column `1/(Oh·Ow)` appended to the
  /// patches, `A` of side `kh·kw·c_in + 1`) are used only when the bias op is `BiasAdd`. Every
  /// reference `conv` adds its bias with a plain `+` (tf_layers.py `conv`: `return bias +
  /// tf.nn.conv2d(...)`), so the `BiasAdd` path never runs and the bias falls into the "unknown
  /// op" branch, which keeps a G-only factor only if the bias gradient's producer has a known
  /// static shape (`if b_tensor.get_shape():`). Under TensorFlow 1.x (`setup.py`:
  /// `tensorflow>=1.8.0,<2.0.0`) the broadcast-add gradient reduces over dynamic axes
  /// (`broadcast_gradient_args` of a shape with an unknown batch size), so:
  /// - stable-baselines' `[1, c_out, 1, 1]` bias: its gradient passes through the `Reshape` op, the
  ///   tensor found is that dynamic `reduce_sum`, of unknown shape → no factor (``unfactored``);
  /// - OpenAI baselines' one-dimensional `[c_out]` bias (`one_dim_bias=True`): the tensor found is
  ///   the incoming `[B, Oh, Ow, c_out]` gradient itself → a G-only factor over its spatial sums
  ///   (``gOnlySpatialSum``).
  ///
  /// Run (`Tools/stable_baselines_reference.py fixture --policy cnn`, TensorFlow 1.15.5): the search
  /// finds no factor for stable-baselines' conv biases and the recorded ACKTR updates match
  /// ``unfactored``; with ``gOnlySpatialSum`` the replay fails from the first K-FAC step
  /// (`CNNReferenceParityTests`, Fixtures/README.md).
  ///
  /// Not so under TensorFlow 2.15 (`tensorflow-cpu==2.15.1`, the runtime of the MlpPolicy
  /// fixtures), derived from its `math_grad.py` and confirmed by running it: its
  /// `SmartBroadcastGradientArgs` infers the reduction axes `[0, 1, 2]` statically
  /// (`_InferGradientReductionAxes`), so the tensor found for stable-baselines' bias is a
  /// `reduce_sum(..., keepdims=True)` of known shape `[1, 1, 1, c_out]`; `get_stats` then gives the
  /// bias a `c_out × c_out` G (a rank-1 `s sᵀ` of the batch's summed δ), and
  /// `get_kfac_precond_updates` reshapes the `[1, c_out, 1, 1]` gradient like a kernel to
  /// `[c_out, 1]`, where `kfac_utils.factor_reshape` asserts `c_out == 1`: ACKTR with `CnnPolicy`
  /// fails to build its graph there (the tensor found is `train_model/model/c1/add_grad/Sum`, of
  /// shape `[1, 1, 1, 32]`), which is why the CnnPolicy fixtures are recorded under TF 1.15.
  public enum BiasTreatment: String, Codable, Sendable, CaseIterable {
    /// No factor: the raw gradient, still scaled by the KL trust region (stable-baselines'
    /// `CnnPolicy`).
    case unfactored
    /// `G_b = B·Σ_i s_i s_iᵀ` over the spatially summed `s_i = Σ_t δ_{i,t}` (OpenAI baselines'
    /// ACKTR CNN; the G-only rule of ikostrikov's `AddBias` on conv outputs).
    case gOnlySpatialSum

    /// What the reference's graph search gives a bias of this layout (`nil` for no bias).
    public static func `default`(for layout: Conv2D.Bias) -> BiasTreatment? {
      switch layout {
      case .stableBaselines: return .unfactored
      case .oneDimensional: return .gOnlySpatialSum
      case .none: return nil
      }
    }
  }

  /// The layer.
  public let layer: Conv2D
  /// What the bias gets (`nil` when the layer has no bias).
  public let biasTreatment: BiasTreatment?
  /// `A`, from the patches (side `kh·kw·c_in`).
  public let activationFactor: KroneckerFactor
  /// `G` of the kernel (side `c_out`).
  public let outputGradientFactor: KroneckerFactor
  /// `G_b` of the bias with ``BiasTreatment/gOnlySpatialSum``, else `nil`.
  public let biasFactor: KroneckerFactor?
  /// The kernel (`A ⊗ G`) and, with a G-only bias, the bias.
  public let factoredParameters: [KroneckerFactoredParameter]
  /// `A`, `G` and `G_b` when present.
  public let factors: [KroneckerFactor]
  private var spatialSums: Matrix
  private var gramian: Matrix

  /// Creates the block for `layer`; the bias treatment defaults to the reference's for the layer's
  /// bias layout.
  public init(layer: Conv2D, biasTreatment: BiasTreatment? = nil) {
    let treatment = layer.bias == nil ? nil : (biasTreatment ?? .default(for: layer.biasLayout))
    precondition(
      layer.bias != nil || biasTreatment == nil, "\(layer.weight.name): a bias treatment for a layer without bias")
    self.layer = layer
    self.biasTreatment = treatment
    activationFactor = KroneckerFactor(
      parameterName: layer.weight.name, role: .activation, dimension: layer.geometry.patchSize)
    outputGradientFactor = KroneckerFactor(
      parameterName: layer.weight.name, role: .outputGradient, dimension: layer.filterCount)
    var targets = [
      KroneckerFactoredParameter(
        parameter: layer.weight, rowFactor: activationFactor, columnFactor: outputGradientFactor)
    ]
    var factors = [activationFactor, outputGradientFactor]
    if treatment == .gOnlySpatialSum, let bias = layer.bias {
      let factor = KroneckerFactor(parameterName: bias.name, role: .outputGradient, dimension: layer.filterCount)
      targets.append(KroneckerFactoredParameter(parameter: bias, rowFactor: nil, columnFactor: factor))
      factors.append(factor)
      biasFactor = factor
    } else {
      biasFactor = nil
    }
    factoredParameters = targets
    self.factors = factors
    spatialSums = Matrix(rows: 0, columns: layer.filterCount)
    gramian = Matrix(rows: layer.geometry.patchSize, columns: layer.geometry.patchSize)
  }

  /// Reads the patches of ``Conv2D/input`` (``Conv2D/patchGramian(into:)``) and
  /// ``Conv2D/preActivationGradient`` (from a backward pass of the
  /// batch-mean sampled-Fisher loss) and sets the batch covariances.
  public func captureBatchCovariances() {
    let batch = layer.batchSize
    let positions = layer.geometry.outputPositions
    precondition(batch > 0, "\(layer.weight.name): capture needs a forward pass over a non-empty batch")
    precondition(
      layer.preActivationGradient.rows == batch * positions,
      "\(layer.weight.name): δ has \(layer.preActivationGradient.rows) rows but the patches have "
        + "\(batch * positions); run the sampled-Fisher backward pass before capturing")
    let b = Double(batch), p = Double(positions)
    // Reference: stable-baselines acktr/kfac.py `compute_stats` — patches / Oh / Ow, then XᵀX / B.
    layer.patchGramian(into: &gramian)
    activationFactor.setBatchCovariance(gramian: gramian, scale: 1 / (b * p * p))
    // Reference: same function — δ reshaped [-1, c_out] · Oh · Ow, "assume sampled loss is
    // averaged" · B, then XᵀX / (B·Oh·Ow).
    outputGradientFactor.setBatchCovarianceBySymmetricUpdate(rows: layer.preActivationGradient, scale: p * b)
    if let biasFactor {
      // Reference: same function, 4-D G-only branch — reduce_sum(δ, [1, 2]) · B, XᵀX / B.
      let n = layer.filterCount
      spatialSums.reshape(rows: batch, columns: n)
      spatialSums.elements.withUnsafeMutableBufferPointer { s in
        s.update(repeating: 0)
        layer.preActivationGradient.elements.withUnsafeBufferPointer { d in
          for i in 0..<batch {
            for t in 0..<positions {
              let base = (i * positions + t) * n
              for j in 0..<n { s[i * n + j] += d[base + j] }
            }
          }
        }
      }
      biasFactor.setBatchCovarianceBySymmetricUpdate(rows: spatialSums, scale: b)
    }
  }
}

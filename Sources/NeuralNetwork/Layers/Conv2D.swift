import LinearAlgebra
import Randomness

/// A 2-D convolution over NHWC images `h = φ(s)`, `s = b + conv2d(x, W)`, with an explicit backward
/// pass, as stable-baselines' `conv` (`common/tf_layers.py`) builds it.
///
/// ```
/// s[b, oh, ow, :] = bias + Σ_{i<kh, j<kw, c<c_in} x[b, oh·sh − padTop + i, ow·sw − padLeft + j, c] · W[i, j, c, :]
///                 = (patches · W_flat)[(b·Oh + oh)·Ow + ow, :]
/// ```
/// Rows are images flattened in `(h, w, c)` order: the input `[B, H·W·c_in]`, the output
/// `[B, Oh·Ow·c_out]` (TensorFlow's `conv_to_fc` order, so a ``Dense`` layer reads it directly).
/// The kernel is the checkpoint's HWIO tensor `[kh, kw, c_in, c_out]`, stored as its row-major
/// reshape `W_flat = [kh·kw·c_in, c_out]`, so `ortho_init` on the flat shape is
/// ``orthogonalInitialize(_:gain:using:)`` on the stored matrix (algorithms.md §1.4).
///
/// Forward is one `sgemm` of the patch matrix ("im2col", ``ConvolutionGeometry/extractPatches(from:batch:into:)``)
/// with `W_flat` over the whole batch; backward is
/// ```
/// δ = ∂L/∂h ⊙ φ'(s)           [B·Oh·Ow, c_out]
/// ∂L/∂W_flat = patchesᵀ · δ    ∂L/∂b = Σ_rows δ    ∂L/∂x = col2im(δ · W_flatᵀ)
/// ```
/// The layer keeps the patches of the last forward pass and `δ` of the last backward pass: they are
/// the rows of the K-FAC factors (``ConvolutionKroneckerBlock``; Grosse & Martens 2016,
/// [arXiv:1602.01407](https://arxiv.org/abs/1602.01407)). All buffers are reused, so steady-state
/// training does not allocate.
public final class Conv2D {
  /// How the bias is stored and added.
  public enum Bias: String, Codable, Sendable, CaseIterable {
    /// stable-baselines' `conv`: a variable of shape `[1, c_out, 1, 1]` reshaped to `[1, 1, 1, c_out]`
    /// and added as `b + conv2d(x, W)` (TensorFlow `Add`): K-FAC leaves its gradient unfactored.
    case stableBaselines
    /// OpenAI baselines' `conv(..., one_dim_bias=True)` (its ACKTR CNN): shape `[c_out]`, added as
    /// `conv2d(x, W) + b`; K-FAC gives it a G-only factor over spatially summed gradients.
    case oneDimensional
    /// No bias.
    case none
  }

  /// The shape arithmetic (sizes, stride, padding).
  public let geometry: ConvolutionGeometry
  /// Output channels `c_out`.
  public let filterCount: Int
  /// How the bias is stored.
  public let biasLayout: Bias
  /// The nonlinearity φ.
  public let activation: Activation
  /// The kernel, checkpoint shape `[kh, kw, c_in, c_out]`, stored `[kh·kw·c_in, c_out]`, named
  /// `<scope>/w:0`.
  public let weight: Parameter
  /// The bias, stored `[1, c_out]`, named `<scope>/b:0` (`nil` for ``Bias/none``).
  public let bias: Parameter?

  /// Features per input image, `H·W·c_in`.
  public var inputCount: Int { geometry.inputCount }
  /// Features per output image, `Oh·Ow·c_out`.
  public let outputCount: Int

  /// The patch matrix of the last forward pass, `[B·Oh·Ow, kh·kw·c_in]`.
  public private(set) var patches: Matrix
  /// The last pre-activation `s`, `[B·Oh·Ow, c_out]`.
  public private(set) var preActivation: Matrix
  /// The last output `h = φ(s)`, `[B, Oh·Ow·c_out]`.
  public private(set) var output: Matrix
  /// `δ = ∂L/∂s` from the last backward pass, `[B·Oh·Ow, c_out]`.
  public private(set) var preActivationGradient: Matrix
  /// `∂L/∂x` from the last backward pass with `computeInputGradient: true`, `[B, H·W·c_in]`.
  public private(set) var inputGradient: Matrix
  private var patchGradient: Matrix

  /// Creates a layer with zero parameters under the variable scope `scope` (e.g. `model/c1`).
  public init(
    geometry: ConvolutionGeometry, filters: Int, bias: Bias = .stableBaselines, activation: Activation,
    scope: String
  ) {
    precondition(filters > 0, "a convolution needs at least one filter, got \(filters)")
    self.geometry = geometry
    filterCount = filters
    biasLayout = bias
    self.activation = activation
    let patchSize = geometry.patchSize
    weight = Parameter(
      name: "\(scope)/w:0",
      shape: [geometry.kernelHeight, geometry.kernelWidth, geometry.inputChannels, filters], rows: patchSize,
      columns: filters)
    switch bias {
    case .stableBaselines:
      self.bias = Parameter(name: "\(scope)/b:0", shape: [1, filters, 1, 1], rows: 1, columns: filters)
    case .oneDimensional:
      self.bias = Parameter(name: "\(scope)/b:0", shape: [filters], rows: 1, columns: filters)
    case .none:
      self.bias = nil
    }
    outputCount = geometry.outputPositions * filters
    patches = Matrix(rows: 0, columns: patchSize)
    preActivation = Matrix(rows: 0, columns: filters)
    output = Matrix(rows: 0, columns: outputCount)
    preActivationGradient = Matrix(rows: 0, columns: filters)
    inputGradient = Matrix(rows: 0, columns: geometry.inputCount)
    patchGradient = Matrix(rows: 0, columns: patchSize)
  }

  /// A square kernel with equal strides on `height × width × channels` images.
  public convenience init(
    inputHeight: Int, inputWidth: Int, inputChannels: Int, filters: Int, kernelSize: Int, stride: Int,
    padding: ConvolutionPadding = .valid, bias: Bias = .stableBaselines, activation: Activation, scope: String
  ) {
    self.init(
      geometry: ConvolutionGeometry(
        inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: inputChannels, kernelSize: kernelSize,
        stride: stride, padding: padding),
      filters: filters, bias: bias, activation: activation, scope: scope)
  }

  /// The layer's parameters, kernel first.
  public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

  /// The batch size of the last forward pass.
  public var batchSize: Int { output.rows }

  /// Computes `h = φ(b + conv2d(x, W))` for a batch of images `[B, H·W·c_in]`; the result is ``output``.
  public func forward(_ input: Matrix) {
    precondition(
      input.columns == inputCount,
      "convolution \(weight.name) expects \(inputCount) inputs (\(geometry)), got \(input.columns)")
    let batch = input.rows
    let rows = batch * geometry.outputPositions
    let n = filterCount
    patches.reshape(rows: rows, columns: geometry.patchSize)
    preActivation.reshape(rows: rows, columns: n)
    output.reshape(rows: batch, columns: outputCount)
    guard batch > 0 else { return }
    let geometry = self.geometry
    input.elements.withUnsafeBufferPointer { x in
      patches.elements.withUnsafeMutableBufferPointer { p in
        geometry.extractPatches(from: x.baseAddress!, batch: batch, into: p.baseAddress!)
      }
    }
    // s ← patches·W, then s ← b + s and h = φ(s) in one pass (the bias is added to the finished
    // sum, as TensorFlow's `b + conv2d(x, W)`).
    gemm(patches, weight.value, into: &preActivation, beta: 0)
    let activation = self.activation
    preActivation.elements.withUnsafeMutableBufferPointer { s in
      output.elements.withUnsafeMutableBufferPointer { h in
        guard let bias else {
          activation.apply(s.baseAddress!, h.baseAddress!, count: rows * n)
          return
        }
        bias.value.elements.withUnsafeBufferPointer { b in
          for row in 0..<rows {
            let sRow = s.baseAddress! + row * n
            for j in 0..<n { sRow[j] = b[j] + sRow[j] }
            activation.apply(sRow, h.baseAddress! + row * n, count: n)
          }
        }
      }
    }
  }

  /// Back-propagates `∂L/∂h` through the layer.
  ///
  /// ```
  /// δ = ∂L/∂h ⊙ φ'(s);   ∂L/∂W_flat = patchesᵀδ;   ∂L/∂b = Σ_rows δ;   ∂L/∂x = col2im(δ·W_flatᵀ)
  /// ```
  /// - Parameters:
  ///   - outputGradient: `∂L/∂h`, `[B, Oh·Ow·c_out]`, for the batch of the last ``forward(_:)``.
  ///   - parameterGradients: whether to overwrite, accumulate into, or leave the parameter gradients.
  ///   - computeInputGradient: whether to compute ``inputGradient`` (not needed for the first layer).
  public func backward(
    _ outputGradient: Matrix, parameterGradients: GradientMode = .overwrite,
    computeInputGradient: Bool = true
  ) {
    let batch = output.rows
    precondition(
      outputGradient.rows == batch && outputGradient.columns == outputCount,
      "output gradient is \(outputGradient.rows)×\(outputGradient.columns), expected \(batch)×\(outputCount)")
    let rows = batch * geometry.outputPositions
    let n = filterCount
    preActivationGradient.reshape(rows: rows, columns: n)
    if computeInputGradient {
      patchGradient.reshape(rows: rows, columns: geometry.patchSize)
      inputGradient.reshape(rows: batch, columns: inputCount)
    }
    if batch == 0 {
      if parameterGradients == .overwrite { for p in parameters { p.zeroGradient() } }
      return
    }
    let count = rows * n
    let activation = self.activation
    preActivationGradient.elements.withUnsafeMutableBufferPointer { d in
      outputGradient.elements.withUnsafeBufferPointer { g in
        preActivation.elements.withUnsafeBufferPointer { s in
          output.elements.withUnsafeBufferPointer { h in
            activation.writeDerivativeProduct(
              g.baseAddress!, preActivation: s.baseAddress!, output: h.baseAddress!, into: d.baseAddress!,
              count: count)
          }
        }
      }
    }
    if parameterGradients != .skip {
      let beta: Float = parameterGradients == .accumulate ? 1 : 0
      gemm(patches, preActivationGradient, into: &weight.gradient, transposeA: .transposed, beta: beta)
      if let bias {
        bias.gradient.elements.withUnsafeMutableBufferPointer { gb in
          if beta == 0 { gb.update(repeating: 0) }
          preActivationGradient.elements.withUnsafeBufferPointer { d in
            for row in 0..<rows {
              let base = row * n
              for j in 0..<n { gb[j] += d[base + j] }
            }
          }
        }
      }
    }
    if computeInputGradient {
      gemm(preActivationGradient, weight.value, into: &patchGradient, transposeB: .transposed)
      let geometry = self.geometry
      patchGradient.elements.withUnsafeBufferPointer { dp in
        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
          geometry.accumulatePatchGradients(dp.baseAddress!, batch: batch, into: dx.baseAddress!)
        }
      }
    }
  }
}

extension Conv2D: Layer {
  /// Orthogonal kernel with `gain` on the flat shape `(kh·kw·c_in, c_out)`, zero bias
  /// (stable-baselines `conv` with `ortho_init(init_scale)`).
  public func initialize(gain: Float, using random: RandomStream) {
    orthogonalInitialize(weight, gain: gain, using: random)
    if let bias { constantInitialize(bias, value: 0) }
  }

  /// `A ⊗ G` for the kernel; the bias as the reference's graph search treats this layout
  /// (``ConvolutionKroneckerBlock/BiasTreatment/default(for:)``).
  public func makeKroneckerBlock() -> (any KroneckerFactoredBlock)? { ConvolutionKroneckerBlock(layer: self) }
}

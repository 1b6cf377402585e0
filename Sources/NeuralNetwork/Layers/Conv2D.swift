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
/// Backward:
/// ```
/// δ = ∂L/∂h ⊙ φ'(s)           [B·Oh·Ow, c_out]
/// ∂L/∂W_flat = patchesᵀ · δ    ∂L/∂b = Σ_rows δ    ∂L/∂x = col2im(δ · W_flatᵀ)
/// ```
///
/// **Algorithm: im2col + `sgemm`, in chunks of whole images.** The patch matrix of a chunk
/// (``ConvolutionGeometry/extractPatches(from:batch:into:)``) is kept within about 512 KiB, so it is
/// written to and packed by `sgemm` from the core's L2 cache instead of memory; the products write
/// straight into the `[B·Oh·Ow, c_out]` rows, and bias and activation follow on the still-cached
/// chunk. The full patch matrix is never stored: backward and the K-FAC statistics re-extract each
/// chunk from the kept input (for nature_cnn's first layer on 80 images the full matrix would be
/// 33 MB, and 262 MB for ACKTR's 640-sample batches — the "poor mem usage" of the reference's
/// `extract_image_patches`). For the first nature_cnn layer on 80 images (`[32000, 256]·[256, 32]`)
/// unchunked im2col took 4.7 ms + `sgemm` 10.6 ms, chunked 9.8 ms in all.
///
/// Measured, nature_cnn on 80 images 84×84×4, one core of a shared 2-core Xeon VM, OpenBLAS 0.3.21
/// pinned to its Haswell (AVX2) kernels, best of ≥ 120 runs; GFLOP/s counts `2·M·K·N` per product
/// (one-core AVX2 peak: 32 flop/cycle, 73.6 GFLOP/s at the nominal 2.3 GHz; a lone large `sgemm`
/// reaches 72–76):
///
/// | layer (M × K × N) | forward | backward ∂W, ∂b | backward ∂W, ∂b, ∂x |
/// | --- | --- | --- | --- |
/// | c1 8×8/4, 32000 × 256 × 32 | 11.4 ms, 46 GFLOP/s | 12.5 ms, 42 | 22.8 ms, 46 |
/// | c2 4×4/2, 6480 × 512 × 64 | 7.0 ms, 61 | 7.9 ms, 54 | 14.5 ms, 59 |
/// | c3 3×3/1, 3920 × 576 × 64 | 4.5 ms, 64 | 5.0 ms, 58 | 9.6 ms, 60 |
///
/// (`sgemm` alone on the same shapes: c1 8.8 ms / 60 GFLOP/s — its 32 output channels make
/// OpenBLAS's packing of the patches a large share —, c2 5.9 ms / 72, c3 4.0 ms / 73.)
///
/// The layer keeps its last input and `δ` of the last backward pass, the sources of the K-FAC
/// factors (``ConvolutionKroneckerBlock``; Grosse & Martens 2016,
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

  /// Target size of one chunk's patch matrix, in floats (512 KiB: a quarter of this machine's
  /// 2 MiB L2, leaving room for `sgemm`'s packed panels).
  static let patchChunkBudget = 1 << 17

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
  /// Images per chunk of the im2col products.
  public let imagesPerChunk: Int

  /// The last input batch, `[B, H·W·c_in]`.
  public internal(set) var input: Matrix
  /// The last pre-activation `s`, `[B·Oh·Ow, c_out]`.
  public internal(set) var preActivation: Matrix
  /// The last output `h = φ(s)`, `[B, Oh·Ow·c_out]`.
  public internal(set) var output: Matrix
  /// `δ = ∂L/∂s` from the last backward pass, `[B·Oh·Ow, c_out]`.
  public private(set) var preActivationGradient: Matrix
  /// `∂L/∂x` from the last backward pass with `computeInputGradient: true`, `[B, H·W·c_in]`.
  public private(set) var inputGradient: Matrix
  private var patchChunk: [Float]
  private var patchGradientChunk: [Float]

  /// Creates a layer with zero parameters under the variable scope `scope` (e.g. `model/c1`).
  ///
  /// - Parameter imagesPerChunk: images per im2col chunk; `nil` picks the largest chunk whose patch
  ///   matrix fits the 512 KiB budget (at least one image). Results do not depend on it beyond
  ///   rounding (the weight gradient is summed chunk by chunk).
  public init(
    geometry: ConvolutionGeometry, filters: Int, bias: Bias = .stableBaselines, activation: Activation,
    scope: String, imagesPerChunk: Int? = nil
  ) {
    precondition(filters > 0, "a convolution needs at least one filter, got \(filters)")
    precondition((imagesPerChunk ?? 1) > 0, "a chunk needs at least one image")
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
    self.imagesPerChunk = imagesPerChunk ?? max(1, Self.patchChunkBudget / (geometry.outputPositions * patchSize))
    input = Matrix(rows: 0, columns: geometry.inputCount)
    preActivation = Matrix(rows: 0, columns: filters)
    output = Matrix(rows: 0, columns: outputCount)
    preActivationGradient = Matrix(rows: 0, columns: filters)
    inputGradient = Matrix(rows: 0, columns: geometry.inputCount)
    patchChunk = []
    patchGradientChunk = []
  }

  /// A square kernel with equal strides on `height × width × channels` images.
  public convenience init(
    inputHeight: Int, inputWidth: Int, inputChannels: Int, filters: Int, kernelSize: Int, stride: Int,
    padding: ConvolutionPadding = .valid, bias: Bias = .stableBaselines, activation: Activation, scope: String,
    imagesPerChunk: Int? = nil
  ) {
    self.init(
      geometry: ConvolutionGeometry(
        inputHeight: inputHeight, inputWidth: inputWidth, inputChannels: inputChannels, kernelSize: kernelSize,
        stride: stride, padding: padding),
      filters: filters, bias: bias, activation: activation, scope: scope, imagesPerChunk: imagesPerChunk)
  }

  /// The layer's parameters, kernel first.
  public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

  /// The batch size of the last forward pass.
  public var batchSize: Int { input.rows }

  /// Grows the chunk buffers to the largest chunk of a `batch`-image pass (no-op in steady state).
  private func reserveChunks(batch: Int, gradients: Bool) {
    let needed = min(imagesPerChunk, batch) * geometry.outputPositions * geometry.patchSize
    if patchChunk.count < needed { patchChunk = [Float](repeating: 0, count: needed) }
    if gradients && patchGradientChunk.count < needed {
      patchGradientChunk = [Float](repeating: 0, count: needed)
    }
  }

  /// Calls `body(firstImage, images)` for consecutive chunks of the last batch.
  @inline(__always)
  private func forEachChunk(_ body: (Int, Int) -> Void) {
    let batch = input.rows
    var first = 0
    while first < batch {
      let images = min(imagesPerChunk, batch - first)
      body(first, images)
      first += images
    }
  }

  /// Computes `h = φ(b + conv2d(x, W))` for a batch of images `[B, H·W·c_in]`; the result is ``output``.
  public func forward(_ x: Matrix) {
    precondition(
      x.columns == inputCount,
      "convolution \(weight.name) expects \(inputCount) inputs (\(geometry)), got \(x.columns)")
    let batch = x.rows
    let positions = geometry.outputPositions, k = geometry.patchSize, n = filterCount
    input.reshape(rows: batch, columns: inputCount)
    preActivation.reshape(rows: batch * positions, columns: n)
    output.reshape(rows: batch, columns: outputCount)
    guard batch > 0 else { return }
    input.elements.withUnsafeMutableBufferPointer { dst in
      x.elements.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
    }
    reserveChunks(batch: batch, gradients: false)
    let geometry = self.geometry, activation = self.activation, imageLength = inputCount
    input.elements.withUnsafeBufferPointer { xs in
      patchChunk.withUnsafeMutableBufferPointer { chunk in
        preActivation.elements.withUnsafeMutableBufferPointer { s in
          output.elements.withUnsafeMutableBufferPointer { h in
            weight.value.elements.withUnsafeBufferPointer { w in
              forEachChunk { first, images in
                let rows = images * positions
                let sChunk = s.baseAddress! + first * positions * n
                let hChunk = h.baseAddress! + first * positions * n
                geometry.extractPatches(from: xs.baseAddress! + first * imageLength, batch: images, into: chunk.baseAddress!)
                // s ← patches·W, then s ← b + s and h = φ(s) while the chunk is cached (the bias is
                // added to the finished sum, as TensorFlow's `b + conv2d(x, W)`).
                gemm(
                  transposeA: .none, transposeB: .none, m: rows, n: n, k: k, alpha: 1, chunk.baseAddress!, lda: k,
                  w.baseAddress!, ldb: n, beta: 0, sChunk, ldc: n)
                if let bias {
                  bias.value.elements.withUnsafeBufferPointer { b in
                    for row in 0..<rows {
                      let sRow = sChunk + row * n
                      for j in 0..<n { sRow[j] = b[j] + sRow[j] }
                    }
                  }
                }
                activation.apply(sChunk, hChunk, count: rows * n)
              }
            }
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
  /// `∂L/∂W_flat` is summed chunk by chunk (re-extracting each chunk's patches).
  /// - Parameters:
  ///   - outputGradient: `∂L/∂h`, `[B, Oh·Ow·c_out]`, for the batch of the last ``forward(_:)``.
  ///   - parameterGradients: whether to overwrite, accumulate into, or leave the parameter gradients.
  ///   - computeInputGradient: whether to compute ``inputGradient`` (not needed for the first layer).
  public func backward(
    _ outputGradient: Matrix, parameterGradients: GradientMode = .overwrite,
    computeInputGradient: Bool = true
  ) {
    let batch = input.rows
    precondition(
      outputGradient.rows == batch && outputGradient.columns == outputCount,
      "output gradient is \(outputGradient.rows)×\(outputGradient.columns), expected \(batch)×\(outputCount)")
    let positions = geometry.outputPositions, k = geometry.patchSize, n = filterCount
    let rows = batch * positions
    preActivationGradient.reshape(rows: rows, columns: n)
    if computeInputGradient { inputGradient.reshape(rows: batch, columns: inputCount) }
    if batch == 0 {
      if parameterGradients == .overwrite { for p in parameters { p.zeroGradient() } }
      return
    }
    let updateParameters = parameterGradients != .skip
    let computeBias = updateParameters && bias != nil
    if computeBias, parameterGradients == .overwrite { bias?.zeroGradient() }
    reserveChunks(batch: batch, gradients: computeInputGradient)
    let geometry = self.geometry, activation = self.activation, imageLength = inputCount
    let firstBeta: Float = parameterGradients == .accumulate ? 1 : 0
    // Per chunk of images, while the chunk's rows are cached: δ = g ⊙ φ'(s), the bias gradient, the
    // kernel gradient from re-extracted patches, and the input gradient.
    func run(biasGradient gb: UnsafeMutablePointer<Float>?) {
      outputGradient.elements.withUnsafeBufferPointer { g in
        preActivation.elements.withUnsafeBufferPointer { s in
          output.elements.withUnsafeBufferPointer { h in
            preActivationGradient.elements.withUnsafeMutableBufferPointer { d in
              input.elements.withUnsafeBufferPointer { xs in
                weight.value.elements.withUnsafeBufferPointer { w in
                  weight.gradient.elements.withUnsafeMutableBufferPointer { dw in
                    patchChunk.withUnsafeMutableBufferPointer { chunk in
                      patchGradientChunk.withUnsafeMutableBufferPointer { chunkGradient in
                        inputGradient.elements.withUnsafeMutableBufferPointer { dx in
                          forEachChunk { first, images in
                            let chunkRows = images * positions
                            let offset = first * positions * n
                            let dChunk = d.baseAddress! + offset
                            activation.writeDerivativeProduct(
                              g.baseAddress! + offset, preActivation: s.baseAddress! + offset,
                              output: h.baseAddress! + offset, into: dChunk, count: chunkRows * n)
                            if let gb {
                              for row in 0..<chunkRows {
                                let dRow = dChunk + row * n
                                for j in 0..<n { gb[j] += dRow[j] }
                              }
                            }
                            if updateParameters {
                              geometry.extractPatches(
                                from: xs.baseAddress! + first * imageLength, batch: images, into: chunk.baseAddress!)
                              gemm(
                                transposeA: .transposed, transposeB: .none, m: k, n: n, k: chunkRows, alpha: 1,
                                chunk.baseAddress!, lda: k, dChunk, ldb: n, beta: first == 0 ? firstBeta : 1,
                                dw.baseAddress!, ldc: n)
                            }
                            if computeInputGradient {
                              gemm(
                                transposeA: .none, transposeB: .transposed, m: chunkRows, n: k, k: n, alpha: 1,
                                dChunk, lda: n, w.baseAddress!, ldb: n, beta: 0, chunkGradient.baseAddress!, ldc: k)
                              geometry.accumulatePatchGradients(
                                chunkGradient.baseAddress!, batch: images, into: dx.baseAddress! + first * imageLength)
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    if computeBias, let bias {
      bias.gradient.elements.withUnsafeMutableBufferPointer { run(biasGradient: $0.baseAddress!) }
    } else {
      run(biasGradient: nil)
    }
  }

  /// Writes the Gramian of the last forward pass's patches, `patchesᵀ·patches`
  /// (`[kh·kw·c_in]²`, symmetric, full), chunk by chunk with `ssyrk` — the K-FAC `A` factor before
  /// its scale.
  public func patchGramian(into gramian: inout Matrix) {
    let k = geometry.patchSize, positions = geometry.outputPositions
    gramian.reshape(rows: k, columns: k)
    let batch = input.rows
    guard batch > 0 else {
      gramian.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
      return
    }
    reserveChunks(batch: batch, gradients: false)
    let geometry = self.geometry, imageLength = inputCount
    input.elements.withUnsafeBufferPointer { xs in
      patchChunk.withUnsafeMutableBufferPointer { chunk in
        gramian.elements.withUnsafeMutableBufferPointer { c in
          forEachChunk { first, images in
            geometry.extractPatches(from: xs.baseAddress! + first * imageLength, batch: images, into: chunk.baseAddress!)
            syrkUpper(
              n: k, k: images * positions, alpha: 1, chunk.baseAddress!, lda: k, beta: first == 0 ? 0 : 1,
              c.baseAddress!, ldc: k)
          }
          for i in 1..<k {
            for j in 0..<i { c[i * k + j] = c[j * k + i] }
          }
        }
      }
    }
  }

  /// The full patch matrix of the last forward pass, `[B·Oh·Ow, kh·kw·c_in]` (allocates; for tests
  /// and diagnostics).
  public var patches: Matrix {
    var p = Matrix(rows: input.rows * geometry.outputPositions, columns: geometry.patchSize)
    guard input.rows > 0 else { return p }
    let geometry = self.geometry, batch = input.rows
    input.elements.withUnsafeBufferPointer { xs in
      p.elements.withUnsafeMutableBufferPointer { out in
        geometry.extractPatches(from: xs.baseAddress!, batch: batch, into: out.baseAddress!)
      }
    }
    return p
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

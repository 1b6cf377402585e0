import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing
import _TestSupport

// MARK: - Helpers

private func randomMatrix(_ rows: Int, _ columns: Int, _ random: RandomStream, scale: Double = 1) -> Matrix {
  Matrix(
    rows: rows, columns: columns,
    elements: (0..<(rows * columns)).map { _ in Float(random.gaussian(sigma: scale)) })
}

/// The convolution by its definition, in `Double`, with nested loops over output positions,
/// kernel offsets and channels (TensorFlow's NHWC `conv2d`, padding from `geometry`).
private func directConvolution(
  _ x: Matrix, _ geometry: ConvolutionGeometry, weight: Matrix, bias: [Float]?
) -> [Double] {
  let g = geometry
  let n = weight.columns
  var out = [Double](repeating: 0, count: x.rows * g.outputPositions * n)
  for b in 0..<x.rows {
    for oh in 0..<g.outputHeight {
      for ow in 0..<g.outputWidth {
        for f in 0..<n {
          var sum = Double(bias?[f] ?? 0)
          for i in 0..<g.kernelHeight {
            for j in 0..<g.kernelWidth {
              let y = oh * g.strideHeight - g.padTop + i
              let z = ow * g.strideWidth - g.padLeft + j
              guard y >= 0 && y < g.inputHeight && z >= 0 && z < g.inputWidth else { continue }
              for c in 0..<g.inputChannels {
                let input = x[b, (y * g.inputWidth + z) * g.inputChannels + c]
                let w = weight[(i * g.kernelWidth + j) * g.inputChannels + c, f]
                sum += Double(input) * Double(w)
              }
            }
          }
          out[((b * g.outputHeight + oh) * g.outputWidth + ow) * n + f] = sum
        }
      }
    }
  }
  return out
}

/// One configuration of the gradient and forward checks.
struct ConvolutionCase: CustomTestStringConvertible, Sendable {
  var height: Int
  var width: Int
  var channels: Int
  var kernel: (Int, Int)
  var stride: (Int, Int)
  var padding: ConvolutionPadding
  var filters: Int
  var bias: Conv2D.Bias
  var activation: Activation
  var batch = 2
  /// Images per im2col chunk (`nil`: the layer's default, one chunk for these small images).
  var chunk: Int? = nil

  var geometry: ConvolutionGeometry {
    ConvolutionGeometry(
      inputHeight: height, inputWidth: width, inputChannels: channels, kernelHeight: kernel.0,
      kernelWidth: kernel.1, strideHeight: stride.0, strideWidth: stride.1, padding: padding)
  }

  func makeLayer(_ random: RandomStream) -> Conv2D {
    let layer = Conv2D(
      geometry: geometry, filters: filters, bias: bias, activation: activation, scope: "model/c1",
      imagesPerChunk: chunk)
    layer.initialize(gain: 1.2, using: random)
    if let b = layer.bias { b.value = randomMatrix(1, filters, random, scale: 0.3) }
    return layer
  }

  var testDescription: String {
    "\(geometry) ×\(filters) \(bias) \(activation) chunk \(chunk.map(String.init) ?? "auto")"
  }

  static let all: [ConvolutionCase] = [
    // stride 1, VALID, SB2 bias
    ConvolutionCase(
      height: 5, width: 6, channels: 2, kernel: (3, 3), stride: (1, 1), padding: .valid, filters: 3,
      bias: .stableBaselines, activation: .tanh),
    // stride 2, SAME with an odd total padding (7 → 4: total 3, top 1, bottom 2), one-dim bias
    ConvolutionCase(
      height: 7, width: 7, channels: 3, kernel: (4, 4), stride: (2, 2), padding: .same, filters: 2,
      bias: .oneDimensional, activation: .identity, chunk: 1),
    // non-square kernel and strides, SAME, no bias
    ConvolutionCase(
      height: 8, width: 7, channels: 2, kernel: (3, 2), stride: (3, 2), padding: .same, filters: 3,
      bias: .none, activation: .tanh),
    // stride 3, VALID, non-square kernel, one input channel
    ConvolutionCase(
      height: 9, width: 8, channels: 1, kernel: (2, 3), stride: (3, 3), padding: .valid, filters: 4,
      bias: .stableBaselines, activation: .tanh, batch: 3, chunk: 2),
    // SAME, stride 1, odd padding on the width only (kernel width 2: total 1, left 0, right 1)
    ConvolutionCase(
      height: 4, width: 5, channels: 3, kernel: (3, 2), stride: (1, 1), padding: .same, filters: 2,
      bias: .oneDimensional, activation: .tanh),
  ]
}

// MARK: - Tests

@Suite struct ConvolutionGeometryTests {
  @Test func natureCNNShapes() {
    let c1 = ConvolutionGeometry(inputHeight: 84, inputWidth: 84, inputChannels: 4, kernelSize: 8, stride: 4, padding: .valid)
    let c2 = ConvolutionGeometry(inputHeight: 20, inputWidth: 20, inputChannels: 32, kernelSize: 4, stride: 2, padding: .valid)
    let c3 = ConvolutionGeometry(inputHeight: 9, inputWidth: 9, inputChannels: 64, kernelSize: 3, stride: 1, padding: .valid)
    #expect((c1.outputHeight, c1.outputWidth, c1.patchSize) == (20, 20, 256))
    #expect((c2.outputHeight, c2.outputWidth, c2.patchSize) == (9, 9, 512))
    #expect((c3.outputHeight, c3.outputWidth, c3.patchSize) == (7, 7, 576))
    let layer = Conv2D(
      geometry: c3, filters: 64, activation: .relu, scope: "model/c3")
    #expect(layer.outputCount == 3136)
  }

  /// TensorFlow's rule: out = ⌈in/s⌉, total = max((out − 1)·s + k − in, 0), top = ⌊total/2⌋.
  @Test(arguments: [
    // (in, k, s, expected out, expected padTop)
    (7, 4, 2, 4, 1),  // total 3: 1 above, 2 below
    (5, 3, 1, 5, 1),  // total 2
    (6, 2, 1, 6, 0),  // total 1: all below
    (84, 8, 4, 21, 2),  // total 4
    (10, 3, 3, 4, 1),  // total 2
    (4, 1, 2, 2, 0),  // total 0
    (3, 5, 2, 2, 2),  // kernel larger than the image: total 4
  ])
  func samePaddingFollowsTensorFlow(size: Int, kernel: Int, stride: Int, out: Int, top: Int) {
    let g = ConvolutionGeometry(
      inputHeight: size, inputWidth: size + 1, inputChannels: 1, kernelHeight: kernel, kernelWidth: kernel,
      strideHeight: stride, strideWidth: stride, padding: .same)
    #expect(g.outputHeight == out)
    #expect(g.padTop == top)
    let outWidth = (size + 1 + stride - 1) / stride
    #expect(g.outputWidth == outWidth)
    #expect(g.padLeft == max((outWidth - 1) * stride + kernel - size - 1, 0) / 2)
  }

  @Test func validOutputIsCeilingOfRemainingOverStride() {
    let g = ConvolutionGeometry(
      inputHeight: 10, inputWidth: 11, inputChannels: 2, kernelHeight: 3, kernelWidth: 4, strideHeight: 3,
      strideWidth: 2, padding: .valid)
    #expect(g.outputHeight == 3)  // ⌈8/3⌉
    #expect(g.outputWidth == 4)  // ⌈8/2⌉
    #expect(g.padTop == 0 && g.padLeft == 0)
  }

  /// col2im is the adjoint of im2col: ⟨im2col(x), y⟩ = ⟨x, col2im(y)⟩, padding included.
  @Test(arguments: ConvolutionCase.all)
  func patchAccumulationIsTheAdjointOfExtraction(_ c: ConvolutionCase) {
    let random = RandomStream(seed: 17)
    let g = c.geometry
    let batch = 3
    let x = randomMatrix(batch, g.inputCount, random)
    let y = randomMatrix(batch * g.outputPositions, g.patchSize, random)
    var patches = Matrix(rows: batch * g.outputPositions, columns: g.patchSize)
    var back = Matrix(rows: batch, columns: g.inputCount, repeating: .nan)
    x.elements.withUnsafeBufferPointer { xs in
      patches.elements.withUnsafeMutableBufferPointer { p in
        g.extractPatches(from: xs.baseAddress!, batch: batch, into: p.baseAddress!)
      }
    }
    y.elements.withUnsafeBufferPointer { ys in
      back.elements.withUnsafeMutableBufferPointer { b in
        g.accumulatePatchGradients(ys.baseAddress!, batch: batch, into: b.baseAddress!)
      }
    }
    let lhs = zip(patches.elements, y.elements).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    let rhs = zip(x.elements, back.elements).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    #expect(abs(lhs - rhs) < 1e-4 * max(1, abs(lhs)))
  }
}

@Suite struct Conv2DTests {
  @Test(arguments: ConvolutionCase.all)
  func forwardEqualsDirectConvolution(_ c: ConvolutionCase) {
    let random = RandomStream(seed: 29)
    let layer = c.makeLayer(random)
    let x = randomMatrix(3, layer.inputCount, random)
    layer.forward(x)
    let s = directConvolution(x, c.geometry, weight: layer.weight.value, bias: layer.bias?.value.elements)
    let h: [Double] = s.map {
      switch c.activation {
      case .tanh: return tanh($0)
      case .relu: return max(0, $0)
      case .identity: return $0
      }
    }
    #expect(layer.output.rows == 3 && layer.output.columns == c.geometry.outputPositions * c.filters)
    #expect(allApproximatelyEqual(layer.output.elements.map(Double.init), h, relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
  }

  /// Weight, bias and input gradients against central differences of `L = Σ c ⊙ h` (Float forward
  /// passes, step 1e-2, as `DenseGradientTests`).
  @Test(arguments: ConvolutionCase.all)
  func gradientsMatchFiniteDifferences(_ c: ConvolutionCase) {
    let random = RandomStream(seed: 41)
    let layer = c.makeLayer(random)
    let x = randomMatrix(c.batch, layer.inputCount, random)
    let weights = layer.parameters
    let upstream = randomMatrix(c.batch, layer.outputCount, random)

    func loss(parameters flat: [Double], input: [Double]) -> Double {
      var offset = 0
      for p in weights {
        p.value.elements = flat[offset..<(offset + p.count)].map(Float.init)
        offset += p.count
      }
      layer.forward(Matrix(rows: c.batch, columns: layer.inputCount, elements: input.map(Float.init)))
      return zip(layer.output.elements, upstream.elements).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let theta = weights.flattenedValues.map(Double.init)
    let x0 = x.elements.map(Double.init)
    _ = loss(parameters: theta, input: x0)
    layer.backward(upstream)
    let analytic = weights.flattenedGradients.map(Double.init)
    let analyticX = layer.inputGradient.elements.map(Double.init)
    let numeric = numericalGradient(of: { loss(parameters: $0, input: x0) }, at: theta, step: 1e-2)
    let numericX = numericalGradient(of: { loss(parameters: theta, input: $0) }, at: x0, step: 1e-2)
    #expect(maxRelativeError(analytic, numeric) < 2e-3)
    #expect(maxRelativeError(analyticX, numericX) < 2e-3)
    // The check is not vacuous: every parameter gets a gradient, and so does every input that some
    // window reads (strides larger than the kernel skip some).
    #expect(analytic.allSatisfy { $0 != 0 })
    let g = c.geometry
    var read = Set<Int>()
    for oh in 0..<g.outputHeight {
      for ow in 0..<g.outputWidth {
        for i in 0..<g.kernelHeight {
          for j in 0..<g.kernelWidth {
            let y = oh * g.strideHeight - g.padTop + i, z = ow * g.strideWidth - g.padLeft + j
            if y >= 0 && y < g.inputHeight && z >= 0 && z < g.inputWidth { read.insert(y * g.inputWidth + z) }
          }
        }
      }
    }
    let pixel = { (index: Int) in (index % g.inputCount) / g.inputChannels }
    #expect(analyticX.indices.allSatisfy { (analyticX[$0] != 0) == read.contains(pixel($0)) })
  }

  /// ReLU: the derivative mask is applied per position (no pre-activation near a kink for this
  /// seed, checked, so the finite differences are valid).
  @Test func reluGradientsMatchFiniteDifferences() {
    let c = ConvolutionCase(
      height: 4, width: 4, channels: 2, kernel: (2, 2), stride: (2, 2), padding: .valid, filters: 2,
      bias: .stableBaselines, activation: .relu, batch: 1)
    let random = RandomStream(seed: 7)
    let layer = c.makeLayer(random)
    let x = randomMatrix(1, layer.inputCount, random)
    let upstream = randomMatrix(1, layer.outputCount, random)
    let weights = layer.parameters
    func loss(_ flat: [Double]) -> Double {
      var offset = 0
      for p in weights {
        p.value.elements = flat[offset..<(offset + p.count)].map(Float.init)
        offset += p.count
      }
      layer.forward(x)
      return zip(layer.output.elements, upstream.elements).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let theta = weights.flattenedValues.map(Double.init)
    _ = loss(theta)
    let maxInput = x.elements.map { abs(Double($0)) }.max() ?? 0
    #expect(layer.preActivation.elements.allSatisfy { Double(abs($0)) > 1e-2 * max(1, maxInput) })
    #expect(layer.preActivation.elements.contains { $0 < 0 } && layer.preActivation.elements.contains { $0 > 0 })
    layer.backward(upstream, computeInputGradient: false)
    let analytic = weights.flattenedGradients.map(Double.init)
    #expect(maxRelativeError(analytic, numericalGradient(of: loss, at: theta, step: 1e-2)) < 2e-3)
  }

  @Test func gradientModesOverwriteAccumulateAndSkip() {
    let c = ConvolutionCase.all[1]
    let random = RandomStream(seed: 3)
    let layer = c.makeLayer(random)
    let x = randomMatrix(2, layer.inputCount, random)
    let first = randomMatrix(2, layer.outputCount, random)
    let second = randomMatrix(2, layer.outputCount, random)
    layer.forward(x)
    layer.backward(first)
    let g1 = layer.parameters.flattenedGradients
    let dx1 = layer.inputGradient
    layer.backward(first, parameterGradients: .accumulate)
    #expect(allApproximatelyEqual(layer.parameters.flattenedGradients, g1.map { 2 * $0 }, relativeTolerance: 1e-6))
    #expect(layer.inputGradient == dx1)
    layer.backward(second, parameterGradients: .skip)
    #expect(allApproximatelyEqual(layer.parameters.flattenedGradients, g1.map { 2 * $0 }, relativeTolerance: 1e-6))
    // δ and ∂L/∂x follow the new output gradient (identity activation: δ is that gradient).
    #expect(layer.preActivationGradient.elements == second.elements)
    #expect(layer.inputGradient != dx1)
    layer.backward(second, parameterGradients: .overwrite, computeInputGradient: false)
    layer.backward(second, parameterGradients: .skip)
    let overwritten = layer.parameters.flattenedGradients
    layer.backward(second)
    #expect(layer.parameters.flattenedGradients == overwritten)
  }

  /// Chunked im2col products give the results of one chunk (up to the rounding of the chunk-wise
  /// weight-gradient sum), including an uneven last chunk.
  @Test(arguments: [1, 2, 3])
  func chunkingDoesNotChangeResults(imagesPerChunk: Int) {
    var c = ConvolutionCase.all[2]
    c.batch = 5
    let whole = c.makeLayer(RandomStream(seed: 61))
    c.chunk = imagesPerChunk
    let chunked = c.makeLayer(RandomStream(seed: 61))
    #expect(chunked.imagesPerChunk == imagesPerChunk && whole.imagesPerChunk >= 5)
    let random = RandomStream(seed: 62)
    let x = randomMatrix(5, whole.inputCount, random)
    let upstream = randomMatrix(5, whole.outputCount, random)
    var gramians: [Matrix] = []
    for layer in [whole, chunked] {
      layer.forward(x)
      layer.backward(upstream)
      var gramian = Matrix(rows: 0, columns: 0)
      layer.patchGramian(into: &gramian)
      gramians.append(gramian)
    }
    #expect(allApproximatelyEqual(chunked.output.elements, whole.output.elements, relativeTolerance: 1e-6, absoluteTolerance: 1e-6))
    #expect(allApproximatelyEqual(chunked.inputGradient.elements, whole.inputGradient.elements, relativeTolerance: 1e-6, absoluteTolerance: 1e-6))
    #expect(allApproximatelyEqual(chunked.weight.gradient.elements, whole.weight.gradient.elements, relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
    let p = whole.patches
    #expect(allApproximatelyEqual(gramians[1].elements, matmul(p, p, transposeA: .transposed).elements, relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
    #expect(allApproximatelyEqual(gramians[0].elements, gramians[1].elements, relativeTolerance: 1e-5, absoluteTolerance: 1e-5))
  }

  @Test func parametersCarryTheReferenceNamesAndShapes() {
    let g = ConvolutionGeometry(inputHeight: 84, inputWidth: 84, inputChannels: 4, kernelSize: 8, stride: 4, padding: .valid)
    let sb2 = Conv2D(geometry: g, filters: 32, bias: .stableBaselines, activation: .relu, scope: "model/c1")
    #expect(sb2.parameters.map(\.name) == ["model/c1/w:0", "model/c1/b:0"])
    #expect(sb2.parameters.map(\.shape) == [[8, 8, 4, 32], [1, 32, 1, 1]])
    #expect(sb2.weight.value.rows == 256 && sb2.weight.value.columns == 32)
    let oab = Conv2D(geometry: g, filters: 32, bias: .oneDimensional, activation: .relu, scope: "model/c1")
    #expect(oab.parameters.map(\.shape) == [[8, 8, 4, 32], [32]])
    let bare = Conv2D(geometry: g, filters: 32, bias: .none, activation: .relu, scope: "model/c1")
    #expect(bare.parameters.map(\.name) == ["model/c1/w:0"])
  }

  /// `ortho_init` on the flat `(kh·kw·c_in, c_out)` shape: orthonormal columns (or rows) times the
  /// gain; the bias starts at zero.
  @Test(arguments: [(8, 4, 32), (3, 64, 64), (1, 4, 16), (2, 3, 16)])
  func orthogonalInitializationOfTheFlatKernel(kernel: Int, channels: Int, filters: Int) {
    let layer = Conv2D(
      inputHeight: 9, inputWidth: 9, inputChannels: channels, filters: filters, kernelSize: kernel, stride: 1,
      activation: .relu, scope: "model/c")
    layer.bias?.value = Matrix(rows: 1, columns: filters, repeating: 5)
    let gain = Float(2).squareRoot()
    layer.initialize(gain: gain, using: RandomStream(seed: 9))
    let w = layer.weight.value
    let columns = w.rows >= w.columns
    let gram = columns ? matmul(w, w, transposeA: .transposed) : matmul(w, w, transposeB: .transposed)
    #expect(gram.rows == min(w.rows, w.columns))
    for i in 0..<gram.rows {
      for j in 0..<gram.columns { #expect(abs(gram[i, j] - (i == j ? 2 : 0)) < 1e-4) }
    }
    #expect(layer.bias?.value.elements.allSatisfy { $0 == 0 } == true)
  }

  /// A convolution feeds a dense layer through the shared `(h, w, c)` row layout, and the
  /// chained input gradient matches finite differences.
  @Test func convolutionFeedsDenseInConvToFCOrder() {
    let random = RandomStream(seed: 23)
    let conv = Conv2D(
      inputHeight: 6, inputWidth: 6, inputChannels: 2, filters: 3, kernelSize: 3, stride: 2, padding: .same,
      activation: .tanh, scope: "model/c1")
    conv.initialize(gain: 1, using: random)
    let dense = Dense(inputs: conv.outputCount, outputs: 2, activation: .identity, scope: "model/fc")
    dense.initialize(gain: 1, using: random)
    let x = randomMatrix(2, conv.inputCount, random)
    let upstream = randomMatrix(2, 2, random)
    func loss(_ input: [Double]) -> Double {
      conv.forward(Matrix(rows: 2, columns: conv.inputCount, elements: input.map(Float.init)))
      dense.forward(conv.output)
      return zip(dense.output.elements, upstream.elements).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let x0 = x.elements.map(Double.init)
    _ = loss(x0)
    // conv_to_fc: feature (oh·Ow + ow)·c_out + f of a sample is its pre-activation row oh·Ow + ow.
    #expect(conv.output[1, (1 * 3 + 2) * 3 + 1] == fastTanh(conv.preActivation[1 * 9 + 1 * 3 + 2, 1]))
    dense.backward(upstream)
    conv.backward(dense.inputGradient)
    let numeric = numericalGradient(of: loss, at: x0, step: 1e-2)
    #expect(maxRelativeError(conv.inputGradient.elements.map(Double.init), numeric) < 2e-3)
  }
}

@Suite struct ActivationDerivativeTests {
  /// The one-pass `δ = g ⊙ φ'(s)` the convolution uses is bit-identical to copying `g` and
  /// multiplying in place (what ``Dense`` does), kinks, zeros and NaN included.
  @Test(arguments: Activation.allCases)
  func derivativeProductEqualsCopyThenMultiply(activation: Activation) {
    let random = RandomStream(seed: 5)
    var s = (0..<64).map { _ in Float(random.gaussian(sigma: 2)) }
    s[0] = 0
    s[1] = -0.0
    s[2] = .nan
    var h = [Float](repeating: 0, count: 64)
    activation.apply(s, &h, count: 64)
    let g = (0..<64).map { _ in Float(random.gaussian()) }
    var reference = g
    activation.multiplyByDerivative(&reference, preActivation: s, output: h, count: 64)
    var delta = [Float](repeating: 1, count: 64)
    activation.writeDerivativeProduct(g, preActivation: s, output: h, into: &delta, count: 64)
    #expect(delta.map(\.bitPattern) == reference.map(\.bitPattern))
  }
}

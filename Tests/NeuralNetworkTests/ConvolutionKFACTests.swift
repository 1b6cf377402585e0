import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing
import _TestSupport

// MARK: - Helpers

private func gaussianMatrix(_ rows: Int, _ columns: Int, _ random: RandomStream, sigma: Double = 1) -> Matrix {
  Matrix(
    rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in Float(random.gaussian(sigma: sigma)) })
}

/// The patch of output position `(oh, ow)` of image `b`, read straight from the image with nested
/// loops in TensorFlow `extract_image_patches` order `(i, j, c)`, zeros outside.
private func bruteForcePatch(_ x: Matrix, _ b: Int, _ oh: Int, _ ow: Int, _ g: ConvolutionGeometry) -> [Double] {
  var patch: [Double] = []
  for i in 0..<g.kernelHeight {
    for j in 0..<g.kernelWidth {
      for c in 0..<g.inputChannels {
        let y = oh * g.strideHeight - g.padTop + i
        let z = ow * g.strideWidth - g.padLeft + j
        let inside = y >= 0 && y < g.inputHeight && z >= 0 && z < g.inputWidth
        patch.append(inside ? Double(x[b, (y * g.inputWidth + z) * g.inputChannels + c]) : 0)
      }
    }
  }
  return patch
}

private func addOuterProduct(_ v: [Double], scale: Double, to m: inout [Double]) {
  let n = v.count
  for i in 0..<n { for j in 0..<n { m[i * n + j] += scale * v[i] * v[j] } }
}

/// Row-major `[m, k] · [k, n]` in `Double`.
private func multiply(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
  var c = [Double](repeating: 0, count: m * n)
  for i in 0..<m {
    for l in 0..<k {
      let x = a[i * k + l]
      for j in 0..<n { c[i * n + j] += x * b[l * n + j] }
    }
  }
  return c
}

private func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

/// One update in the documented order: forward, sampled-Fisher backward (`.skip`), capture, loss
/// backward (`.overwrite`), step.
private func update(
  _ layer: Conv2D, _ kfac: KFAC, _ random: RandomStream, batch: Int, learningRate: Float = 0.05
) throws -> KFAC.StepReport {
  layer.forward(gaussianMatrix(batch, layer.inputCount, random))
  layer.backward(
    gaussianMatrix(batch, layer.outputCount, random, sigma: 1 / Double(batch)), parameterGradients: .skip,
    computeInputGradient: false)
  kfac.captureStatistics()
  layer.backward(
    gaussianMatrix(batch, layer.outputCount, random, sigma: 0.1), parameterGradients: .overwrite,
    computeInputGradient: false)
  return try kfac.step(learningRate: learningRate)
}

// MARK: - Tests

@Suite struct ConvolutionKFACTests {
  /// The factors equal a per-patch brute force over samples and positions, in the forms of
  /// algorithms.md §3.4 (per-sample output gradients `g_{i,t} = B·δ_{i,t}`):
  /// `A = (1/(B·P²)) Σ p pᵀ`, `G = (P/B) Σ g gᵀ`, G-only bias `(1/B) Σ_i (Σ_t g)(Σ_t g)ᵀ`.
  @Test(arguments: [ConvolutionPadding.valid, .same])
  func factorsMatchPerPatchBruteForce(padding: ConvolutionPadding) throws {
    let random = RandomStream(seed: 13)
    let geometry = ConvolutionGeometry(
      inputHeight: 6, inputWidth: 5, inputChannels: 2, kernelHeight: 3, kernelWidth: 2, strideHeight: 2,
      strideWidth: 1, padding: padding)
    let layer = Conv2D(
      geometry: geometry, filters: 3, bias: .oneDimensional, activation: .identity, scope: "model/c1",
      imagesPerChunk: 3)
    layer.initialize(gain: 1, using: random)
    let block = ConvolutionKroneckerBlock(layer: layer)
    #expect(block.biasTreatment == .gOnlySpatialSum)
    #expect(block.factors.map(\.name) == ["model/c1/w:0/A", "model/c1/w:0/G", "model/c1/b:0/G"])

    let batch = 4
    let positions = geometry.outputPositions
    let x = gaussianMatrix(batch, layer.inputCount, random)
    let perSample = gaussianMatrix(batch, layer.outputCount, random)  // g = ∂ℓ_i/∂s_{i,t}
    var delta = perSample  // δ = g/B, the gradient of the batch-mean loss
    for i in delta.elements.indices { delta.elements[i] /= Float(batch) }
    layer.forward(x)
    layer.backward(delta, parameterGradients: .skip, computeInputGradient: false)
    block.captureBatchCovariances()

    let k = geometry.patchSize, n = 3
    var a = [Double](repeating: 0, count: k * k)
    var g = [Double](repeating: 0, count: n * n)
    var gb = [Double](repeating: 0, count: n * n)
    let b = Double(batch), p = Double(positions)
    for i in 0..<batch {
      var spatialSum = [Double](repeating: 0, count: n)
      for oh in 0..<geometry.outputHeight {
        for ow in 0..<geometry.outputWidth {
          let t = oh * geometry.outputWidth + ow
          addOuterProduct(bruteForcePatch(x, i, oh, ow, geometry), scale: 1 / (b * p * p), to: &a)
          let gradient = (0..<n).map { Double(perSample[i, t * n + $0]) }
          addOuterProduct(gradient, scale: p / b, to: &g)
          for f in 0..<n { spatialSum[f] += gradient[f] }
        }
      }
      addOuterProduct(spatialSum, scale: 1 / b, to: &gb)
    }
    #expect(allApproximatelyEqual(block.activationFactor.batchCovariance, a, relativeTolerance: 1e-5, absoluteTolerance: 1e-7))
    #expect(allApproximatelyEqual(block.outputGradientFactor.batchCovariance, g, relativeTolerance: 1e-5, absoluteTolerance: 1e-6))
    let biasFactor = try #require(block.biasFactor)
    #expect(allApproximatelyEqual(biasFactor.batchCovariance, gb, relativeTolerance: 1e-5, absoluteTolerance: 1e-6))
    // Not vacuous: the patch factor has padding zeros only where SAME pads.
    #expect(a.allSatisfy { $0.isFinite } && a[0] > 0)
  }

  /// stable-baselines' `[1, c_out, 1, 1]` bias gets no factor (its raw gradient is used); a layer
  /// without bias gets only the kernel's factors; the default can be overridden.
  @Test func biasTreatmentFollowsTheReferenceGraphSearch() throws {
    let geometry = ConvolutionGeometry(inputHeight: 5, inputWidth: 5, inputChannels: 1, kernelSize: 3, stride: 1, padding: .valid)
    let sb2 = Conv2D(geometry: geometry, filters: 2, bias: .stableBaselines, activation: .relu, scope: "model/c1")
    let block = try #require(sb2.makeKroneckerBlock() as? ConvolutionKroneckerBlock)
    #expect(block.biasTreatment == .unfactored && block.biasFactor == nil)
    #expect(block.factoredParameters.map(\.parameter.name) == ["model/c1/w:0"])
    #expect(block.factors.map(\.name) == ["model/c1/w:0/A", "model/c1/w:0/G"])
    let bare = Conv2D(geometry: geometry, filters: 2, bias: .none, activation: .relu, scope: "model/c2")
    #expect(ConvolutionKroneckerBlock(layer: bare).biasTreatment == nil)
    let overridden = ConvolutionKroneckerBlock(layer: sb2, biasTreatment: .gOnlySpatialSum)
    #expect(overridden.factoredParameters.map(\.parameter.name) == ["model/c1/w:0", "model/c1/b:0"])
  }

  /// Without eigenvalue clipping the preconditioned kernel gradient solves `A X G + ε X = g`
  /// (X laid out `[kh·kw·c_in, c_out]`), a G-only bias solves `x G + ε x = g_b`, and an unfactored
  /// bias keeps its raw gradient; with the single-precision solver and preconditioning to float32
  /// accuracy.
  @Test(arguments: [Conv2D.Bias.stableBaselines, .oneDimensional], KFAC.EigenSolver.allCases)
  func preconditionerSolvesTheDampedKroneckerSystem(bias: Conv2D.Bias, solver: KFAC.EigenSolver) throws {
    let random = RandomStream(seed: 19)
    let layer = Conv2D(
      geometry: ConvolutionGeometry(
        inputHeight: 6, inputWidth: 7, inputChannels: 2, kernelHeight: 2, kernelWidth: 3, strideHeight: 2,
        strideWidth: 2, padding: .same),
      filters: 3, bias: bias, activation: .relu, scope: "model/c1")
    layer.initialize(gain: 1, using: random)
    var configuration = KFAC.Configuration.reference
    configuration.eigenvalueClip = 0
    configuration.eigenSolver = solver
    let tolerance = solver == .double ? 1e-5 : 1e-4
    let block = ConvolutionKroneckerBlock(layer: layer)
    let kfac = try KFAC(parameters: layer.parameters, blocks: [.custom(block)], configuration: configuration)
    for _ in 1...10 { _ = try update(layer, kfac, random, batch: 6) }
    #expect(kfac.factorStep == 1)

    let a = block.activationFactor, g = block.outputGradientFactor
    for factor in block.factors { #expect(factor.eigenvalues.allSatisfy { $0 > 0 }, "\(factor.name)") }
    let k = a.dimension, n = g.dimension
    layer.weight.gradient = gaussianMatrix(k, n, random)
    let x = kfac.preconditionedGradient(of: layer.weight).map(Double.init)
    let axg = multiply(multiply(a.statistics, x, k, k, n), g.statistics, k, n, n)
    let residual = zip(zip(axg, x), layer.weight.gradient.elements).map {
      $0.0 + kfac.configuration.damping * $0.1 - Double($1)
    }
    let gradient = layer.weight.gradient.elements.map(Double.init)
    #expect(norm(residual) / norm(gradient) < tolerance, "\(norm(residual) / norm(gradient))")
    // Not the identity.
    #expect(norm(zip(x, gradient).map { $0 - $1 }) > 0.1 * norm(gradient))

    let biasParameter = try #require(layer.bias)
    biasParameter.gradient = gaussianMatrix(1, n, random)
    let xb = kfac.preconditionedGradient(of: biasParameter).map(Double.init)
    if let gb = block.biasFactor {
      let lhs = zip(multiply(xb, gb.statistics, 1, n, n), xb).map { $0 + kfac.configuration.damping * $1 }
      let rhs = biasParameter.gradient.elements.map(Double.init)
      #expect(norm(zip(lhs, rhs).map { $0 - $1 }) / norm(rhs) < tolerance)
    } else {
      #expect(xb == biasParameter.gradient.elements.map(Double.init))
    }
  }

  /// A whole ACKTR run over conv → dense (cold start, first decompositions, K-FAC steps) runs, moves
  /// the parameters, and is bit-for-bit deterministic, with either solver.
  @Test(arguments: KFAC.EigenSolver.allCases)
  func convolutionThenDenseNetworkStepsDeterministically(solver: KFAC.EigenSolver) throws {
    func run() throws -> (parameters: [Float], reports: [KFAC.StepReport]) {
      let random = RandomStream(seed: 101)
      let conv = Conv2D(
        inputHeight: 8, inputWidth: 8, inputChannels: 2, filters: 4, kernelSize: 3, stride: 2, padding: .same,
        activation: .relu, scope: "model/c1")
      conv.initialize(gain: Float(2).squareRoot(), using: random)
      let head = Dense(inputs: conv.outputCount, outputs: 3, activation: .identity, scope: "model/pi")
      head.initialize(gain: 0.01, using: random)
      let parameters = conv.parameters + head.parameters
      let layers: [any Layer] = [conv, head]
      let blocks: [KFAC.Block] = try layers.map { .custom(try #require($0.makeKroneckerBlock())) }
      var configuration = KFAC.Configuration.reference
      configuration.eigenSolver = solver
      let kfac = try KFAC(parameters: parameters, blocks: blocks, configuration: configuration)
      var reports: [KFAC.StepReport] = []
      let initial = parameters.flattenedValues
      for _ in 1...13 {
        let batch = 5
        conv.forward(gaussianMatrix(batch, conv.inputCount, random))
        head.forward(conv.output)
        head.backward(gaussianMatrix(batch, 3, random, sigma: 1 / Double(batch)), parameterGradients: .skip)
        conv.backward(head.inputGradient, parameterGradients: .skip, computeInputGradient: false)
        kfac.captureStatistics()
        head.backward(gaussianMatrix(batch, 3, random, sigma: 0.2), parameterGradients: .overwrite)
        conv.backward(head.inputGradient, parameterGradients: .overwrite, computeInputGradient: false)
        reports.append(try kfac.step(learningRate: 0.25))
      }
      #expect(parameters.flattenedValues != initial)
      #expect(kfac.factors.count == 5)  // conv A, G (SB2 bias unfactored); dense A, G, G_b
      return (parameters.flattenedValues, reports)
    }
    let first = try run()
    let second = try run()
    #expect(first.parameters.allSatisfy { $0.isFinite })
    #expect(first.parameters.map(\.bitPattern) == second.parameters.map(\.bitPattern))
    #expect(first.reports == second.reports)
    #expect(first.reports.last?.kfacStepTaken == true && first.reports.last?.preconditioned == true)
  }
}

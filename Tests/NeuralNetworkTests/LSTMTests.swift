import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing
import _TestSupport

private func randomMatrix(_ rows: Int, _ columns: Int, _ random: RandomStream, scale: Double = 1) -> Matrix {
  Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in Float(random.gaussian(sigma: scale)) })
}

/// Two sequences of four steps; sequence 0 resets before step 2 (an episode began there), sequence 1
/// before step 0 (the initial state is discarded) and step 3.
private let sequences = 2, steps = 4
private let masks: [Float] = [0, 0, 1, 0, 1, 0, 0, 1]

private func makeLayer(layerNormalized: Bool, random: RandomStream) -> LSTM {
  let layer = LSTM(inputs: 3, units: 5, layerNormalized: layerNormalized, scope: "model/lstm1")
  layer.initialize(gain: 1, using: random)
  // Non-trivial biases and layer-norm parameters, so every term of the backward pass is exercised.
  for p in [layer.bias] + layer.normalizationParameters {
    let base: Float = p.name.contains("/g") ? 1 : 0
    p.value.elements = p.value.elements.map { _ in base + Float(random.gaussian(sigma: 0.3)) }
  }
  return layer
}

@Suite struct LSTMTests {
  @Test(arguments: [false, true])
  func gradientsThroughTimeMatchFiniteDifferences(layerNormalized: Bool) {
    let random = RandomStream(seed: 21)
    let layer = makeLayer(layerNormalized: layerNormalized, random: random)
    let x = randomMatrix(sequences * steps, 3, random)
    let state = randomMatrix(sequences, 10, random, scale: 0.5)
    let c = randomMatrix(sequences * steps, 5, random)
    let params = layer.parameters

    func loss(_ theta: [Double], _ input: [Double]) -> Double {
      var offset = 0
      for p in params {
        p.value.elements = theta[offset..<(offset + p.count)].map(Float.init)
        offset += p.count
      }
      layer.forward(
        Matrix(rows: x.rows, columns: 3, elements: input.map(Float.init)), initialState: state, masks: masks, steps: steps)
      return zip(layer.output.elements, c.elements).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let theta = params.flattenedValues.map(Double.init)
    let x0 = x.elements.map(Double.init)
    _ = loss(theta, x0)
    layer.backward(c, parameterGradients: .overwrite, computeInputGradient: true)
    let analytic = params.flattenedGradients.map(Double.init)
    let analyticX = layer.inputGradient.elements.map(Double.init)
    // Float32 forward passes. The layer norms curve more sharply (1/σ of a 20-wide row), so their
    // quotient needs a smaller step (1e-2 leaves a truncation error near 1e-2, 1e-3 below 1e-3).
    let h = layerNormalized ? 1e-3 : 1e-2
    let numeric = numericalGradient(of: { loss($0, x0) }, at: theta, step: h)
    let numericX = numericalGradient(of: { loss(theta, $0) }, at: x0, step: h)
    #expect(maxRelativeError(analytic, numeric) < 2e-3)
    #expect(maxRelativeError(analyticX, numericX) < 2e-3)
    // Every parameter receives gradient (the check is not vacuous).
    for p in params { #expect(p.gradient.elements.contains { abs($0) > 1e-4 }, "\(p.name)") }
  }

  @Test(arguments: [false, true])
  func aMaskResetsTheStateBeforeItsStep(layerNormalized: Bool) {
    let random = RandomStream(seed: 5)
    let layer = makeLayer(layerNormalized: layerNormalized, random: random)
    let x = randomMatrix(4, 3, random)
    let state = randomMatrix(1, 10, random)
    // One sequence of 4 steps with a reset before step 2 …
    layer.forward(x, initialState: state, masks: [0, 0, 1, 0], steps: 4)
    let withReset = layer.output
    // … equals a fresh 2-step unroll from the zero state on the last two inputs.
    let tail = Matrix(rows: 2, columns: 3, elements: Array(x.elements[6...]))
    layer.forward(tail, initialState: Matrix(rows: 1, columns: 10), masks: [0, 0], steps: 2)
    #expect(Array(withReset.elements[10...]) == layer.output.elements)
    // Without the reset the state carries over, so the outputs differ.
    layer.forward(x, initialState: state, masks: [0, 0, 0, 0], steps: 4)
    #expect(Array(layer.output.elements[10...]) != Array(withReset.elements[10...]))
  }

  @Test(arguments: [false, true])
  func unrollingInOneCallEqualsStepping(layerNormalized: Bool) {
    // The rollout steps the layer one step at a time and carries the final state; training
    // unrolls all steps at once. Both must agree.
    let random = RandomStream(seed: 8)
    let layer = makeLayer(layerNormalized: layerNormalized, random: random)
    let x = randomMatrix(sequences * steps, 3, random)
    let state = randomMatrix(sequences, 10, random)
    layer.forward(x, initialState: state, masks: masks, steps: steps)
    let unrolled = layer.output, unrolledState = layer.finalState
    var carried = state
    for t in 0..<steps {
      let rows = (0..<sequences).flatMap { e in x.row(e * steps + t) }
      layer.forward(
        Matrix(rows: sequences, columns: 3, elements: rows), initialState: carried,
        masks: (0..<sequences).map { masks[$0 * steps + t] }, steps: 1)
      for e in 0..<sequences {
        let expected = unrolled.row(e * steps + t)
        for (a, b) in zip(layer.output.row(e), expected) { #expect(abs(a - b) <= 1e-6 * max(1, abs(b))) }
      }
      carried = layer.finalState
    }
    for (a, b) in zip(carried.elements, unrolledState.elements) { #expect(abs(a - b) <= 1e-6 * max(1, abs(b))) }
  }

  @Test func initialisationIsStableBaselines() {
    let layer = LSTM(inputs: 6, units: 4, layerNormalized: true, scope: "model/lstm1")
    layer.initialize(gain: 1, using: RandomStream(seed: 1))
    #expect(layer.parameters.map(\.name) == [
      "model/lstm1/wx:0", "model/lstm1/wh:0", "model/lstm1/b:0", "model/lstm1/gx:0", "model/lstm1/bx:0",
      "model/lstm1/gh:0", "model/lstm1/bh:0", "model/lstm1/gc:0", "model/lstm1/bc:0",
    ])
    #expect(layer.parameters.map(\.shape) == [[6, 16], [4, 16], [16], [16], [16], [16], [16], [4], [4]])
    // W_x [6, 16] has orthonormal rows, W_h [4, 16] too (gain 1).
    for w in [layer.inputWeight, layer.hiddenWeight] {
      let gram = matmul(w.value, w.value, transposeB: .transposed)
      for i in 0..<gram.rows { for j in 0..<gram.columns { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-5) } }
    }
    #expect(layer.bias.value.elements.allSatisfy { $0 == 0 })
    #expect(layer.normalizationParameters.map { $0.value.elements[0] } == [1, 0, 1, 0, 1, 0])
  }

  @Test func kroneckerBlockStacksEveryUnrolledStep() {
    let random = RandomStream(seed: 2)
    let layer = makeLayer(layerNormalized: false, random: random)
    let x = randomMatrix(sequences * steps, 3, random)
    layer.forward(x, initialState: randomMatrix(sequences, 10, random), masks: masks, steps: steps)
    layer.backward(randomMatrix(sequences * steps, 5, random), parameterGradients: .skip, computeInputGradient: false)
    let block = LSTMKroneckerBlock(layer: layer)
    block.captureBatchCovariances()
    // A of W_x = (1/(E·T)) Σ over all 8 stacked inputs.
    let b = Double(sequences * steps)
    let a = block.factors[0].batchCovariance
    for i in 0..<3 {
      for j in 0..<3 {
        let expected = (0..<x.rows).reduce(0.0) { $0 + Double(x[$1, i]) * Double(x[$1, j]) } / b
        #expect(abs(a[i * 3 + j] - expected) < 1e-5)
      }
    }
    // G of b = B·dsᵀds over the 8 rows; the plain cell shares it with W_x and W_h.
    let ds = layer.gateGradient
    let g = block.factors[4].batchCovariance
    let expected00 = (0..<ds.rows).reduce(0.0) { $0 + Double(ds[$1, 0]) * Double(ds[$1, 0]) } * b
    #expect(abs(g[0] - expected00) < 1e-4 * max(1, abs(expected00)))
    #expect(block.factors[1].batchCovariance == g && block.factors[3].batchCovariance == g)
    #expect(block.factoredParameters.map(\.parameter.name) == ["model/lstm1/wx:0", "model/lstm1/wh:0", "model/lstm1/b:0"])
  }
}

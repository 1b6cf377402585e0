import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing

/// conv 3 3×3/1 → conv 4 2×2/2 → fc 5 on 6×6×2 images, initialised from `seed`.
private func smallStack(seed: UInt32) -> LayerStack {
  let random = RandomStream(seed: seed)
  let c1 = Conv2D(inputHeight: 6, inputWidth: 6, inputChannels: 2, filters: 3, kernelSize: 3, stride: 1, activation: .relu, scope: "c1")
  let c2 = Conv2D(inputHeight: 4, inputWidth: 4, inputChannels: 3, filters: 4, kernelSize: 2, stride: 2, activation: .relu, scope: "c2")
  let fc = Dense(inputs: 16, outputs: 5, activation: .relu, scope: "fc1")
  let layers: [any Layer] = [c1, c2, fc]
  for layer in layers { layer.initialize(gain: 1.4, using: random) }
  return LayerStack(inputCount: 72, layers: layers)
}

/// `rows` of `x` as a new matrix.
private func rows(_ x: Matrix, _ indices: [Int]) -> Matrix {
  Matrix(rows: indices.count, columns: x.columns, elements: indices.flatMap { x.row($0) })
}

private func maxRelativeDifference(_ a: [Float], _ b: [Float]) -> Float {
  let scale = max(b.map(abs).max() ?? 0, 1e-30)
  return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

@Suite struct ForwardPassRecordingTests {
  /// E = 3 environments, T = 4 steps: recording each step's forward pass and installing it leaves
  /// the layers as a forward pass over the env-major batch (row env·T + t) does — the inputs copied
  /// exactly, the activations to float rounding — and back-propagation through the installed
  /// activations gives the batch's gradients.
  @Test func installedActivationsAreTheBatchForwardPass() {
    let E = 3, T = 4
    let random = RandomStream(seed: 5)
    let batch = Matrix(rows: E * T, columns: 72, elements: (0..<(E * T * 72)).map { _ in Float(random.uniform()) })
    let gradient = Matrix(rows: E * T, columns: 5, elements: (0..<(E * T * 5)).map { _ in Float(random.gaussian(sigma: 1)) })

    let reference = smallStack(seed: 9)
    reference.forward(batch)
    reference.backward(gradient, parameterGradients: .overwrite)

    let stack = smallStack(seed: 9)
    let recording = ForwardPassRecording(stack: stack, environments: E, steps: T)!
    for t in 0..<T {
      stack.forward(rows(batch, (0..<E).map { $0 * T + t }))
      recording.record(step: t)
    }
    #expect(recording.isComplete)
    recording.install()
    #expect(!recording.isComplete && recording.installCount == 1)
    stack.backward(gradient, parameterGradients: .overwrite)

    for (layer, expected) in zip(stack.layers, reference.layers) {
      let state = (layer as! any ForwardStateExchanging).forwardState
      let want = (expected as! any ForwardStateExchanging).forwardState
      #expect(state.input == want.input)
      #expect(state.output.rows == want.output.rows && state.preActivation.rows == want.preActivation.rows)
      #expect(maxRelativeDifference(state.output.elements, want.output.elements) < 1e-6)
      #expect(maxRelativeDifference(state.preActivation.elements, want.preActivation.elements) < 1e-6)
    }
    for (p, q) in zip(stack.parameters, reference.parameters) {
      #expect(maxRelativeDifference(p.gradient.elements, q.gradient.elements) < 1e-5, "\(p.name)")
    }
  }

  /// A step out of order or a batch of another size breaks the recording until the next step 0;
  /// an MLP-free empty stack has nothing to record.
  @Test func brokenRecordingsAreNotInstalled() {
    let E = 2, T = 3
    let stack = smallStack(seed: 1)
    let recording = ForwardPassRecording(stack: stack, environments: E, steps: T)!
    let step = Matrix(rows: E, columns: 72, repeating: 0.5)
    stack.forward(step)
    recording.record(step: 0)
    recording.record(step: 2)
    recording.record(step: 1)
    #expect(!recording.isComplete)
    for t in 0..<T {
      stack.forward(t == 1 ? Matrix(rows: E + 1, columns: 72, repeating: 0.5) : step)
      recording.record(step: t)
    }
    #expect(!recording.isComplete)
    for t in 0..<T {
      stack.forward(step)
      recording.record(step: t)
    }
    #expect(recording.isComplete)
    #expect(recording.byteCount == E * T * (72 + 2 * 48 + 48 + 2 * 16 + 16 + 2 * 5) * 4)
    #expect(ForwardPassRecording(stack: LayerStack(inputCount: 4, layers: []), environments: E, steps: T) == nil)
  }
}

import LinearAlgebra

/// A fully connected layer `h = φ(s)`, `s = a·W + b`, with an explicit backward pass.
///
/// `W` is `[inputs, outputs]` and the bias is added with a plain addition, as stable-baselines'
/// `linear` does (algorithms.md §1.4; this matters for K-FAC, §3.3).
///
/// The layer keeps, for the last batch, what K-FAC reads (Martens & Grosse 2015,
/// [arXiv:1503.05671](https://arxiv.org/abs/1503.05671)): the layer ``input`` `a` and, after
/// ``backward(_:parameterGradients:)``, the ``preActivationGradient`` `δ = ∂L/∂s`.
/// All buffers are reused between calls, so steady-state training does not allocate.
public final class Dense {
  /// Number of inputs.
  public let inputCount: Int
  /// Number of outputs.
  public let outputCount: Int
  /// The nonlinearity φ.
  public let activation: Activation
  /// The weight `W`, `[inputs, outputs]`, named `<scope>/w:0`.
  public let weight: Parameter
  /// The bias `b`, stored `[1, outputs]`, named `<scope>/b:0`.
  public let bias: Parameter

  /// The last input batch `a`, `[B, inputs]`.
  public internal(set) var input: Matrix
  /// The last pre-activation `s = a·W + b`, `[B, outputs]`.
  public internal(set) var preActivation: Matrix
  /// The last output `h = φ(s)`, `[B, outputs]`.
  public internal(set) var output: Matrix
  /// `δ = ∂L/∂s` from the last backward pass, `[B, outputs]`.
  public private(set) var preActivationGradient: Matrix
  /// `∂L/∂a` from the last backward pass, `[B, inputs]`.
  public private(set) var inputGradient: Matrix

  /// Creates a layer with zero parameters under the variable scope `scope` (e.g. `model/pi_fc0`).
  public init(inputs: Int, outputs: Int, activation: Activation, scope: String) {
    precondition(inputs > 0 && outputs > 0, "a dense layer needs positive sizes, got \(inputs)→\(outputs)")
    inputCount = inputs
    outputCount = outputs
    self.activation = activation
    weight = Parameter(name: "\(scope)/w:0", shape: [inputs, outputs], rows: inputs, columns: outputs)
    bias = Parameter(name: "\(scope)/b:0", shape: [outputs], rows: 1, columns: outputs)
    input = Matrix(rows: 0, columns: inputs)
    preActivation = Matrix(rows: 0, columns: outputs)
    output = Matrix(rows: 0, columns: outputs)
    preActivationGradient = Matrix(rows: 0, columns: outputs)
    inputGradient = Matrix(rows: 0, columns: inputs)
  }

  /// The layer's parameters, weight first.
  public var parameters: [Parameter] { [weight, bias] }

  /// Computes `h = φ(a·W + b)` for a batch; the result is ``output``.
  public func forward(_ a: Matrix) {
    precondition(a.columns == inputCount, "dense layer expects \(inputCount) inputs, got \(a.columns)")
    let batch = a.rows
    input.reshape(rows: batch, columns: inputCount)
    input.elements.withUnsafeMutableBufferPointer { dst in
      a.elements.withUnsafeBufferPointer { src in _ = dst.update(fromContentsOf: src) }
    }
    forwardFromStoredInput(batch: batch)
  }

  /// Forward pass reading the input from another layer's output without an intermediate copy.
  public func forward(from previous: Dense) { forward(previous.output) }

  private func forwardFromStoredInput(batch: Int) {
    preActivation.reshape(rows: batch, columns: outputCount)
    output.reshape(rows: batch, columns: outputCount)
    // s ← 1·bᵀ, then s ← a·W + s.
    let n = outputCount
    preActivation.elements.withUnsafeMutableBufferPointer { s in
      bias.value.elements.withUnsafeBufferPointer { b in
        for row in 0..<batch { (s.baseAddress! + row * n).update(from: b.baseAddress!, count: n) }
      }
    }
    gemm(input, weight.value, into: &preActivation, beta: 1)
    let count = batch * n
    let activation = self.activation
    preActivation.elements.withUnsafeBufferPointer { s in
      output.elements.withUnsafeMutableBufferPointer { h in
        activation.apply(s.baseAddress!, h.baseAddress!, count: count)
      }
    }
  }

  /// Back-propagates `∂L/∂h` through the layer.
  ///
  /// ```
  /// δ = ∂L/∂h ⊙ φ'(s);   ∂L/∂W = aᵀδ;   ∂L/∂b = Σ_rows δ;   ∂L/∂a = δ·Wᵀ
  /// ```
  /// - Parameters:
  ///   - outputGradient: `∂L/∂h`, `[B, outputs]`, for the batch of the last ``forward(_:)``.
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
    preActivationGradient.reshape(rows: batch, columns: outputCount)
    let count = batch * outputCount
    let activation = self.activation
    preActivationGradient.elements.withUnsafeMutableBufferPointer { d in
      outputGradient.elements.withUnsafeBufferPointer { g in
        d.baseAddress!.update(from: g.baseAddress!, count: count)
      }
      preActivation.elements.withUnsafeBufferPointer { s in
        output.elements.withUnsafeBufferPointer { h in
          activation.multiplyByDerivative(d.baseAddress!, preActivation: s.baseAddress!, output: h.baseAddress!, count: count)
        }
      }
    }
    if parameterGradients != .skip {
      let beta: Float = parameterGradients == .accumulate ? 1 : 0
      gemm(input, preActivationGradient, into: &weight.gradient, transposeA: .transposed, beta: beta)
      let n = outputCount
      bias.gradient.elements.withUnsafeMutableBufferPointer { gb in
        if beta == 0 { gb.update(repeating: 0) }
        preActivationGradient.elements.withUnsafeBufferPointer { d in
          for row in 0..<batch {
            let base = row * n
            for j in 0..<n { gb[j] += d[base + j] }
          }
        }
      }
    }
    if computeInputGradient {
      inputGradient.reshape(rows: batch, columns: inputCount)
      gemm(preActivationGradient, weight.value, into: &inputGradient, transposeB: .transposed)
    }
  }
}

/// What a backward pass does with parameter gradients.
public enum GradientMode: Sendable {
  /// Replace the stored gradients.
  case overwrite
  /// Add to the stored gradients (for layers that receive gradient from several losses).
  case accumulate
  /// Leave the stored gradients untouched (e.g. K-FAC's sampled-Fisher pass, which needs only δ).
  case skip
}

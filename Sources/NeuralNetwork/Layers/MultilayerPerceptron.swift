import LinearAlgebra

/// A stack of ``Dense`` layers applied in order: `h_L = φ_L(… φ_1(x·W_1 + b_1) …)`.
public final class MultilayerPerceptron {
  /// The layers, input first.
  public let layers: [Dense]
  /// Number of inputs.
  public let inputCount: Int

  /// Builds layers of the given widths, all with `activation`, named `<scopePrefix><index>`
  /// (stable-baselines: `model/pi_fc0`, `model/pi_fc1`, …).
  public init(inputs: Int, hiddenSizes: [Int], activation: Activation, scopePrefix: String) {
    inputCount = inputs
    var layers: [Dense] = []
    var width = inputs
    for (index, size) in hiddenSizes.enumerated() {
      layers.append(Dense(inputs: width, outputs: size, activation: activation, scope: "\(scopePrefix)\(index)"))
      width = size
    }
    self.layers = layers
  }

  /// Number of outputs (the input size when there are no layers).
  public var outputCount: Int { layers.last?.outputCount ?? inputCount }

  /// All parameters, layer by layer, weight before bias.
  public var parameters: [Parameter] { layers.flatMap(\.parameters) }

  /// Forward pass; read the result from ``output(input:)``.
  public func forward(_ x: Matrix) {
    guard let first = layers.first else { return }
    first.forward(x)
    for i in 1..<layers.count { layers[i].forward(from: layers[i - 1]) }
  }

  /// The output of the last forward pass (`input` itself when there are no layers).
  public func output(input: Matrix) -> Matrix { layers.last?.output ?? input }

  /// Back-propagates `∂L/∂h_L`; returns nothing, read ``Dense/inputGradient`` of the first layer
  /// when `computeInputGradient` is true.
  public func backward(
    _ outputGradient: Matrix, parameterGradients: GradientMode = .overwrite,
    computeInputGradient: Bool = false
  ) {
    guard !layers.isEmpty else { return }
    var index = layers.count - 1
    layers[index].backward(
      outputGradient, parameterGradients: parameterGradients,
      computeInputGradient: index > 0 || computeInputGradient)
    while index > 0 {
      index -= 1
      layers[index].backward(
        layers[index + 1].inputGradient, parameterGradients: parameterGradients,
        computeInputGradient: index > 0 || computeInputGradient)
    }
  }

  /// `∂L/∂x` from the last backward pass with `computeInputGradient: true`.
  public var inputGradient: Matrix? { layers.first?.inputGradient }
}

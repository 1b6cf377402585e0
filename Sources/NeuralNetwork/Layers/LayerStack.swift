import LinearAlgebra

/// Layers of any kind applied in order, `h_L = f_L(… f_1(x) …)`: a feature extractor such as
/// stable-baselines' `nature_cnn` (three ``Conv2D`` and one ``Dense``), with one backward pass
/// through all of them.
public final class LayerStack {
  /// The layers, input first.
  public let layers: [any Layer]
  /// Features per sample of the input.
  public let inputCount: Int

  /// A stack over `layers`, each reading the previous one's output.
  ///
  /// - Precondition: consecutive widths agree and the first layer reads `inputCount` features.
  public init(inputCount: Int, layers: [any Layer]) {
    var width = inputCount
    for layer in layers {
      precondition(layer.inputCount == width, "a layer reads \(layer.inputCount) features, the one before writes \(width)")
      width = layer.outputCount
    }
    self.inputCount = inputCount
    self.layers = layers
  }

  /// Whether the stack has no layers (its output is its input).
  public var isEmpty: Bool { layers.isEmpty }

  /// Features per sample of the output (the input width when empty).
  public var outputCount: Int { layers.last?.outputCount ?? inputCount }

  /// Every parameter, layer by layer.
  public var parameters: [Parameter] { layers.flatMap(\.parameters) }

  /// Forward pass; read the result from ``output(input:)``.
  public func forward(_ x: Matrix) {
    guard let first = layers.first else { return }
    first.forward(x)
    for i in 1..<layers.count { layers[i].forward(layers[i - 1].output) }
  }

  /// The output of the last forward pass (`input` itself when the stack is empty).
  public func output(input: Matrix) -> Matrix { layers.last?.output ?? input }

  /// Back-propagates `∂L/∂h_L` through every layer; with `computeInputGradient` the first layer's
  /// ``Layer/inputGradient`` holds `∂L/∂x`.
  public func backward(_ outputGradient: Matrix, parameterGradients: GradientMode, computeInputGradient: Bool = false) {
    guard !layers.isEmpty else { return }
    var index = layers.count - 1
    layers[index].backward(
      outputGradient, parameterGradients: parameterGradients, computeInputGradient: index > 0 || computeInputGradient)
    while index > 0 {
      index -= 1
      layers[index].backward(
        layers[index + 1].inputGradient, parameterGradients: parameterGradients,
        computeInputGradient: index > 0 || computeInputGradient)
    }
  }
}

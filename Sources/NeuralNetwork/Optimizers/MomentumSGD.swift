import LinearAlgebra

/// Stochastic gradient descent with heavy-ball momentum, as TensorFlow's `MomentumOptimizer`.
///
/// ```
/// acc ← μ·acc + g;   θ ← θ − η·acc        (no Nesterov; acc starts at 0)
/// ```
/// ACKTR uses it twice: for its cold-start steps and, on the preconditioned direction, for its
/// K-FAC steps (algorithms.md §3.5–3.6).
public final class MomentumSGD {
  /// Momentum μ.
  public let momentum: Float
  private let parameters: [Parameter]
  private var accumulators: [[Float]]

  /// Creates the optimiser for a fixed list of parameters.
  public init(parameters: [Parameter], momentum: Float = 0.9) {
    self.parameters = parameters
    self.momentum = momentum
    accumulators = parameters.map { [Float](repeating: 0, count: $0.count) }
  }

  /// One step along the parameters' stored gradients.
  public func step(learningRate: Float) {
    for (index, p) in parameters.enumerated() {
      step(index: index, direction: p.gradient.elements, learningRate: learningRate)
    }
  }

  /// One step along explicit directions, one array per parameter (e.g. a preconditioned gradient).
  public func step(directions: [[Float]], learningRate: Float) {
    precondition(directions.count == parameters.count, "one direction per parameter is required")
    for index in parameters.indices { step(index: index, direction: directions[index], learningRate: learningRate) }
  }

  private func step(index: Int, direction: [Float], learningRate: Float) {
    let p = parameters[index]
    let mu = momentum
    precondition(direction.count == p.count, "direction for \(p.name) has the wrong size")
    p.value.elements.withUnsafeMutableBufferPointer { theta in
      accumulators[index].withUnsafeMutableBufferPointer { acc in
        direction.withUnsafeBufferPointer { g in
          for i in 0..<theta.count {
            acc[i] = mu * acc[i] + g[i]
            theta[i] -= learningRate * acc[i]
          }
        }
      }
    }
  }

  /// The momentum accumulators, for checkpoints.
  public var state: [[Float]] {
    get { accumulators }
    set {
      precondition(newValue.count == parameters.count, "momentum state has the wrong number of slots")
      accumulators = newValue
    }
  }
}

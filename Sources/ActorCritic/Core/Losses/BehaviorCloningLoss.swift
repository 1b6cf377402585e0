import Foundation
import LinearAlgebra

/// The behaviour-cloning loss of stable-baselines 2's `pretrain` (`common/base_class.py`), on a
/// batch of B expert pairs (s, a):
/// ```
/// Discrete(n): L = mean_i [ logsumexp(ℓ_i) − ℓ_i[a_i] ]      softmax cross-entropy against one_hot(a_i)
///              ∂L/∂ℓ_i = (softmax(ℓ_i) − one_hot(a_i)) / B
/// Box(d):      L = mean_{i,j} (a_ij − μ_ij)²                  μ = the deterministic action (the mean, unclipped)
///              ∂L/∂μ_ij = 2 (μ_ij − a_ij) / (B·d),   ∂L/∂log σ = 0
/// ```
/// `ℓ` are the policy's logits and `μ` its Gaussian mean (the first d columns of the distribution
/// parameters); the gradient has the shape of the distribution parameters.
public enum BehaviorCloningLoss: Sendable, Equatable {
  /// Softmax cross-entropy over `actionCount` logits.
  case crossEntropy(actionCount: Int)
  /// Mean squared error of the `dimension`-dimensional Gaussian mean.
  case meanSquaredError(dimension: Int)

  /// The loss and its gradient with respect to the distribution parameters.
  ///
  /// - Parameters:
  ///   - parameters: `[B, parameterCount]` (logits; or μ then log σ).
  ///   - actions: `B · actionWidth` expert actions (an index per row for Discrete).
  ///   - gradient: overwritten with `∂L/∂parameters`, resized to the parameters' shape.
  public func evaluate(parameters: Matrix, actions: [Float], gradient: inout Matrix) -> Float {
    let B = parameters.rows, width = parameters.columns
    gradient.reshape(rows: B, columns: width)
    let p = parameters.elements
    var total: Double = 0
    gradient.elements.withUnsafeMutableBufferPointer { g in
      g.update(repeating: 0)
      switch self {
      case .crossEntropy(let n):
        let scale = 1 / Float(B)
        for i in 0..<B {
          let row = i * width
          var maximum = -Float.infinity
          for j in 0..<n { maximum = max(maximum, p[row + j]) }
          var sum: Float = 0
          for j in 0..<n { sum += exp(p[row + j] - maximum) }
          let a = Int(actions[i])
          total += Double(log(sum) + maximum - p[row + a])
          for j in 0..<n { g[row + j] = exp(p[row + j] - maximum) / sum * scale }
          g[row + a] -= scale
        }
      case .meanSquaredError(let d):
        let scale = 2 / Float(B * d)
        for i in 0..<B {
          for j in 0..<d {
            let difference = p[i * width + j] - actions[i * d + j]
            total += Double(difference * difference)
            g[i * width + j] = difference * scale
          }
        }
      }
    }
    switch self {
    case .crossEntropy: return Float(total / Double(B))
    case .meanSquaredError(let d): return Float(total / Double(B * d))
    }
  }
}

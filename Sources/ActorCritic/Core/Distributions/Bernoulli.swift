import Foundation
import LinearAlgebra
import Randomness

/// Independent Bernoulli variables parameterised by logits, for `MultiBinary` action spaces
/// (SB2 `BernoulliProbabilityDistribution`).
///
/// ```
/// parameters : logits l, [B, n]     actions : y ∈ {0, 1} stored as Float, [B, n]
/// p = sigmoid(l),  CE(l, y) = max(l, 0) − l·y + log(1 + e^{−|l|})   (sigmoid cross-entropy)
/// sample   float(u < p),  u ~ U[0, 1)
/// mode     round(p)                       (round half to even: p = ½ gives 0)
/// log π(y) = −Σ CE(l, y)
/// H        = Σ CE(l, p)
/// KL(p‖q)  = Σ CE(l_q, p) − Σ CE(l_p, p)  with p = sigmoid(l_p)
/// ```
/// SB2 builds `H` and `KL` from `sigmoid_cross_entropy_with_logits` with the probabilities as
/// labels; TF differentiates through those labels, so the gradients here are those of the exact
/// Bernoulli entropy and KL.
public struct Bernoulli: ActionDistribution, Hashable {
  /// Number of independent binary actions `n`.
  public let count: Int

  /// `n` independent Bernoulli variables.
  ///
  /// - Throws: ``DistributionError/invalidCount(_:)`` unless `count ≥ 1`.
  public init(count: Int) throws(DistributionError) {
    guard count >= 1 else { throw .invalidCount(count) }
    self.count = count
  }

  /// `.bernoulli(count: n)`.
  public var kind: DistributionKind { .bernoulli(count: count) }

  /// `n` logits per row.
  public var parameterCount: Int { count }

  /// `n` binary actions per row.
  public var actionDimension: Int { count }

  /// `sigmoid(l)` without overflow for any `l`.
  @inline(__always)
  static func sigmoid(_ l: Float) -> Float {
    if l >= 0 { return 1 / (1 + exp(-l)) }
    let e = exp(l)
    return e / (1 + e)
  }

  /// `max(l, 0) − l·y + log(1 + e^{−|l|})` (TensorFlow's `sigmoid_cross_entropy_with_logits`).
  @inline(__always)
  static func crossEntropy(logit l: Float, label y: Float) -> Float {
    max(l, 0) - l * y + log1p(exp(-abs(l)))
  }

  /// `a_ij = 1` if `u_ij < sigmoid(l_ij)` else `0`, with one uniform draw per logit.
  // Deviation: SB2 compares float32 `tf.random_uniform` draws with float32 probabilities; we compare
  // a Double draw from the seeded GSL stream with the probability computed in Double.
  public func sample(parameters: Matrix, random: RandomStream, into actions: inout Matrix) {
    let n = count, b = batchSize(of: parameters, columns: n)
    fit(&actions, rows: b, columns: n)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeMutableBufferPointer { a in
        for k in 0..<(b * n) {
          let logit = Double(l[k])
          let p = logit >= 0 ? 1 / (1 + exp(-logit)) : exp(logit) / (1 + exp(logit))
          a[k] = random.uniform() < p ? 1 : 0
        }
      }
    }
  }

  /// `a_ij = round(sigmoid(l_ij))`, with `round(½) = 0` as TensorFlow's `tf.round`.
  public func mode(parameters: Matrix, into actions: inout Matrix) {
    let n = count, b = batchSize(of: parameters, columns: n)
    fit(&actions, rows: b, columns: n)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeMutableBufferPointer { a in
        for k in 0..<(b * n) { a[k] = Bernoulli.sigmoid(l[k]) > 0.5 ? 1 : 0 }
      }
    }
  }

  /// `result_i = −Σ_j CE(l_ij, y_ij)`.
  public func logProbability(parameters: Matrix, actions: Matrix, into result: inout [Float]) {
    let n = count, b = batchSize(of: parameters, columns: n)
    checkShape(actions, rows: b, columns: n, "actions")
    fit(&result, count: b)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeBufferPointer { y in
        result.withUnsafeMutableBufferPointer { r in
          for i in 0..<b {
            var total: Float = 0
            for k in (i * n)..<((i + 1) * n) { total += Bernoulli.crossEntropy(logit: l[k], label: y[k]) }
            r[i] = -total
          }
        }
      }
    }
  }

  /// `result_i = Σ_j CE(l_ij, sigmoid(l_ij))`.
  public func entropy(parameters: Matrix, into result: inout [Float]) {
    let n = count, b = batchSize(of: parameters, columns: n)
    fit(&result, count: b)
    parameters.elements.withUnsafeBufferPointer { l in
      result.withUnsafeMutableBufferPointer { r in
        for i in 0..<b {
          var total: Float = 0
          for k in (i * n)..<((i + 1) * n) {
            total += Bernoulli.crossEntropy(logit: l[k], label: Bernoulli.sigmoid(l[k]))
          }
          r[i] = total
        }
      }
    }
  }

  /// `result_i = Σ_j [CE(l_q, p) − CE(l_p, p)]`, `p = sigmoid(l_p)`.
  public func kl(from p: Matrix, to q: Matrix, into result: inout [Float]) {
    let n = count, b = batchSize(of: p, columns: n, "p")
    checkShape(q, rows: b, columns: n, "q")
    fit(&result, count: b)
    p.elements.withUnsafeBufferPointer { lp in
      q.elements.withUnsafeBufferPointer { lq in
        result.withUnsafeMutableBufferPointer { r in
          for i in 0..<b {
            var total: Float = 0
            for k in (i * n)..<((i + 1) * n) {
              let probability = Bernoulli.sigmoid(lp[k])
              total += Bernoulli.crossEntropy(logit: lq[k], label: probability)
                - Bernoulli.crossEntropy(logit: lp[k], label: probability)
            }
            r[i] = total
          }
        }
      }
    }
  }

  /// `result_ij = sigmoid(l_ij)`.
  public func probabilities(parameters: Matrix, into result: inout Matrix) {
    let n = count, b = batchSize(of: parameters, columns: n)
    fit(&result, rows: b, columns: n)
    parameters.elements.withUnsafeBufferPointer { l in
      result.elements.withUnsafeMutableBufferPointer { r in
        for k in 0..<(b * n) { r[k] = Bernoulli.sigmoid(l[k]) }
      }
    }
  }

  /// `gradient_ij += w_i (y_ij − p_ij)`.
  public func addLogProbabilityGradient(
    parameters: Matrix, actions: Matrix, weights: [Float], into gradient: inout Matrix
  ) {
    let n = count, b = batchSize(of: parameters, columns: n)
    checkShape(actions, rows: b, columns: n, "actions")
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: n, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeBufferPointer { y in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            let w = weights[i]
            for k in (i * n)..<((i + 1) * n) { g[k] += w * (y[k] - Bernoulli.sigmoid(l[k])) }
          }
        }
      }
    }
  }

  /// `gradient_ij += −w_i l_ij p_ij (1 − p_ij)`.
  public func addEntropyGradient(parameters: Matrix, weights: [Float], into gradient: inout Matrix) {
    let n = count, b = batchSize(of: parameters, columns: n)
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: n, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      gradient.elements.withUnsafeMutableBufferPointer { g in
        for i in 0..<b {
          let w = weights[i]
          for k in (i * n)..<((i + 1) * n) {
            g[k] -= w * l[k] * Bernoulli.sigmoid(l[k]) * Bernoulli.sigmoid(-l[k])
          }
        }
      }
    }
  }

  /// `∂l_p += w_i (l_p − l_q) p (1 − p)`;  `∂l_q += w_i (sigmoid(l_q) − p)`.
  public func addKLGradient(
    from p: Matrix, to q: Matrix, weights: [Float], withRespectTo argument: KLArgument,
    into gradient: inout Matrix
  ) {
    let n = count, b = batchSize(of: p, columns: n, "p")
    checkShape(q, rows: b, columns: n, "q")
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: n, "gradient")
    p.elements.withUnsafeBufferPointer { lp in
      q.elements.withUnsafeBufferPointer { lq in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            let w = weights[i]
            for k in (i * n)..<((i + 1) * n) {
              switch argument {
              case .from:
                g[k] += w * (lp[k] - lq[k]) * Bernoulli.sigmoid(lp[k]) * Bernoulli.sigmoid(-lp[k])
              case .to:
                g[k] += w * (Bernoulli.sigmoid(lq[k]) - Bernoulli.sigmoid(lp[k]))
              }
            }
          }
        }
      }
    }
  }

  /// `gradient_ij += c_ij p_ij (1 − p_ij)`.
  public func addProbabilitiesGradient(
    parameters: Matrix, cotangent: Matrix, into gradient: inout Matrix
  ) {
    let n = count, b = batchSize(of: parameters, columns: n)
    checkShape(cotangent, rows: b, columns: n, "cotangent")
    checkShape(gradient, rows: b, columns: n, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      cotangent.elements.withUnsafeBufferPointer { c in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for k in 0..<(b * n) { g[k] += c[k] * Bernoulli.sigmoid(l[k]) * Bernoulli.sigmoid(-l[k]) }
        }
      }
    }
  }
}

import LinearAlgebra
import Randomness

/// A categorical distribution over `actionCount` actions, parameterised by logits
/// (SB2 `CategoricalProbabilityDistribution`, for `Discrete` action spaces).
///
/// ```
/// parameters : logits l, [B, n]            actions : index x stored as Float, [B, 1]
/// a = l − max l,  z = Σ e^a,  p = e^a / z
/// sample   argmax(l − log(−log u)),  u ~ U(0, 1)   (Gumbel-max)
/// mode     argmax l
/// log π(x) = a_x − log z                         (−softmax cross-entropy with onehot(x))
/// H        = Σ p (log z − a)
/// KL(p‖q)  = Σ p (a_p − log z_p − a_q + log z_q)
/// ```
public struct Categorical: ActionDistribution, FisherSampling, Hashable {
  /// The largest supported action count: actions are stored as `Float`, which represents every
  /// integer up to 2²⁴ exactly.
  public static let maximumActionCount = 1 << 24

  /// Number of actions `n`.
  public let actionCount: Int

  /// A categorical distribution over `actionCount` actions.
  ///
  /// - Throws: ``DistributionError/invalidActionCount(_:)`` unless `1 ≤ actionCount ≤ 2²⁴`.
  public init(actionCount: Int) throws(DistributionError) {
    guard actionCount >= 1 && actionCount <= Categorical.maximumActionCount else {
      throw .invalidActionCount(actionCount)
    }
    self.actionCount = actionCount
  }

  /// `.categorical(actionCount: n)`.
  public var kind: DistributionKind { .categorical(actionCount: actionCount) }

  /// `n` logits per row.
  public var parameterCount: Int { actionCount }

  /// One action index per row.
  public var actionDimension: Int { 1 }

  /// Gumbel-max samples, `a_i = argmax_j (l_ij − log(−log u_ij))`, with `n` uniform draws per row.
  public func sample(parameters: Matrix, random: RandomStream, into actions: inout Matrix) {
    let b = batchSize(of: parameters, columns: actionCount), n = actionCount
    fit(&actions, rows: b, columns: 1)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeMutableBufferPointer { a in
        for i in 0..<b { a[i] = Float(LogitsSegment.gumbelArgmax(l.baseAddress! + i * n, n, random)) }
      }
    }
  }

  /// `a_i = argmax_j l_ij` (the first maximum on ties).
  public func mode(parameters: Matrix, into actions: inout Matrix) {
    let b = batchSize(of: parameters, columns: actionCount), n = actionCount
    fit(&actions, rows: b, columns: 1)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeMutableBufferPointer { a in
        for i in 0..<b { a[i] = Float(LogitsSegment.argmax(l.baseAddress! + i * n, n)) }
      }
    }
  }

  /// `result_i = l_{i,x_i} − max_j l_ij − log Σ_j e^{l_ij − max l_i}`.
  public func logProbability(parameters: Matrix, actions: Matrix, into result: inout [Float]) {
    let b = batchSize(of: parameters, columns: actionCount), n = actionCount
    checkShape(actions, rows: b, columns: 1, "actions")
    fit(&result, count: b)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeBufferPointer { a in
        result.withUnsafeMutableBufferPointer { r in
          for i in 0..<b {
            r[i] = LogitsSegment.logProbability(
              l.baseAddress! + i * n, n, action: discreteAction(a[i], below: n))
          }
        }
      }
    }
  }

  /// `result_i = Σ_j p_ij (log z_i − a_ij)`.
  public func entropy(parameters: Matrix, into result: inout [Float]) {
    let b = batchSize(of: parameters, columns: actionCount), n = actionCount
    fit(&result, count: b)
    parameters.elements.withUnsafeBufferPointer { l in
      result.withUnsafeMutableBufferPointer { r in
        for i in 0..<b { r[i] = LogitsSegment.entropy(l.baseAddress! + i * n, n) }
      }
    }
  }

  /// `result_i = Σ_j p_ij (log p_ij − log q_ij)`.
  public func kl(from p: Matrix, to q: Matrix, into result: inout [Float]) {
    let b = batchSize(of: p, columns: actionCount, "p"), n = actionCount
    checkShape(q, rows: b, columns: n, "q")
    fit(&result, count: b)
    p.elements.withUnsafeBufferPointer { lp in
      q.elements.withUnsafeBufferPointer { lq in
        result.withUnsafeMutableBufferPointer { r in
          for i in 0..<b { r[i] = LogitsSegment.kl(lp.baseAddress! + i * n, lq.baseAddress! + i * n, n) }
        }
      }
    }
  }

  /// `result_ij = softmax(l_i)_j`.
  public func probabilities(parameters: Matrix, into result: inout Matrix) {
    let b = batchSize(of: parameters, columns: actionCount), n = actionCount
    fit(&result, rows: b, columns: n)
    parameters.elements.withUnsafeBufferPointer { l in
      result.elements.withUnsafeMutableBufferPointer { r in
        for i in 0..<b { LogitsSegment.softmax(l.baseAddress! + i * n, n, into: r.baseAddress! + i * n) }
      }
    }
  }

  /// `gradient_ij += w_i (1[j = x_i] − p_ij)`.
  public func addLogProbabilityGradient(
    parameters: Matrix, actions: Matrix, weights: [Float], into gradient: inout Matrix
  ) {
    let b = batchSize(of: parameters, columns: actionCount)
    checkWeights(weights, rows: b)
    addLogProbabilityGradient(parameters, actions, weights, scale: 1, &gradient)
  }

  /// `gradient_ij += w_i p_ij (−log p_ij − H_i)`.
  public func addEntropyGradient(parameters: Matrix, weights: [Float], into gradient: inout Matrix) {
    let b = batchSize(of: parameters, columns: actionCount), n = actionCount
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: n, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      gradient.elements.withUnsafeMutableBufferPointer { g in
        for i in 0..<b {
          LogitsSegment.addEntropyGradient(
            l.baseAddress! + i * n, n, weight: weights[i], into: g.baseAddress! + i * n)
        }
      }
    }
  }

  /// `∂/∂l_p: w_i p_ij (log p_ij − log q_ij − KL_i)`;  `∂/∂l_q: w_i (q_ij − p_ij)`.
  public func addKLGradient(
    from p: Matrix, to q: Matrix, weights: [Float], withRespectTo argument: KLArgument,
    into gradient: inout Matrix
  ) {
    let b = batchSize(of: p, columns: actionCount, "p"), n = actionCount
    checkShape(q, rows: b, columns: n, "q")
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: n, "gradient")
    p.elements.withUnsafeBufferPointer { lp in
      q.elements.withUnsafeBufferPointer { lq in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            let rowP = lp.baseAddress! + i * n, rowQ = lq.baseAddress! + i * n
            let rowG = g.baseAddress! + i * n
            switch argument {
            case .from: LogitsSegment.addKLGradientFrom(rowP, rowQ, n, weight: weights[i], into: rowG)
            case .to: LogitsSegment.addKLGradientTo(rowP, rowQ, n, weight: weights[i], into: rowG)
            }
          }
        }
      }
    }
  }

  /// `gradient_ij += p_ij (c_ij − Σ_k p_ik c_ik)`.
  public func addProbabilitiesGradient(
    parameters: Matrix, cotangent: Matrix, into gradient: inout Matrix
  ) {
    let b = batchSize(of: parameters, columns: actionCount), n = actionCount
    checkShape(cotangent, rows: b, columns: n, "cotangent")
    checkShape(gradient, rows: b, columns: n, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      cotangent.elements.withUnsafeBufferPointer { c in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            LogitsSegment.addSoftmaxVJP(
              l.baseAddress! + i * n, n, cotangent: c.baseAddress! + i * n, into: g.baseAddress! + i * n)
          }
        }
      }
    }
  }

  /// `gradient_ij += scale · (1[j = a_i] − p_ij)`.
  public func addFisherOutputGradients(
    parameters: Matrix, actions: Matrix, scale: Float, into gradient: inout Matrix
  ) {
    addLogProbabilityGradient(parameters, actions, nil, scale: scale, &gradient)
  }

  /// `gradient_ij += scale · w_i (1[j = a_i] − p_ij)`, with `w_i = 1` when `weights` is nil.
  private func addLogProbabilityGradient(
    _ parameters: Matrix, _ actions: Matrix, _ weights: [Float]?, scale: Float,
    _ gradient: inout Matrix
  ) {
    let b = batchSize(of: parameters, columns: actionCount), n = actionCount
    checkShape(actions, rows: b, columns: 1, "actions")
    checkShape(gradient, rows: b, columns: n, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeBufferPointer { a in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            let w = weights.map { $0[i] * scale } ?? scale
            LogitsSegment.addLogProbabilityGradient(
              l.baseAddress! + i * n, n, action: discreteAction(a[i], below: n), weight: w,
              into: g.baseAddress! + i * n)
          }
        }
      }
    }
  }
}

import LinearAlgebra
import Randomness

/// Independent categorical distributions, one per component of a `MultiDiscrete` action space
/// (SB2 `MultiCategoricalProbabilityDistribution`).
///
/// ```
/// parameters : logits of every component concatenated, [B, Σ nvec]
/// actions    : one index per component, [B, nvec.count]
/// split the logits by nvec; sample / mode per component and stack;
/// log π, H and KL are the sums over the components of the ``Categorical`` formulas
/// ```
public struct MultiCategorical: ActionDistribution, Hashable {
  /// Number of actions of every component.
  public let nvec: [Int]
  /// `offsets[k]` is the first logit column of component `k`; `offsets[nvec.count] = Σ nvec`.
  private let offsets: [Int]

  /// Independent categoricals with `nvec[k]` actions in component `k`.
  ///
  /// - Throws: ``DistributionError/emptyNvec`` for `[]` and
  ///   ``DistributionError/invalidNvecEntry(index:value:)`` for an entry outside `1 ... 2²⁴`.
  public init(nvec: [Int]) throws(DistributionError) {
    guard !nvec.isEmpty else { throw .emptyNvec }
    var offsets = [0]
    for (index, n) in nvec.enumerated() {
      guard n >= 1 && n <= Categorical.maximumActionCount else {
        throw .invalidNvecEntry(index: index, value: n)
      }
      offsets.append(offsets[index] + n)
    }
    self.nvec = nvec
    self.offsets = offsets
  }

  /// `.multiCategorical(nvec: nvec)`.
  public var kind: DistributionKind { .multiCategorical(nvec: nvec) }

  /// `Σ nvec` logits per row.
  public var parameterCount: Int { offsets[nvec.count] }

  /// One action index per component.
  public var actionDimension: Int { nvec.count }

  /// Gumbel-max samples per component, drawing `Σ nvec` uniforms per row (components in order).
  public func sample(parameters: Matrix, random: RandomStream, into actions: inout Matrix) {
    let b = batchSize(of: parameters, columns: parameterCount)
    let width = parameterCount, k = nvec.count
    fit(&actions, rows: b, columns: k)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeMutableBufferPointer { a in
        for i in 0..<b {
          for c in 0..<k {
            let start = l.baseAddress! + i * width + offsets[c]
            a[i * k + c] = Float(LogitsSegment.gumbelArgmax(start, nvec[c], random))
          }
        }
      }
    }
  }

  /// The argmax of every component.
  public func mode(parameters: Matrix, into actions: inout Matrix) {
    let b = batchSize(of: parameters, columns: parameterCount)
    let width = parameterCount, k = nvec.count
    fit(&actions, rows: b, columns: k)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeMutableBufferPointer { a in
        for i in 0..<b {
          for c in 0..<k {
            a[i * k + c] = Float(LogitsSegment.argmax(l.baseAddress! + i * width + offsets[c], nvec[c]))
          }
        }
      }
    }
  }

  /// `result_i = Σ_c log π_c(x_ic)`.
  public func logProbability(parameters: Matrix, actions: Matrix, into result: inout [Float]) {
    let b = batchSize(of: parameters, columns: parameterCount)
    let width = parameterCount, k = nvec.count
    checkShape(actions, rows: b, columns: k, "actions")
    fit(&result, count: b)
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeBufferPointer { a in
        result.withUnsafeMutableBufferPointer { r in
          for i in 0..<b {
            var total: Float = 0
            for c in 0..<k {
              total += LogitsSegment.logProbability(
                l.baseAddress! + i * width + offsets[c], nvec[c],
                action: discreteAction(a[i * k + c], below: nvec[c]))
            }
            r[i] = total
          }
        }
      }
    }
  }

  /// `result_i = Σ_c H_c`.
  public func entropy(parameters: Matrix, into result: inout [Float]) {
    let b = batchSize(of: parameters, columns: parameterCount)
    let width = parameterCount, k = nvec.count
    fit(&result, count: b)
    parameters.elements.withUnsafeBufferPointer { l in
      result.withUnsafeMutableBufferPointer { r in
        for i in 0..<b {
          var total: Float = 0
          for c in 0..<k { total += LogitsSegment.entropy(l.baseAddress! + i * width + offsets[c], nvec[c]) }
          r[i] = total
        }
      }
    }
  }

  /// `result_i = Σ_c KL(p_ic ‖ q_ic)`.
  public func kl(from p: Matrix, to q: Matrix, into result: inout [Float]) {
    let b = batchSize(of: p, columns: parameterCount, "p")
    let width = parameterCount, k = nvec.count
    checkShape(q, rows: b, columns: width, "q")
    fit(&result, count: b)
    p.elements.withUnsafeBufferPointer { lp in
      q.elements.withUnsafeBufferPointer { lq in
        result.withUnsafeMutableBufferPointer { r in
          for i in 0..<b {
            var total: Float = 0
            for c in 0..<k {
              let start = i * width + offsets[c]
              total += LogitsSegment.kl(lp.baseAddress! + start, lq.baseAddress! + start, nvec[c])
            }
            r[i] = total
          }
        }
      }
    }
  }

  /// The concatenated per-component softmaxes (SB2's `proba_step` returns the list of them).
  public func probabilities(parameters: Matrix, into result: inout Matrix) {
    let b = batchSize(of: parameters, columns: parameterCount)
    let width = parameterCount, k = nvec.count
    fit(&result, rows: b, columns: width)
    parameters.elements.withUnsafeBufferPointer { l in
      result.elements.withUnsafeMutableBufferPointer { r in
        for i in 0..<b {
          for c in 0..<k {
            let start = i * width + offsets[c]
            LogitsSegment.softmax(l.baseAddress! + start, nvec[c], into: r.baseAddress! + start)
          }
        }
      }
    }
  }

  /// Per component: `gradient_cj += w_i (1[j = x_ic] − p_icj)`.
  public func addLogProbabilityGradient(
    parameters: Matrix, actions: Matrix, weights: [Float], into gradient: inout Matrix
  ) {
    let b = batchSize(of: parameters, columns: parameterCount)
    let width = parameterCount, k = nvec.count
    checkShape(actions, rows: b, columns: k, "actions")
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: width, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      actions.elements.withUnsafeBufferPointer { a in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            for c in 0..<k {
              let start = i * width + offsets[c]
              LogitsSegment.addLogProbabilityGradient(
                l.baseAddress! + start, nvec[c], action: discreteAction(a[i * k + c], below: nvec[c]),
                weight: weights[i], into: g.baseAddress! + start)
            }
          }
        }
      }
    }
  }

  /// Per component: `gradient_cj += w_i p_icj (−log p_icj − H_ic)`.
  public func addEntropyGradient(parameters: Matrix, weights: [Float], into gradient: inout Matrix) {
    let b = batchSize(of: parameters, columns: parameterCount)
    let width = parameterCount, k = nvec.count
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: width, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      gradient.elements.withUnsafeMutableBufferPointer { g in
        for i in 0..<b {
          for c in 0..<k {
            let start = i * width + offsets[c]
            LogitsSegment.addEntropyGradient(
              l.baseAddress! + start, nvec[c], weight: weights[i], into: g.baseAddress! + start)
          }
        }
      }
    }
  }

  /// Per component, the ``Categorical`` KL gradients.
  public func addKLGradient(
    from p: Matrix, to q: Matrix, weights: [Float], withRespectTo argument: KLArgument,
    into gradient: inout Matrix
  ) {
    let b = batchSize(of: p, columns: parameterCount, "p")
    let width = parameterCount, k = nvec.count
    checkShape(q, rows: b, columns: width, "q")
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: width, "gradient")
    p.elements.withUnsafeBufferPointer { lp in
      q.elements.withUnsafeBufferPointer { lq in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            for c in 0..<k {
              let start = i * width + offsets[c]
              let rowP = lp.baseAddress! + start, rowQ = lq.baseAddress! + start
              let rowG = g.baseAddress! + start
              switch argument {
              case .from:
                LogitsSegment.addKLGradientFrom(rowP, rowQ, nvec[c], weight: weights[i], into: rowG)
              case .to:
                LogitsSegment.addKLGradientTo(rowP, rowQ, nvec[c], weight: weights[i], into: rowG)
              }
            }
          }
        }
      }
    }
  }

  /// Per component, the softmax vector–Jacobian product.
  public func addProbabilitiesGradient(
    parameters: Matrix, cotangent: Matrix, into gradient: inout Matrix
  ) {
    let b = batchSize(of: parameters, columns: parameterCount)
    let width = parameterCount, k = nvec.count
    checkShape(cotangent, rows: b, columns: width, "cotangent")
    checkShape(gradient, rows: b, columns: width, "gradient")
    parameters.elements.withUnsafeBufferPointer { l in
      cotangent.elements.withUnsafeBufferPointer { ct in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            for c in 0..<k {
              let start = i * width + offsets[c]
              LogitsSegment.addSoftmaxVJP(
                l.baseAddress! + start, nvec[c], cotangent: ct.baseAddress! + start,
                into: g.baseAddress! + start)
            }
          }
        }
      }
    }
  }
}

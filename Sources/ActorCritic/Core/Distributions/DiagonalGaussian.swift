import Foundation
import LinearAlgebra
import Randomness

/// A Gaussian with diagonal covariance over `dimension` real actions, parameterised by the mean and
/// the log standard deviation (SB2 `DiagGaussianProbabilityDistribution`, for `Box` action spaces).
///
/// ```
/// parameters : [μ, log σ] concatenated, [B, 2d]    actions : x, [B, d]
/// sample   μ + σ ε,  ε ~ N(0, I)
/// mode     μ
/// log π(x) = −(½ Σ ((x − μ)/σ)² + ½ d log 2π + Σ log σ)
/// H        = Σ (log σ + ½ log 2πe)
/// KL(p‖q)  = Σ [log σ_q − log σ_p + (σ_p² + (μ_p − μ_q)²) / (2σ_q²) − ½]
/// ```
/// SB2's Gaussian policies have a state-independent `logstd` variable; the policy broadcasts it
/// into the second half of every row (`concat([mean, mean·0 + logstd])`), and sums the second half
/// of a parameter gradient over the rows to get the gradient of that variable.
public struct DiagonalGaussian: ActionDistribution, FisherSampling, Hashable {
  /// Number of action dimensions `d`.
  public let dimension: Int

  /// `½ log 2π`.
  static let halfLogTwoPi: Float = 0.918_938_533_204_672_7
  /// `½ log 2πe`, the entropy of a standard normal.
  static let halfLogTwoPiE: Float = 1.418_938_533_204_672_7

  /// A diagonal Gaussian over `dimension` action dimensions.
  ///
  /// - Throws: ``DistributionError/invalidDimension(_:)`` unless `dimension ≥ 1`.
  public init(dimension: Int) throws(DistributionError) {
    guard dimension >= 1 else { throw .invalidDimension(dimension) }
    self.dimension = dimension
  }

  /// `.diagonalGaussian(dimension: d)`.
  public var kind: DistributionKind { .diagonalGaussian(dimension: dimension) }

  /// `2d`: the means, then the log standard deviations.
  public var parameterCount: Int { 2 * dimension }

  /// `d` real actions per row.
  public var actionDimension: Int { dimension }

  /// `a_ij = μ_ij + e^{s_ij} ε_ij`, with `d` Gaussian draws per row.
  // Deviation: SB2 adds float32 `tf.random_normal` noise; we draw ε in Double from the GSL
  // ziggurat and round it to Float (design.md §3: every draw comes from a seeded GSL stream).
  public func sample(parameters: Matrix, random: RandomStream, into actions: inout Matrix) {
    let d = dimension, b = batchSize(of: parameters, columns: 2 * d)
    fit(&actions, rows: b, columns: d)
    parameters.elements.withUnsafeBufferPointer { p in
      actions.elements.withUnsafeMutableBufferPointer { a in
        for i in 0..<b {
          let mean = p.baseAddress! + i * 2 * d, logStd = mean + d
          for j in 0..<d { a[i * d + j] = mean[j] + exp(logStd[j]) * Float(random.gaussian()) }
        }
      }
    }
  }

  /// `a_ij = μ_ij`.
  public func mode(parameters: Matrix, into actions: inout Matrix) {
    let d = dimension, b = batchSize(of: parameters, columns: 2 * d)
    fit(&actions, rows: b, columns: d)
    parameters.elements.withUnsafeBufferPointer { p in
      actions.elements.withUnsafeMutableBufferPointer { a in
        for i in 0..<b {
          for j in 0..<d { a[i * d + j] = p[i * 2 * d + j] }
        }
      }
    }
  }

  /// `result_i = −(½ Σ_j ((x_ij − μ_ij)/σ_ij)² + ½ d log 2π + Σ_j log σ_ij)`.
  public func logProbability(parameters: Matrix, actions: Matrix, into result: inout [Float]) {
    let d = dimension, b = batchSize(of: parameters, columns: 2 * d)
    checkShape(actions, rows: b, columns: d, "actions")
    fit(&result, count: b)
    let constant = Float(d) * DiagonalGaussian.halfLogTwoPi
    parameters.elements.withUnsafeBufferPointer { p in
      actions.elements.withUnsafeBufferPointer { a in
        result.withUnsafeMutableBufferPointer { r in
          for i in 0..<b {
            let mean = p.baseAddress! + i * 2 * d, logStd = mean + d, x = a.baseAddress! + i * d
            var squares: Float = 0, logStdSum: Float = 0
            for j in 0..<d {
              let z = (x[j] - mean[j]) * exp(-logStd[j])
              squares += z * z
              logStdSum += logStd[j]
            }
            r[i] = -(0.5 * squares + constant + logStdSum)
          }
        }
      }
    }
  }

  /// `result_i = Σ_j (s_ij + ½ log 2πe)`.
  public func entropy(parameters: Matrix, into result: inout [Float]) {
    let d = dimension, b = batchSize(of: parameters, columns: 2 * d)
    fit(&result, count: b)
    parameters.elements.withUnsafeBufferPointer { p in
      result.withUnsafeMutableBufferPointer { r in
        for i in 0..<b {
          let logStd = p.baseAddress! + i * 2 * d + d
          var h: Float = 0
          for j in 0..<d { h += logStd[j] + DiagonalGaussian.halfLogTwoPiE }
          r[i] = h
        }
      }
    }
  }

  /// `result_i = Σ_j [s_q − s_p + (σ_p² + (μ_p − μ_q)²) / (2σ_q²) − ½]`.
  public func kl(from p: Matrix, to q: Matrix, into result: inout [Float]) {
    let d = dimension, b = batchSize(of: p, columns: 2 * d, "p")
    checkShape(q, rows: b, columns: 2 * d, "q")
    fit(&result, count: b)
    p.elements.withUnsafeBufferPointer { pp in
      q.elements.withUnsafeBufferPointer { qq in
        result.withUnsafeMutableBufferPointer { r in
          for i in 0..<b {
            let meanP = pp.baseAddress! + i * 2 * d, logStdP = meanP + d
            let meanQ = qq.baseAddress! + i * 2 * d, logStdQ = meanQ + d
            var total: Float = 0
            for j in 0..<d {
              // (σ_p² + δ²) / (2σ_q²) written as ½ e^{2(s_p − s_q)} + ½ (δ e^{−s_q})², which does not
              // overflow when both σ are large.
              let ratio = exp(2 * (logStdP[j] - logStdQ[j]))
              let scaled = (meanP[j] - meanQ[j]) * exp(-logStdQ[j])
              total += logStdQ[j] - logStdP[j] + 0.5 * (ratio + scaled * scaled) - 0.5
            }
            r[i] = total
          }
        }
      }
    }
  }

  /// `result_i = [μ_i, σ_i]` (SB2's `proba_step` returns `[mean, std]`).
  public func probabilities(parameters: Matrix, into result: inout Matrix) {
    let d = dimension, b = batchSize(of: parameters, columns: 2 * d)
    fit(&result, rows: b, columns: 2 * d)
    parameters.elements.withUnsafeBufferPointer { p in
      result.elements.withUnsafeMutableBufferPointer { r in
        for i in 0..<b {
          let row = i * 2 * d
          for j in 0..<d {
            r[row + j] = p[row + j]
            r[row + d + j] = exp(p[row + d + j])
          }
        }
      }
    }
  }

  /// `∂μ += w_i (x − μ)/σ²`, `∂s += w_i (((x − μ)/σ)² − 1)`.
  public func addLogProbabilityGradient(
    parameters: Matrix, actions: Matrix, weights: [Float], into gradient: inout Matrix
  ) {
    checkWeights(weights, rows: parameters.rows)
    addLogProbabilityGradient(parameters, actions, weights, scale: 1, &gradient)
  }

  /// `∂μ += 0`, `∂s += w_i`.
  public func addEntropyGradient(parameters: Matrix, weights: [Float], into gradient: inout Matrix) {
    let d = dimension, b = batchSize(of: parameters, columns: 2 * d)
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: 2 * d, "gradient")
    gradient.elements.withUnsafeMutableBufferPointer { g in
      for i in 0..<b {
        let w = weights[i], row = i * 2 * d + d
        for j in 0..<d { g[row + j] += w }
      }
    }
  }

  /// With `δ = μ_p − μ_q`, `r = σ_p²/σ_q²`:
  /// `∂μ_p = w δ/σ_q²`, `∂s_p = w (r − 1)`; `∂μ_q = −w δ/σ_q²`, `∂s_q = w (1 − r − δ²/σ_q²)`.
  public func addKLGradient(
    from p: Matrix, to q: Matrix, weights: [Float], withRespectTo argument: KLArgument,
    into gradient: inout Matrix
  ) {
    let d = dimension, b = batchSize(of: p, columns: 2 * d, "p")
    checkShape(q, rows: b, columns: 2 * d, "q")
    checkWeights(weights, rows: b)
    checkShape(gradient, rows: b, columns: 2 * d, "gradient")
    p.elements.withUnsafeBufferPointer { pp in
      q.elements.withUnsafeBufferPointer { qq in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            let row = i * 2 * d, w = weights[i]
            for j in 0..<d {
              let inverseStdQ = exp(-qq[row + d + j])
              let scaled = (pp[row + j] - qq[row + j]) * inverseStdQ
              let ratio = exp(2 * (pp[row + d + j] - qq[row + d + j]))
              switch argument {
              case .from:
                g[row + j] += w * scaled * inverseStdQ
                g[row + d + j] += w * (ratio - 1)
              case .to:
                g[row + j] -= w * scaled * inverseStdQ
                g[row + d + j] += w * (1 - ratio - scaled * scaled)
              }
            }
          }
        }
      }
    }
  }

  /// `∂μ += c_μ`, `∂s += c_σ σ`.
  public func addProbabilitiesGradient(
    parameters: Matrix, cotangent: Matrix, into gradient: inout Matrix
  ) {
    let d = dimension, b = batchSize(of: parameters, columns: 2 * d)
    checkShape(cotangent, rows: b, columns: 2 * d, "cotangent")
    checkShape(gradient, rows: b, columns: 2 * d, "gradient")
    parameters.elements.withUnsafeBufferPointer { p in
      cotangent.elements.withUnsafeBufferPointer { c in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            let row = i * 2 * d
            for j in 0..<d {
              g[row + j] += c[row + j]
              g[row + d + j] += c[row + d + j] * exp(p[row + d + j])
            }
          }
        }
      }
    }
  }

  /// `∂μ += scale (a − μ)/σ²`, `∂s += scale ((a − μ)²/σ² − 1)`.
  public func addFisherOutputGradients(
    parameters: Matrix, actions: Matrix, scale: Float, into gradient: inout Matrix
  ) {
    addLogProbabilityGradient(parameters, actions, nil, scale: scale, &gradient)
  }

  /// The log-probability gradient with `w_i = scale · weights[i]` (`weights` nil means 1).
  private func addLogProbabilityGradient(
    _ parameters: Matrix, _ actions: Matrix, _ weights: [Float]?, scale: Float,
    _ gradient: inout Matrix
  ) {
    let d = dimension, b = batchSize(of: parameters, columns: 2 * d)
    checkShape(actions, rows: b, columns: d, "actions")
    checkShape(gradient, rows: b, columns: 2 * d, "gradient")
    parameters.elements.withUnsafeBufferPointer { p in
      actions.elements.withUnsafeBufferPointer { a in
        gradient.elements.withUnsafeMutableBufferPointer { g in
          for i in 0..<b {
            let w = weights.map { $0[i] * scale } ?? scale, row = i * 2 * d
            for j in 0..<d {
              let inverseStd = exp(-p[row + d + j])
              let z = (a[i * d + j] - p[row + j]) * inverseStd
              g[row + j] += w * z * inverseStd
              g[row + d + j] += w * (z * z - 1)
            }
          }
        }
      }
    }
  }
}

import LinearAlgebra

/// Batch averages of ACER's trust-region quantities before the projection (stable-baselines logs
/// them as `avg_norm_k`, `avg_norm_g`, `avg_norm_k_dot_g`, `avg_norm_adj`).
public struct TrustRegionStatistics: Sendable, Equatable {
  /// `mean_t ‖k_t‖`.
  public var meanNormK: Double
  /// `mean_t ‖g_t‖`, before the projection.
  public var meanNormG: Double
  /// `mean_t |k_t·g_t|`, before the projection.
  public var meanAbsoluteKDotG: Double
  /// `mean_t |adj_t|`.
  public var meanAdjustment: Double
  /// Rows whose step was shortened (`adj_t > 0`).
  public var projectedRows: Int

  /// Statistics from their values.
  public init(
    meanNormK: Double, meanNormG: Double, meanAbsoluteKDotG: Double, meanAdjustment: Double,
    projectedRows: Int
  ) {
    self.meanNormK = meanNormK
    self.meanNormG = meanNormG
    self.meanAbsoluteKDotG = meanAbsoluteKDotG
    self.meanAdjustment = meanAdjustment
    self.projectedRows = projectedRows
  }
}

/// ACER's efficient trust-region step (Wang et al. 2017, §3.3,
/// [arXiv:1611.01224](https://arxiv.org/abs/1611.01224)), row by row, on the gradient `g` of the
/// policy objective with respect to the probabilities `f` (hill-a/stable-baselines
/// `acer/acer_simple.py`, algorithms.md §4.7):
/// ```
/// k_t   = ∂KL(f̄_t ‖ f_t)/∂f_t = −f̄_t / (f_t + ε)
/// adj_t = max(0, (k_t·g_t − δ) / (‖k_t‖² + ε))
/// g_t  ← g_t − adj_t · k_t
/// ```
/// `g` is an ascent direction (the gradient of `−loss·N`). After the projection the linearised
/// KL change along `g` satisfies `k_t·g_t ≤ δ` (up to the `ε` in the denominator); rows with
/// `k_t·g_t ≤ δ` are left exactly unchanged. The sign convention is the paper's and SB2's
/// (Kaixhin/ACER#1, algorithms.md §4.8).
///
/// - Parameters:
///   - gradient: `g`, `[N, n]`, projected in place.
///   - averageProbabilities: `f̄`, the average policy's probabilities, `[N, n]`.
///   - probabilities: `f`, the current policy's probabilities, `[N, n]`.
///   - delta: the trust-region size `δ` (SB2 `delta`, 1).
///   - epsilon: `ε` (SB2 `eps`, 1e-6).
/// - Returns: the averages SB2 logs, computed before the projection.
@discardableResult
public func projectOntoTrustRegion(
  gradient: inout Matrix, averageProbabilities: Matrix, probabilities: Matrix, delta: Float,
  epsilon: Float = 1e-6
) -> TrustRegionStatistics {
  let rows = gradient.rows
  let n = gradient.columns
  precondition(
    averageProbabilities.rows == rows && averageProbabilities.columns == n && probabilities.rows == rows
      && probabilities.columns == n,
    "projectOntoTrustRegion: gradient, averageProbabilities and probabilities must all be [N, n]")
  var sumNormK = 0.0
  var sumNormG = 0.0
  var sumKG = 0.0
  var sumAdj = 0.0
  var projected = 0
  gradient.elements.withUnsafeMutableBufferPointer { g in
    averageProbabilities.elements.withUnsafeBufferPointer { fBar in
      probabilities.elements.withUnsafeBufferPointer { f in
        for row in 0..<rows {
          let base = row * n
          var kg: Float = 0
          var kk: Float = 0
          var gg: Float = 0
          for j in 0..<n {
            let k = -fBar[base + j] / (f[base + j] + epsilon)
            kg += k * g[base + j]
            kk += k * k
            gg += g[base + j] * g[base + j]
          }
          let adj = max(0, (kg - delta) / (kk + epsilon))
          if adj > 0 {
            projected += 1
            for j in 0..<n { g[base + j] -= adj * (-fBar[base + j] / (f[base + j] + epsilon)) }
          }
          sumNormK += Double(kk.squareRoot())
          sumNormG += Double(gg.squareRoot())
          sumKG += Double(abs(kg))
          sumAdj += Double(adj)
        }
      }
    }
  }
  let count = Double(max(rows, 1))
  return TrustRegionStatistics(
    meanNormK: sumNormK / count, meanNormG: sumNormG / count, meanAbsoluteKDotG: sumKG / count,
    meanAdjustment: sumAdj / count, projectedRows: projected)
}

/// Running mean and variance of a stream of vectors, merged batch by batch (SB2
/// `common/running_mean_std.py`, the parallel algorithm of Chan, Golub & LeVeque 1979).
///
/// Starts at `mean = 0`, `variance = 1`, `count = ε = 1e-4`; a batch of `n` rows with per-component
/// moments `(μ_b, σ²_b)` is merged as
/// ```
/// δ     = μ_b − μ
/// μ'    = μ + δ·n / (c + n)
/// M₂    = σ²·c + σ²_b·n + δ²·c·n / (c + n)
/// σ²'   = M₂ / (c + n),    c' = n + c
/// ```
/// with SB2's dtypes: the statistics are `Double`, the batch moments are computed in the batch's
/// own dtype by `np.mean`/`np.var` (`Float32` for observations), and `σ²_b·n` stays `Float32` for
/// a `Float32` batch (NumPy multiplies a `float32` array by a Python int in `float32`).
public struct RunningMeanStd: Codable, Equatable, Sendable {
  /// The running mean, one entry per component.
  public var mean: [Double]
  /// The running (population) variance, one entry per component.
  public var variance: [Double]
  /// The (pseudo-)number of samples merged so far, starting at `epsilon`.
  public var count: Double

  /// Fresh statistics for vectors of `dimension` components (SB2 default `epsilon = 1e-4`).
  public init(dimension: Int, epsilon: Double = 1e-4) {
    precondition(dimension >= 1, "RunningMeanStd needs dimension ≥ 1, got \(dimension)")
    mean = [Double](repeating: 0, count: dimension)
    variance = [Double](repeating: 1, count: dimension)
    count = epsilon
  }

  /// Statistics with the given values (for example loaded from a file).
  public init(mean: [Double], variance: [Double], count: Double) {
    precondition(mean.count == variance.count, "mean and variance must have the same length")
    self.mean = mean
    self.variance = variance
    self.count = count
  }

  /// The number of components.
  public var dimension: Int { mean.count }

  /// Merges a `Float32` batch of `rows × dimension` values (row-major), SB2's `update(obs)`.
  public mutating func update(_ batch: UnsafeBufferPointer<Float>, rows: Int) {
    precondition(rows >= 1 && batch.count == rows * dimension, "batch must be rows × \(dimension)")
    let columns = dimension
    let batchCount = Double(rows)
    let total = count + batchCount
    for j in 0..<columns {
      let moments = NumPyReduction.meanAndVariance(rows: rows, columns: columns) {
        batch[$0 * columns + j]
      }
      let weightedBatchVariance = Double(moments.variance * Float(rows))
      merge(j, Double(moments.mean), weightedBatchVariance, batchCount, total)
    }
    count = batchCount + count
  }

  /// Merges a `Double` batch of `rows × dimension` values (row-major), SB2's `update(ret)`.
  public mutating func update(_ batch: UnsafeBufferPointer<Double>, rows: Int) {
    precondition(rows >= 1 && batch.count == rows * dimension, "batch must be rows × \(dimension)")
    let columns = dimension
    let batchCount = Double(rows)
    let total = count + batchCount
    for j in 0..<columns {
      let moments = NumPyReduction.meanAndVariance(rows: rows, columns: columns) {
        batch[$0 * columns + j]
      }
      merge(j, moments.mean, moments.variance * batchCount, batchCount, total)
    }
    count = batchCount + count
  }

  @inline(__always)
  private mutating func merge(
    _ j: Int, _ batchMean: Double, _ weightedBatchVariance: Double, _ batchCount: Double,
    _ total: Double
  ) {
    let delta = batchMean - mean[j]
    let newMean = mean[j] + delta * batchCount / total
    let weightedVariance = variance[j] * count
    let m2 =
      weightedVariance + weightedBatchVariance + delta * delta * count * batchCount / (count + batchCount)
    mean[j] = newMean
    variance[j] = m2 / (count + batchCount)
  }
}

import ActorCritic
import LinearAlgebra
import Randomness
import _TestSupport

/// One distribution of every kind, with small but non-trivial sizes.
let distributionKindsUnderTest: [DistributionKind] = [
  .categorical(actionCount: 4), .diagonalGaussian(dimension: 3), .multiCategorical(nvec: [2, 3, 4]),
  .bernoulli(count: 3),
]

/// The kinds that provide sampled-Fisher output gradients.
let fisherKindsUnderTest: [DistributionKind] = [.categorical(actionCount: 4), .diagonalGaussian(dimension: 3)]

/// Builds a distribution the tests know to be valid.
func makeTestDistribution(_ kind: DistributionKind) -> AnyActionDistribution {
  do { return try kind.makeDistribution() } catch { preconditionFailure("\(kind): \(error)") }
}

/// Random parameters: logits uniform on `[−logitRange, logitRange]`; for the Gaussian, means on
/// `[−meanRange, meanRange]` and log standard deviations on `[−logStdRange, logStdRange]`.
func randomDistributionParameters(
  _ distribution: AnyActionDistribution, rows: Int, seed: UInt32, logitRange: Double = 3,
  meanRange: Double = 1, logStdRange: Double = 0.5
) -> Matrix {
  let random = RandomStream(seed: seed)
  var m = Matrix(rows: rows, columns: distribution.parameterCount)
  if case .diagonalGaussian(let gaussian) = distribution {
    let d = gaussian.dimension
    for i in 0..<rows {
      for j in 0..<d {
        m[i, j] = Float(random.uniform(low: -meanRange, high: meanRange))
        m[i, d + j] = Float(random.uniform(low: -logStdRange, high: logStdRange))
      }
    }
  } else {
    for k in m.elements.indices { m.elements[k] = Float(random.uniform(low: -logitRange, high: logitRange)) }
  }
  return m
}

/// Random per-row weights on `[−2, 2]`.
func randomRowWeights(_ rows: Int, seed: UInt32) -> [Float] {
  let random = RandomStream(seed: seed)
  return (0..<rows).map { _ in Float(random.uniform(low: -2, high: 2)) }
}

/// `Σ_i w_i v_i`, summed in Double.
func weightedRowSum(_ values: [Float], _ weights: [Float]) -> Double {
  zip(values, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
}

/// The largest relative error between an analytic gradient (accumulated into zeros by `analytic`)
/// and central differences of `value`, evaluated through the Float implementation.
func distributionGradientError(
  at parameters: Matrix, step: Double = 1e-2, value: (Matrix) -> Double,
  analytic: (inout Matrix) -> Void
) -> Double {
  var gradient = Matrix(rows: parameters.rows, columns: parameters.columns)
  analytic(&gradient)
  let numeric = numericalGradient(
    of: { x in
      value(Matrix(rows: parameters.rows, columns: parameters.columns, elements: x.map { Float($0) }))
    },
    at: parameters.elements.map { Double($0) }, step: step)
  return maxRelativeError(gradient.elements.map { Double($0) }, numeric)
}

/// A matrix whose every row is `row`.
func matrixRepeatingRow(_ row: [Float], count: Int) -> Matrix {
  Matrix(rows: count, columns: row.count, elements: Array([[Float]](repeating: row, count: count).joined()))
}

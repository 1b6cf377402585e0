import LinearAlgebra
import Randomness

/// Orthogonal initialisation (Saxe, McClelland & Ganguli 2014,
/// [arXiv:1312.6120](https://arxiv.org/abs/1312.6120)) as stable-baselines' `ortho_init(scale)`.
///
/// ```
/// X ~ N(0, 1)^{rows × columns};  X = U Σ Vᵀ (thin SVD);
/// W = gain · (U if U has the shape of X, else Vᵀ)
/// ```
/// so `W` has orthonormal columns (rows ≥ columns) or rows (rows < columns), scaled by `gain`.
/// stable-baselines uses gain √2 for hidden layers, 0.01 for the policy head and 1 for the value
/// head (algorithms.md §1.4).
///
/// // Deviation: the Gaussian draws come from our GSL stream, not NumPy's, so the initial
/// // weights differ from a stable-baselines run with the same seed; their distribution is the same.
public func orthogonalInitialize(_ parameter: Parameter, gain: Float, using random: RandomStream) {
  let rows = parameter.value.rows, columns = parameter.value.columns
  var noise = [Double](repeating: 0, count: rows * columns)
  for i in noise.indices { noise[i] = random.gaussian() }
  guard let svd = try? SingularValueDecomposition(noise, rows: rows, columns: columns) else {
    // Gaussian noise is finite, and dgesdd converges on it; reaching here is a LAPACK defect.
    preconditionFailure("SVD of Gaussian noise failed")
  }
  let source = rows >= columns ? svd.u : svd.vt  // both are rows × columns in their branch
  for i in 0..<(rows * columns) { parameter.value.elements[i] = gain * Float(source[i]) }
}

/// Sets every element of `parameter` to `value` (stable-baselines initialises biases to 0).
public func constantInitialize(_ parameter: Parameter, value: Float) {
  parameter.value.elements.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
}

import LinearAlgebra

/// A parameter preconditioned by K-FAC, with the factors of its Fisher block.
///
/// The parameter is stored as a row-major `[m, n]` matrix (a dense weight `[inputs, outputs]`, a
/// bias `[1, outputs]`, a convolution kernel reshaped to `[kh·kw·c_in, c_out]`). With
/// `A = Q_A diag(e_A) Q_Aᵀ` (`m × m`, the ``rowFactor``) and `G = Q_G diag(e_G) Q_Gᵀ` (`n × n`, the
/// ``columnFactor``) the preconditioned gradient is (algorithms.md §3.3, openai/baselines
/// `acktr/kfac.py` `getKfacPrecondUpdates`)
/// ```
/// ĝ = Q_A [ (Q_Aᵀ g Q_G) ⊘ (e_A e_Gᵀ + ε) ] Q_Gᵀ
/// ```
/// which, without eigenvalue clipping, solves `A ĝ G + ε ĝ = g`, i.e. `ĝ = (A ⊗ G + εI)⁻¹ g`.
/// A G-only parameter has no row factor: `A = I` (`Q_A = I`, `e_A = 1`), so every row is
/// `ĝ_r = Q_G [ (Q_Gᵀ g_r) ⊘ (e_G + ε) ]`; this is ikostrikov's `AddBias` block with `A = [1]`.
///
/// The damping ε is added to the eigenvalue products, not factored Tikhonov damping
/// (openai/baselines#130).
public final class KroneckerFactoredParameter {
  /// The parameter.
  public let parameter: Parameter
  /// `A` (`m × m`), or `nil` for a G-only parameter.
  public let rowFactor: KroneckerFactor?
  /// `G` (`n × n`).
  public let columnFactor: KroneckerFactor

  private let rows: Int
  private let columns: Int
  private var work0: [Double]
  private var work1: [Double]

  /// Pairs a parameter stored as `[m, n]` with its factors (`rowFactor` of side `m` or `nil`,
  /// `columnFactor` of side `n`).
  public init(parameter: Parameter, rowFactor: KroneckerFactor?, columnFactor: KroneckerFactor) {
    rows = parameter.value.rows
    columns = parameter.value.columns
    precondition(
      columnFactor.dimension == columns,
      "\(parameter.name): G has side \(columnFactor.dimension), the parameter has \(columns) columns")
    if let rowFactor {
      precondition(
        rowFactor.dimension == rows,
        "\(parameter.name): A has side \(rowFactor.dimension), the parameter has \(rows) rows")
    }
    self.parameter = parameter
    self.rowFactor = rowFactor
    self.columnFactor = columnFactor
    work0 = [Double](repeating: 0, count: rows * columns)
    work1 = [Double](repeating: 0, count: rows * columns)
  }

  /// Writes the preconditioned gradient of ``parameter``'s stored gradient into `direction`, using
  /// the factors' decompositions in use, and returns `Σ ĝ ⊙ g` (accumulated in `Double`).
  ///
  /// - Parameters:
  ///   - direction: receives `ĝ`, `m·n` elements.
  ///   - damping: ε.
  func writePreconditionedGradient(into direction: inout [Float], damping: Double) -> Double {
    let m = rows, n = columns
    precondition(direction.count == m * n, "\(parameter.name): direction has the wrong size")
    // Deviation: the reference projects in float32; we project in Double (the eigenvectors are
    // Double) and round ĝ to Float once at the end.
    // 1. g in Double.
    work0.withUnsafeMutableBufferPointer { w in
      parameter.gradient.elements.withUnsafeBufferPointer { g in
        for i in 0..<(m * n) { w[i] = Double(g[i]) }
      }
    }
    let qG = columnFactor.eigenvectors
    // 2. Into the eigenbasis: (Q_Aᵀ g) Q_G.
    if let rowFactor {
      dgemm(
        transposeA: .transposed, transposeB: .none, m: m, n: n, k: m, alpha: 1, rowFactor.eigenvectors,
        lda: m, work0, ldb: n, beta: 0, &work1, ldc: n)
      dgemm(
        transposeA: .none, transposeB: .none, m: m, n: n, k: n, alpha: 1, work1, lda: n, qG, ldb: n,
        beta: 0, &work0, ldc: n)
    } else {
      dgemm(
        transposeA: .none, transposeB: .none, m: m, n: n, k: n, alpha: 1, work0, lda: n, qG, ldb: n,
        beta: 0, &work1, ldc: n)
      swap(&work0, &work1)
    }
    // 3. Divide by e_A e_Gᵀ + ε.
    work0.withUnsafeMutableBufferPointer { w in
      columnFactor.eigenvalues.withUnsafeBufferPointer { eG in
        if let rowFactor {
          rowFactor.eigenvalues.withUnsafeBufferPointer { eA in
            for i in 0..<m {
              for j in 0..<n { w[i * n + j] /= eA[i] * eG[j] + damping }
            }
          }
        } else {
          for i in 0..<m {
            for j in 0..<n { w[i * n + j] /= eG[j] + damping }
          }
        }
      }
    }
    // 4. Back: Q_A (·) Q_Gᵀ.
    if let rowFactor {
      dgemm(
        transposeA: .none, transposeB: .none, m: m, n: n, k: m, alpha: 1, rowFactor.eigenvectors, lda: m,
        work0, ldb: n, beta: 0, &work1, ldc: n)
      dgemm(
        transposeA: .none, transposeB: .transposed, m: m, n: n, k: n, alpha: 1, work1, lda: n, qG, ldb: n,
        beta: 0, &work0, ldc: n)
    } else {
      dgemm(
        transposeA: .none, transposeB: .transposed, m: m, n: n, k: n, alpha: 1, work0, lda: n, qG, ldb: n,
        beta: 0, &work1, ldc: n)
      swap(&work0, &work1)
    }
    // 5. ĝ in Float, and Σ ĝ·g for the trust region.
    var inner = 0.0
    direction.withUnsafeMutableBufferPointer { d in
      work0.withUnsafeBufferPointer { w in
        parameter.gradient.elements.withUnsafeBufferPointer { g in
          for i in 0..<(m * n) {
            let x = Float(w[i])
            d[i] = x
            inner += Double(x) * Double(g[i])
          }
        }
      }
    }
    return inner
  }
}

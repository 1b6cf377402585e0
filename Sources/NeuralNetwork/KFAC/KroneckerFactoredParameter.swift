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
  /// The single-precision path's work buffer (allocated on first use).
  private var floatWork: [Float] = []

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
  /// With ``KFAC/EigenSolver/double`` the projections run in `Double` (`dgemm`); with
  /// ``KFAC/EigenSolver/single`` in `Float` (`sgemm`) on the decompositions `ssyevd` returned, as
  /// TensorFlow's float32 K-FAC computed them (``writeSinglePrecision(into:damping:)``).
  /// - Parameters:
  ///   - direction: receives `ĝ`, `m·n` elements.
  ///   - damping: ε.
  ///   - precision: which arithmetic (the configuration's eigensolver).
  func writePreconditionedGradient(into direction: inout [Float], damping: Double, precision: KFAC.EigenSolver)
    -> Double
  {
    precondition(direction.count == rows * columns, "\(parameter.name): direction has the wrong size")
    switch precision {
    case .double: writeDoublePrecision(into: &direction, damping: damping)
    case .single: writeSinglePrecision(into: &direction, damping: Float(damping))
    }
    // Σ ĝ·g for the trust region.
    var inner = 0.0
    direction.withUnsafeBufferPointer { d in
      parameter.gradient.elements.withUnsafeBufferPointer { g in
        for i in 0..<d.count { inner += Double(d[i]) * Double(g[i]) }
      }
    }
    return inner
  }

  /// `ĝ` in `Double` on the `Double` decompositions, rounded to `Float` once at the end.
  private func writeDoublePrecision(into direction: inout [Float], damping: Double) {
    let m = rows, n = columns
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
    Self.divide(
      &work0, rows: m, columns: n, rowEigenvalues: rowFactor?.eigenvalues, columnEigenvalues: columnFactor.eigenvalues,
      damping: damping)
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
    // 5. ĝ in Float.
    direction.withUnsafeMutableBufferPointer { d in
      work0.withUnsafeBufferPointer { w in
        for i in 0..<(m * n) { d[i] = Float(w[i]) }
      }
    }
  }

  /// `ĝ` in `Float` (`sgemm`) on the decompositions rounded to `Float`
  /// (``KroneckerFactor/singlePrecisionDecomposition()``, exactly `ssyevd`'s outputs):
  /// ```
  /// ĝ = Q̂_A [ (Q̂_Aᵀ g Q̂_G) ⊘ fl32(ê_A ê_Gᵀ + ε) ] Q̂_Gᵀ      (every product and quotient in float32)
  /// ```
  /// This is the reference's own arithmetic: stable-baselines' `KfacOptimizer.get_kfac_precond_updates`
  /// (`acktr/kfac.py`) projects with float32 `gmatmul`s, multiplies the float32 eigenvalues into
  /// `coeffs`, adds `epsilon` and divides, all in float32 — not a deviation. At nature_cnn's fc1
  /// (`m = 3136`, `n = 512`) the four projections are `2·3136²·512 + 2·3136·512²` MACs (≈ 11.7
  /// GMAC) per update, which `sgemm` runs at about twice `dgemm`'s rate.
  private func writeSinglePrecision(into direction: inout [Float], damping: Float) {
    let m = rows, n = columns
    if floatWork.count != m * n { floatWork = [Float](repeating: 0, count: m * n) }
    let (eG, qG) = columnFactor.singlePrecisionDecomposition()
    let rowDecomposition = rowFactor?.singlePrecisionDecomposition()
    let g = parameter.gradient.elements
    // 1. Into the eigenbasis: (Q_Aᵀ g) Q_G (into `direction`, used as the second work buffer).
    if let qA = rowDecomposition?.eigenvectors {
      gemm(
        transposeA: .transposed, transposeB: .none, m: m, n: n, k: m, alpha: 1, qA, lda: m, g, ldb: n, beta: 0,
        &direction, ldc: n)
      gemm(
        transposeA: .none, transposeB: .none, m: m, n: n, k: n, alpha: 1, direction, lda: n, qG, ldb: n, beta: 0,
        &floatWork, ldc: n)
    } else {
      gemm(
        transposeA: .none, transposeB: .none, m: m, n: n, k: n, alpha: 1, g, lda: n, qG, ldb: n, beta: 0,
        &floatWork, ldc: n)
    }
    // 2. Divide by e_A e_Gᵀ + ε (TensorFlow: `coeffs *= e` per factor, `coeffs += ε`, `grad /= coeffs`).
    Self.divide(
      &floatWork, rows: m, columns: n, rowEigenvalues: rowDecomposition?.eigenvalues, columnEigenvalues: eG,
      damping: damping)
    // 3. Back: Q_A (·) Q_Gᵀ.
    if let qA = rowDecomposition?.eigenvectors {
      gemm(
        transposeA: .none, transposeB: .none, m: m, n: n, k: m, alpha: 1, qA, lda: m, floatWork, ldb: n, beta: 0,
        &direction, ldc: n)
      gemm(
        transposeA: .none, transposeB: .transposed, m: m, n: n, k: n, alpha: 1, direction, lda: n, qG, ldb: n,
        beta: 0, &floatWork, ldc: n)
      swap(&floatWork, &direction)
    } else {
      gemm(
        transposeA: .none, transposeB: .transposed, m: m, n: n, k: n, alpha: 1, floatWork, lda: n, qG, ldb: n,
        beta: 0, &direction, ldc: n)
    }
  }

  /// `W ← W ⊘ (e_A e_Gᵀ + ε)` for row-major `W` (`m × n`), in `T`'s arithmetic; without `e_A`
  /// (a G-only parameter) `W ← W ⊘ (1 e_Gᵀ + ε)`.
  private static func divide<T: BinaryFloatingPoint>(
    _ work: inout [T], rows m: Int, columns n: Int, rowEigenvalues: [T]?, columnEigenvalues: [T], damping: T
  ) {
    work.withUnsafeMutableBufferPointer { w in
      columnEigenvalues.withUnsafeBufferPointer { eG in
        if let rowEigenvalues {
          rowEigenvalues.withUnsafeBufferPointer { eA in
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
  }
}

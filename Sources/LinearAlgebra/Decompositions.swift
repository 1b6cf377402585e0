internal import CLAPACKE

/// The eigendecomposition `S = Q·diag(λ)·Qᵀ` of a real symmetric matrix.
public struct SymmetricEigendecomposition: Sendable, Equatable {
  /// Eigenvalues λ in ascending order.
  public var eigenvalues: [Double]
  /// Eigenvectors as the columns of a row-major `n × n` matrix `Q`: `Q[i, j] = eigenvectors[i*n + j]`.
  public var eigenvectors: [Double]
  /// The dimension `n`.
  public var dimension: Int

  /// Decomposes the symmetric `n × n` row-major matrix `s` (`LAPACKE_dsyevd`, divide and conquer).
  ///
  /// Only the upper triangle is read.
  /// - Throws: ``LinearAlgebraError`` when the input is not finite or LAPACK fails.
  public init(symmetric s: [Double], dimension n: Int) throws {
    precondition(s.count == n * n, "symmetric matrix must have \(n * n) elements, got \(s.count)")
    guard s.allSatisfy({ $0.isFinite }) else { throw LinearAlgebraError.nonFiniteInput(routine: "dsyevd") }
    var a = s
    var w = [Double](repeating: 0, count: n)
    if n > 0 {
      let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), LAPACKInt(n), &a, LAPACKInt(n), &w)
      try LinearAlgebraError.check(info, "dsyevd")
      FlopCounter.record(FlopCounter.symmetricEigendecompositionOperations(dimension: n))
    }
    self.eigenvalues = w
    self.eigenvectors = a
    self.dimension = n
  }
}

/// The eigendecomposition `S = Q·diag(λ)·Qᵀ` of a real symmetric matrix in single precision
/// (`LAPACKE_ssyevd_work`, divide and conquer), the precision of the reference's K-FAC
/// (TensorFlow's float32 `self_adjoint_eig`).
///
/// An opt-in for large K-FAC factors; ``SymmetricEigendecomposition`` (`dsyevd`) stays the default.
/// Measured on one core of this machine (OpenBLAS 0.3.21 Haswell kernels, single thread, a shared
/// 2-core VM; thread CPU time, best of 2) on nature_cnn's fc1 `A` factor size, n = 3136, the
/// covariance of 8192 ReLU-like feature vectors (eigenvalues 0.006…108):
///
/// | solver | time | ‖A − QΛQᵀ‖_F/‖A‖_F | max \|QᵀQ − I\| |
/// | --- | --- | --- | --- |
/// | `dsyevd` (default) | 6.1 s | 4e-15 | 5e-15 |
/// | `dsyevr` | 6.4 s | 7e-15 | 5e-12 |
/// | `ssyevd` (this) | 2.7 s | 2e-5 | 1.4e-6 |
/// | `ssyevr` | 4.3 s | – | – |
///
/// With a 512-wide `G` factor decomposed in `Double` and ε = 0.01, the preconditioned gradient
/// `Q_A[(Q_Aᵀ g Q_G) ⊘ (e_A e_Gᵀ + ε)]Q_Gᵀ` from this decomposition differs from the `dsyevd` one by
/// 2.1e-3 in relative norm (max element 1.5e-3 of the largest), and `ĝ·g` (the trust-region `vFv`)
/// by 6e-7 relative: the error of a float32 K-FAC, i.e. the reference's own.
///
/// The workspace is sized here in integers: `LAPACKE_ssyevd` itself queries it as a `Float`, and for
/// n ≥ 2897 the size `1 + 6n + 2n²` is above 2²⁴ and rounds down, so LAPACK rejects it ("parameter
/// number 8 had an illegal value"; measured at n = 3136 with the Debian 12 OpenBLAS 0.3.21).
public struct SinglePrecisionSymmetricEigendecomposition: Sendable, Equatable {
  /// Eigenvalues λ in ascending order.
  public var eigenvalues: [Float]
  /// Eigenvectors as the columns of a row-major `n × n` matrix `Q`: `Q[i, j] = eigenvectors[i*n + j]`.
  public var eigenvectors: [Float]
  /// The dimension `n`.
  public var dimension: Int

  /// Decomposes the symmetric `n × n` row-major matrix `s`. Only the upper triangle is read.
  /// - Throws: ``LinearAlgebraError`` when the input is not finite or LAPACK fails.
  public init(symmetric s: [Float], dimension n: Int) throws {
    precondition(s.count == n * n, "symmetric matrix must have \(n * n) elements, got \(s.count)")
    guard s.allSatisfy({ $0.isFinite }) else { throw LinearAlgebraError.nonFiniteInput(routine: "ssyevd") }
    var a = s
    var w = [Float](repeating: 0, count: n)
    if n > 0 {
      let workCount = n > 1 ? 1 + 6 * n + 2 * n * n : 1
      let integerWorkCount = n > 1 ? 3 + 5 * n : 1
      var work = [Float](repeating: 0, count: workCount)
      var integerWork = [LAPACKInt](repeating: 0, count: integerWorkCount)
      let info = LAPACKE_ssyevd_work(
        LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")), LAPACKInt(n), &a, LAPACKInt(n), &w,
        &work, LAPACKInt(workCount), &integerWork, LAPACKInt(integerWorkCount))
      try LinearAlgebraError.check(info, "ssyevd")
      FlopCounter.record(FlopCounter.symmetricEigendecompositionOperations(dimension: n))
    }
    self.eigenvalues = w
    self.eigenvectors = a
    self.dimension = n
  }
}

/// The thin singular value decomposition `A = U·diag(σ)·Vᵀ` of an `m × n` matrix, `k = min(m, n)`.
public struct SingularValueDecomposition: Sendable, Equatable {
  /// `U`, row-major `m × k`.
  public var u: [Double]
  /// Singular values σ in descending order, `k` of them.
  public var singularValues: [Double]
  /// `Vᵀ`, row-major `k × n`.
  public var vt: [Double]
  public var rows: Int
  public var columns: Int

  /// Decomposes the row-major `rows × columns` matrix `a` (`LAPACKE_dgesdd`, as NumPy's `svd`).
  public init(_ a: [Double], rows m: Int, columns n: Int) throws {
    precondition(a.count == m * n, "matrix must have \(m * n) elements, got \(a.count)")
    guard a.allSatisfy({ $0.isFinite }) else { throw LinearAlgebraError.nonFiniteInput(routine: "dgesdd") }
    let k = min(m, n)
    var work = a
    var s = [Double](repeating: 0, count: k)
    var u = [Double](repeating: 0, count: m * k)
    var vt = [Double](repeating: 0, count: k * n)
    if k > 0 {
      let info = LAPACKE_dgesdd(
        LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), LAPACKInt(m), LAPACKInt(n), &work, LAPACKInt(n), &s, &u,
        LAPACKInt(k), &vt, LAPACKInt(n))
      try LinearAlgebraError.check(info, "dgesdd")
    }
    self.u = u
    self.singularValues = s
    self.vt = vt
    self.rows = m
    self.columns = n
  }
}

/// The thin QR decomposition `A = Q·R` of an `m × n` matrix with `m ≥ n`
/// (`LAPACKE_dgeqrf` + `LAPACKE_dorgqr`).
public struct QRDecomposition: Sendable, Equatable {
  /// `Q`, row-major `m × n`, with orthonormal columns.
  public var q: [Double]
  /// `R`, row-major `n × n`, upper triangular.
  public var r: [Double]
  public var rows: Int
  public var columns: Int

  public init(_ a: [Double], rows m: Int, columns n: Int) throws {
    precondition(a.count == m * n, "matrix must have \(m * n) elements, got \(a.count)")
    precondition(m >= n, "thin QR needs rows ≥ columns, got \(m)×\(n)")
    guard a.allSatisfy({ $0.isFinite }) else { throw LinearAlgebraError.nonFiniteInput(routine: "dgeqrf") }
    var work = a
    var tau = [Double](repeating: 0, count: n)
    var r = [Double](repeating: 0, count: n * n)
    if n > 0 {
      try LinearAlgebraError.check(
        LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, LAPACKInt(m), LAPACKInt(n), &work, LAPACKInt(n), &tau), "dgeqrf")
      for i in 0..<n { for j in i..<n { r[i * n + j] = work[i * n + j] } }
      try LinearAlgebraError.check(
        LAPACKE_dorgqr(LAPACK_ROW_MAJOR, LAPACKInt(m), LAPACKInt(n), LAPACKInt(n), &work, LAPACKInt(n), &tau),
        "dorgqr")
    }
    self.q = work
    self.r = r
    self.rows = m
    self.columns = n
  }
}

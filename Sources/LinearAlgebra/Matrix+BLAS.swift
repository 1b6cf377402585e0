internal import COpenBLAS

// The only file that calls CBLAS. All routines are the single-precision (`cblas_s*`) ones and
// work on row-major storage; each adds its operations to ``FlopCounter/current``.

/// Whether a matrix operand is used as is or transposed.
public enum Transpose: Sendable {
  case none
  case transposed

  var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// General matrix multiply `C ← α·op(A)·op(B) + β·C` (`cblas_sgemm`).
///
/// `c` must already have the shape of the product; with `beta == 0` its contents are ignored.
@inlinable
public func gemm(
  _ a: Matrix, _ b: Matrix, into c: inout Matrix, transposeA: Transpose = .none,
  transposeB: Transpose = .none, alpha: Float = 1, beta: Float = 0
) {
  let m = transposeA == .none ? a.rows : a.columns
  let k = transposeA == .none ? a.columns : a.rows
  let kb = transposeB == .none ? b.rows : b.columns
  let n = transposeB == .none ? b.columns : b.rows
  precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
  precondition(c.rows == m && c.columns == n, "gemm: C is \(c.rows)×\(c.columns), product is \(m)×\(n)")
  _gemm(
    transposeA, transposeB, m, n, k, alpha, a.elements, a.columns, b.elements, b.columns, beta,
    &c.elements, c.columns)
}

@usableFromInline
func _gemm(
  _ ta: Transpose, _ tb: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: [Float],
  _ lda: Int, _ b: [Float], _ ldb: Int, _ beta: Float, _ c: inout [Float], _ ldc: Int
) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    for i in c.indices { c[i] *= beta }
    return
  }
  cblas_sgemm(
    CblasRowMajor, ta.cblas, tb.cblas, Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b,
    Int32(max(ldb, 1)), beta, &c, Int32(max(ldc, 1)))
  FlopCounter.record(2 * m * n * k)
}

/// Symmetric rank-k update `C ← α·op(A)ᵀ·op(A) + β·C` with the full matrix written
/// (`cblas_ssyrk` on the upper triangle, then mirrored).
///
/// `transpose: .transposed` gives `α·AᵀA` (`A` is `[k, n]`, `C` is `[n, n]`), `.none` gives
/// `α·A·Aᵀ` (`A` is `[n, k]`). Half the flops of the equivalent ``gemm(_:_:into:transposeA:transposeB:alpha:beta:)``;
/// the rounding differs from it (a different summation blocking), so results are not bit-identical
/// to `gemm`'s.
public func syrk(
  _ a: Matrix, into c: inout Matrix, transpose: Transpose = .transposed, alpha: Float = 1, beta: Float = 0
) {
  let n = transpose == .transposed ? a.columns : a.rows
  let k = transpose == .transposed ? a.rows : a.columns
  precondition(c.rows == n && c.columns == n, "syrk: C is \(c.rows)×\(c.columns), expected \(n)×\(n)")
  if n == 0 { return }
  if k == 0 {
    for i in c.elements.indices { c.elements[i] *= beta }
    return
  }
  cblas_ssyrk(
    CblasRowMajor, CblasUpper, transpose.cblas, Int32(n), Int32(k), alpha, a.elements, Int32(max(a.columns, 1)),
    beta, &c.elements, Int32(n))
  FlopCounter.record(k * n * (n + 1))
  c.elements.withUnsafeMutableBufferPointer { e in
    for i in 1..<n {
      for j in 0..<i { e[i * n + j] = e[j * n + i] }
    }
  }
}

/// General matrix multiply over raw row-major storage, `C ← α·op(A)·op(B) + β·C`
/// (`cblas_sgemm`), for blocks of larger buffers (e.g. a convolution's per-chunk products).
///
/// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; `lda`, `ldb`, `ldc` are the row strides.
@inlinable
public func gemm(
  transposeA: Transpose, transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
  _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int, beta: Float,
  _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  _gemmPointers(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

@usableFromInline
func _gemmPointers(
  _ ta: Transpose, _ tb: Transpose, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>,
  _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    for i in 0..<m { for j in 0..<n { c[i * ldc + j] *= beta } }
    return
  }
  cblas_sgemm(
    CblasRowMajor, ta.cblas, tb.cblas, Int32(m), Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), b,
    Int32(max(ldb, 1)), beta, c, Int32(max(ldc, 1)))
  FlopCounter.record(2 * m * n * k)
}

/// Symmetric rank-k update over raw row-major storage, `C ← α·AᵀA + β·C` (`A` is `k × n`, stride
/// `lda`; `cblas_ssyrk`), writing the **upper triangle** of the `n × n` matrix `C` only.
@inlinable
public func syrkUpper(
  n: Int, k: Int, alpha: Float, _ a: UnsafePointer<Float>, lda: Int, beta: Float,
  _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  _syrkUpperPointers(n, k, alpha, a, lda, beta, c, ldc)
}

@usableFromInline
func _syrkUpperPointers(
  _ n: Int, _ k: Int, _ alpha: Float, _ a: UnsafePointer<Float>, _ lda: Int, _ beta: Float,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int
) {
  if n == 0 { return }
  if k == 0 {
    for i in 0..<n { for j in i..<n { c[i * ldc + j] *= beta } }
    return
  }
  cblas_ssyrk(
    CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(k), alpha, a, Int32(max(lda, 1)), beta, c,
    Int32(max(ldc, 1)))
  FlopCounter.record(k * n * (n + 1))
}

/// The product `op(A)·op(B)` as a new matrix.
public func matmul(
  _ a: Matrix, _ b: Matrix, transposeA: Transpose = .none, transposeB: Transpose = .none
) -> Matrix {
  var c = Matrix(
    rows: transposeA == .none ? a.rows : a.columns, columns: transposeB == .none ? b.columns : b.rows)
  gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB)
  return c
}

/// Matrix–vector multiply `y ← α·op(A)·x + β·y` (`cblas_sgemv`).
public func gemv(
  _ a: Matrix, _ x: [Float], into y: inout [Float], transposeA: Transpose = .none,
  alpha: Float = 1, beta: Float = 0
) {
  let outCount = transposeA == .none ? a.rows : a.columns
  let inCount = transposeA == .none ? a.columns : a.rows
  precondition(x.count == inCount && y.count == outCount, "gemv: shapes do not match")
  if a.rows == 0 || a.columns == 0 { return }
  cblas_sgemv(
    CblasRowMajor, transposeA.cblas, Int32(a.rows), Int32(a.columns), alpha, a.elements,
    Int32(a.columns), x, 1, beta, &y, 1)
  FlopCounter.record(2 * a.rows * a.columns)
}

/// Rank-one update `A ← A + α·x·yᵀ` (`cblas_sger`).
public func ger(_ x: [Float], _ y: [Float], into a: inout Matrix, alpha: Float = 1) {
  precondition(x.count == a.rows && y.count == a.columns, "ger: shapes do not match")
  if a.rows == 0 || a.columns == 0 { return }
  cblas_sger(
    CblasRowMajor, Int32(a.rows), Int32(a.columns), alpha, x, 1, y, 1, &a.elements, Int32(a.columns))
  FlopCounter.record(2 * a.rows * a.columns)
}

/// `y ← α·x + y` (`cblas_saxpy`).
public func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
  precondition(x.count == y.count, "axpy: lengths differ (\(x.count) vs \(y.count))")
  if x.isEmpty { return }
  cblas_saxpy(Int32(x.count), alpha, x, 1, &y, 1)
  FlopCounter.record(2 * x.count)
}

/// The dot product `xᵀy` (`cblas_sdot`; accumulates in `Float`).
public func dot(_ x: [Float], _ y: [Float]) -> Float {
  precondition(x.count == y.count, "dot: lengths differ (\(x.count) vs \(y.count))")
  if x.isEmpty { return 0 }
  FlopCounter.record(2 * x.count)
  return cblas_sdot(Int32(x.count), x, 1, y, 1)
}

/// `x ← α·x` (`cblas_sscal`).
public func scale(_ x: inout [Float], by alpha: Float) {
  if x.isEmpty { return }
  cblas_sscal(Int32(x.count), alpha, &x, 1)
  FlopCounter.record(x.count)
}

/// Double-precision general matrix multiply over raw row-major arrays (`cblas_dgemm`), for the
/// K-FAC factor algebra that runs in `Double`.
public func dgemm(
  transposeA: Transpose, transposeB: Transpose, m: Int, n: Int, k: Int, alpha: Double,
  _ a: [Double], lda: Int, _ b: [Double], ldb: Int, beta: Double, _ c: inout [Double], ldc: Int
) {
  if m == 0 || n == 0 { return }
  if k == 0 {
    for i in c.indices { c[i] *= beta }
    return
  }
  cblas_dgemm(
    CblasRowMajor, transposeA.cblas, transposeB.cblas, Int32(m), Int32(n), Int32(k), alpha, a,
    Int32(max(lda, 1)), b, Int32(max(ldb, 1)), beta, &c, Int32(max(ldc, 1)))
  FlopCounter.record(2 * m * n * k)
}

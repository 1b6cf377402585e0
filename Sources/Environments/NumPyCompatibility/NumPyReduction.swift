/// NumPy's summation order for `np.sum`/`np.mean`/`np.var` along axis 0, reproduced exactly.
///
/// For a C-contiguous `(rows, columns)` array NumPy reduces axis 0 in one of two ways:
/// ```
/// columns ≥ 2:  out[j] = a[0, j];  out[j] += a[i, j] for i = 1, 2, …      (sequential)
/// columns = 1:  pairwise summation (numpy/_core/src/umath/loops_utils.h.src, `pairwise_sum`):
///   n < 8:       s = 0; s += aᵢ in order
///   8 ≤ n ≤ 128: eight accumulators r_k = Σ a_{8m+k}, ((r₀+r₁)+(r₂+r₃)) + ((r₄+r₅)+(r₆+r₇)),
///                then the n mod 8 leftovers in order
///   n > 128:     split at n₂ = ⌊n/2⌋ − (⌊n/2⌋ mod 8) and add the two halves' sums
/// ```
/// in the array's own dtype (`float32` arrays are summed in `float32`).
enum NumPyReduction {
  /// The sum along axis 0 of column `column`, with `element(i)` giving `a[i, column]`.
  @inline(__always)
  static func sumAlongRows<T: BinaryFloatingPoint>(
    rows: Int, columns: Int, _ element: (Int) -> T
  ) -> T {
    if columns == 1 { return pairwiseSum(from: 0, count: rows, element) }
    var sum = element(0)
    var i = 1
    while i < rows {
      sum += element(i)
      i += 1
    }
    return sum
  }

  /// NumPy's `pairwise_sum` of `element(start ..< start + count)`.
  static func pairwiseSum<T: BinaryFloatingPoint>(
    from start: Int, count n: Int, _ element: (Int) -> T
  ) -> T {
    if n < 8 {
      var result: T = 0
      for i in 0..<n { result += element(start + i) }
      return result
    } else if n <= 128 {
      var r0 = element(start), r1 = element(start + 1), r2 = element(start + 2)
      var r3 = element(start + 3), r4 = element(start + 4), r5 = element(start + 5)
      var r6 = element(start + 6), r7 = element(start + 7)
      var i = 8
      while i < n - (n % 8) {
        r0 += element(start + i)
        r1 += element(start + i + 1)
        r2 += element(start + i + 2)
        r3 += element(start + i + 3)
        r4 += element(start + i + 4)
        r5 += element(start + i + 5)
        r6 += element(start + i + 6)
        r7 += element(start + i + 7)
        i += 8
      }
      var result = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
      while i < n {
        result += element(start + i)
        i += 1
      }
      return result
    } else {
      var half = n / 2
      half -= half % 8
      return pairwiseSum(from: start, count: half, element)
        + pairwiseSum(from: start + half, count: n - half, element)
    }
  }

  /// `(np.mean(a, axis=0)[column], np.var(a, axis=0)[column])` in the array's dtype `T`.
  ///
  /// ```
  /// mean = sum(a[:, j]) / n;   var = sum((a[:, j] − mean)²) / n       (every operation in T)
  /// ```
  static func meanAndVariance<T: BinaryFloatingPoint>(
    rows: Int, columns: Int, _ element: (Int) -> T
  ) -> (mean: T, variance: T) {
    let n = T(rows)
    let mean = sumAlongRows(rows: rows, columns: columns, element) / n
    let squares = sumAlongRows(rows: rows, columns: columns) { i -> T in
      let deviation = element(i) - mean
      return deviation * deviation
    }
    return (mean, squares / n)
  }
}

import LinearAlgebra
import Testing
import _TestSupport

@Suite struct BLASTests {
  @Test func gemmMatchesHandComputedProduct() {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])
    let b = Matrix([[1, 0], [0, 1], [1, 1]])
    #expect(matmul(a, b) == Matrix([[4, 5], [10, 11]]))
    #expect(matmul(a, a, transposeA: .transposed) == Matrix([[17, 22, 27], [22, 29, 36], [27, 36, 45]]))
    var c = Matrix(rows: 2, columns: 2, repeating: 1)
    gemm(a, b, into: &c, alpha: 2, beta: 1)
    #expect(c == Matrix([[9, 11], [21, 23]]))
  }

  @Test func syrkWritesTheFullSymmetricGramian() {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])
    var c = Matrix(rows: 3, columns: 3, repeating: 1)
    syrk(a, into: &c, transpose: .transposed, alpha: 2, beta: 1)
    #expect(c == Matrix([[35, 45, 55], [45, 59, 73], [55, 73, 91]]))  // 2·AᵀA + 1
    var d = Matrix(rows: 2, columns: 2)
    syrk(a, into: &d, transpose: .none)
    #expect(d == Matrix([[14, 32], [32, 77]]))  // A·Aᵀ
  }

  @Test func vectorRoutines() {
    var y: [Float] = [1, 1, 1]
    axpy(2, [1, 2, 3], &y)
    #expect(y == [3, 5, 7])
    #expect(dot([1, 2, 3], [4, 5, 6]) == 32)
    var m = Matrix(rows: 2, columns: 3)
    ger([1, 2], [1, 0, -1], into: &m)
    #expect(m == Matrix([[1, 0, -1], [2, 0, -2]]))
    var out: [Float] = [0, 0]
    gemv(Matrix([[1, 2], [3, 4]]), [1, 1], into: &out)
    #expect(out == [3, 7])
  }

  @Test func openBLASIsTheLinkedCBLAS() {
    // style-anchors §5.3(4): the CBLAS symbols must resolve to OpenBLAS, not GSL's reference CBLAS.
    #expect(BLASRuntime.configuration.contains("OpenBLAS"))
    #expect(!BLASRuntime.coreName.isEmpty)
  }
}

@Suite struct DecompositionTests {
  @Test func symmetricEigenReconstructs() throws {
    let s: [Double] = [4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2]
    let e = try SymmetricEigendecomposition(symmetric: s, dimension: 3)
    #expect(e.eigenvalues == e.eigenvalues.sorted())
    var rebuilt = [Double](repeating: 0, count: 9)
    for i in 0..<3 {
      for j in 0..<3 {
        for k in 0..<3 { rebuilt[i * 3 + j] += e.eigenvectors[i * 3 + k] * e.eigenvalues[k] * e.eigenvectors[j * 3 + k] }
      }
    }
    #expect(allApproximatelyEqual(rebuilt, s, relativeTolerance: 1e-12, absoluteTolerance: 1e-12))
  }

  /// `ssyevd` on a 64×64 SPD matrix (a Gramian of random rows): ascending eigenvalues matching
  /// `dsyevd`'s to float precision, an orthonormal Q and a reconstruction to float precision; the
  /// 1×1 and 0×0 cases; NaN refused.
  @Test func singlePrecisionEigenMatchesDoublePrecision() throws {
    let n = 64, rows = 96
    var state: UInt64 = 12345
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53) - 0.5
    }
    let x = (0..<(rows * n)).map { _ in next() }
    var s = [Double](repeating: 0, count: n * n)
    for r in 0..<rows {
      for i in 0..<n { for j in 0..<n { s[i * n + j] += x[r * n + i] * x[r * n + j] } }
    }
    let single = try SinglePrecisionSymmetricEigendecomposition(symmetric: s.map(Float.init), dimension: n)
    let double = try SymmetricEigendecomposition(symmetric: s, dimension: n)
    #expect(single.eigenvalues == single.eigenvalues.sorted())
    let largest = double.eigenvalues.last ?? 1
    for (a, b) in zip(single.eigenvalues, double.eigenvalues) { #expect(abs(Double(a) - b) < 1e-5 * largest) }
    var worstReconstruction = 0.0, worstOrthogonality = 0.0
    for i in 0..<n {
      for j in 0..<n {
        var rebuilt = 0.0, gram = 0.0
        for k in 0..<n {
          let qik = Double(single.eigenvectors[i * n + k]), qjk = Double(single.eigenvectors[j * n + k])
          rebuilt += qik * Double(single.eigenvalues[k]) * qjk
          gram += Double(single.eigenvectors[k * n + i]) * Double(single.eigenvectors[k * n + j])
        }
        worstReconstruction = max(worstReconstruction, abs(rebuilt - s[i * n + j]))
        worstOrthogonality = max(worstOrthogonality, abs(gram - (i == j ? 1 : 0)))
      }
    }
    #expect(worstReconstruction < 1e-5 * largest)
    #expect(worstOrthogonality < 1e-5)
    #expect(try SinglePrecisionSymmetricEigendecomposition(symmetric: [2], dimension: 1).eigenvalues == [2])
    #expect(try SinglePrecisionSymmetricEigendecomposition(symmetric: [], dimension: 0).eigenvalues.isEmpty)
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "ssyevd")) {
      _ = try SinglePrecisionSymmetricEigendecomposition(symmetric: [.nan, 0, 0, 1], dimension: 2)
    }
  }

  @Test func nonFiniteInputIsATypedError() {
    #expect(throws: LinearAlgebraError.nonFiniteInput(routine: "dsyevd")) {
      _ = try SymmetricEigendecomposition(symmetric: [.nan, 0, 0, 1], dimension: 2)
    }
  }

  @Test func thinSVDAndQRHaveOrthonormalFactors() throws {
    let a: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 10, 1, 0, 1]  // 4×3
    let svd = try SingularValueDecomposition(a, rows: 4, columns: 3)
    let qr = try QRDecomposition(a, rows: 4, columns: 3)
    for factor in [svd.u, qr.q] {
      for i in 0..<3 {
        for j in 0..<3 {
          var g = 0.0
          for r in 0..<4 { g += factor[r * 3 + i] * factor[r * 3 + j] }
          #expect(abs(g - (i == j ? 1 : 0)) < 1e-12)
        }
      }
    }
    #expect(svd.singularValues == svd.singularValues.sorted(by: >))
  }
}

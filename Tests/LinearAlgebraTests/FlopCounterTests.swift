import Foundation
import LinearAlgebra
import Testing

@Suite struct FlopCounterTests {
  /// The operations one call adds to a fresh counter.
  private func counted(_ body: () throws -> Void) rethrows -> Int {
    let counter = FlopCounter()
    try counter.counting(body)
    return counter.operations
  }

  @Test func eachRoutineAddsItsTextbookCount() throws {
    let a = Matrix(rows: 3, columns: 5, repeating: 1), b = Matrix(rows: 5, columns: 7, repeating: 1)
    var c = Matrix(rows: 3, columns: 7)
    #expect(counted { gemm(a, b, into: &c) } == 2 * 3 * 7 * 5)
    var ct = Matrix(rows: 5, columns: 5)
    #expect(counted { gemm(a, a, into: &ct, transposeA: .transposed) } == 2 * 5 * 5 * 3)
    var gram = Matrix(rows: 5, columns: 5)
    #expect(counted { syrk(a, into: &gram, transpose: .transposed) } == 3 * 5 * 6)
    var upper = [Float](repeating: 0, count: 25)
    #expect(
      counted {
        a.elements.withUnsafeBufferPointer { p in
          syrkUpper(n: 5, k: 3, alpha: 1, p.baseAddress!, lda: 5, beta: 0, &upper, ldc: 5)
        }
      } == 3 * 5 * 6)
    var raw = [Float](repeating: 0, count: 21)
    #expect(
      counted {
        a.elements.withUnsafeBufferPointer { pa in
          b.elements.withUnsafeBufferPointer { pb in
            gemm(
              transposeA: .none, transposeB: .none, m: 3, n: 7, k: 5, alpha: 1, pa.baseAddress!, lda: 5,
              pb.baseAddress!, ldb: 7, beta: 0, &raw, ldc: 7)
          }
        }
      } == 2 * 3 * 7 * 5)
    var y = [Float](repeating: 0, count: 3)
    #expect(counted { gemv(a, [Float](repeating: 1, count: 5), into: &y) } == 2 * 3 * 5)
    var outer = Matrix(rows: 3, columns: 5)
    #expect(counted { ger([1, 2, 3], [1, 2, 3, 4, 5], into: &outer) } == 2 * 3 * 5)
    var v: [Float] = [1, 2, 3, 4]
    #expect(counted { axpy(2, [1, 1, 1, 1], &v) } == 8)
    #expect(counted { _ = dot(v, v) } == 8)
    #expect(counted { scale(&v, by: 0.5) } == 4)
    var d = [Double](repeating: 0, count: 6)
    #expect(
      counted {
        dgemm(
          transposeA: .none, transposeB: .none, m: 2, n: 3, k: 4, alpha: 1, [Double](repeating: 1, count: 8), lda: 4,
          [Double](repeating: 1, count: 12), ldb: 3, beta: 0, &d, ldc: 3)
      } == 2 * 2 * 3 * 4)
  }

  @Test func eigendecompositionsCountTheirDenseStages() throws {
    let n = 6
    var s = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n { s[i * n + j] = 1 / Double(i + j + 1) } }
    let expected = 10 * n * n * n / 3
    #expect(FlopCounter.symmetricEigendecompositionOperations(dimension: n) == expected)
    #expect(try counted { _ = try SymmetricEigendecomposition(symmetric: s, dimension: n) } == expected)
    #expect(
      try counted { _ = try SinglePrecisionSymmetricEigendecomposition(symmetric: s.map(Float.init), dimension: n) }
        == expected)
  }

  @Test func callsOutsideTheScopeAreNotCounted() {
    let counter = FlopCounter()
    var y: [Float] = [1, 2]
    counter.counting { axpy(1, [1, 1], &y) }
    #expect(counter.operations == 4)
    // After the scope, a call adds to no counter, this one included.
    axpy(1, [1, 1], &y)
    #expect(counter.operations == 4)
    #expect(FlopCounter.current == nil)
  }

  @Test func nestedCountingRestoresTheOuterCounter() {
    let outer = FlopCounter(), inner = FlopCounter()
    var v: [Float] = [1, 2, 3]
    outer.counting {
      scale(&v, by: 2)
      inner.counting { scale(&v, by: 2) }
      scale(&v, by: 2)
    }
    #expect(outer.operations == 6)
    #expect(inner.operations == 3)
  }

  @Test func anotherThreadCountsOnlyWhereItBindsTheCounter() {
    let counter = FlopCounter()
    let done = DispatchSemaphore(value: 0)
    counter.counting {
      // A plain thread does not inherit the binding…
      Thread.detachNewThread {
        var v: [Float] = [1, 2, 3, 4, 5]
        scale(&v, by: 2)
        done.signal()
      }
      done.wait()
      #expect(counter.operations == 0)
      // …and counts when it binds the counter (as K-FAC's background job does).
      let bound = FlopCounter.current
      Thread.detachNewThread {
        FlopCounter.counting(on: bound) {
          var v: [Float] = [1, 2, 3, 4, 5]
          scale(&v, by: 2)
        }
        done.signal()
      }
      done.wait()
    }
    #expect(counter.operations == 5)
  }
}

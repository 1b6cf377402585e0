import ActorCritic
import Foundation
import LinearAlgebra
import Randomness
import Testing
import _TestSupport

@Suite struct ACERRetraceTests {
  /// algorithms.md §4.6: r = [1,0,1], q^i = [.5,.2,.3], V = [.4,.1,.2,1.0], ρ^i = [2,.5,1], γ = .9.
  @Test func retraceOracleWithoutDones() {
    var qret: [Float] = []
    retraceTargets(
      rewards: [1, 0, 1], dones: [false, false, false], actionValues: [0.5, 0.2, 0.3],
      values: [0.4, 0.1, 0.2, 1.0],
      importanceWeights: [2, 0.5, 1], gamma: 0.9, steps: 3, into: &qret)
    #expect(allApproximatelyEqual(qret, [1.729, 1.62, 1.9], relativeTolerance: 1e-6))
  }

  @Test func retraceOracleWithADoneInTheMiddle() {
    var qret: [Float] = []
    retraceTargets(
      rewards: [1, 0, 1], dones: [false, true, false], actionValues: [0.5, 0.2, 0.3],
      values: [0.4, 0.1, 0.2, 1.0],
      importanceWeights: [2, 0.5, 1], gamma: 0.9, steps: 3, into: &qret)
    #expect(allApproximatelyEqual(qret, [1.0, 0.0, 1.9], relativeTolerance: 1e-6, absoluteTolerance: 1e-7))
  }

  /// Two environments env-major: each segment is its own recursion from its own `V_T`.
  @Test func retraceKeepsEnvironmentsApart() {
    var both: [Float] = []
    var first: [Float] = []
    var second: [Float] = []
    let r0: [Float] = [1, 0, 1]
    let r1: [Float] = [0, 2, 0.5]
    let d0 = [false, false, false]
    let d1 = [true, false, false]
    let q0: [Float] = [0.5, 0.2, 0.3]
    let q1: [Float] = [0.1, 0.7, -0.2]
    let v0: [Float] = [0.4, 0.1, 0.2, 1.0]
    let v1: [Float] = [0.3, 0.6, -0.1, 2.0]
    let rho0: [Float] = [2, 0.5, 1]
    let rho1: [Float] = [0.3, 4, 0.9]
    retraceTargets(
      rewards: r0 + r1, dones: d0 + d1, actionValues: q0 + q1, values: v0 + v1,
      importanceWeights: rho0 + rho1,
      gamma: 0.95, steps: 3, into: &both)
    retraceTargets(
      rewards: r0, dones: d0, actionValues: q0, values: v0, importanceWeights: rho0, gamma: 0.95, steps: 3,
      into: &first)
    retraceTargets(
      rewards: r1, dones: d1, actionValues: q1, values: v1, importanceWeights: rho1, gamma: 0.95, steps: 3,
      into: &second)
    #expect(both == first + second)
    // Env 1 ends after step 0, so qret_0 = r_0 exactly.
    #expect(both[3] == 0)
  }
}

@Suite struct ACERTrustRegionTests {
  private func k(_ fBar: [Float], _ f: [Float]) -> [Float] {
    zip(fBar, f).map { -$0 / ($1 + ACERLoss.epsilon) }
  }
  private func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

  /// A step that would raise the linearised KL(f̄‖f) by more than δ is cut back to δ.
  @Test func projectionCutsTheLinearisedKLToDelta() {
    let f: [Float] = [0.5, 0.3, 0.2]
    let fBar: [Float] = [0.4, 0.4, 0.2]
    // g along k (away from the average policy): k·g = 3‖k‖² > δ.
    let kk = k(fBar, f)
    let g0 = kk.map { 3 * $0 }
    #expect(dot(kk, g0) > 1)
    var g = Matrix(rows: 1, columns: 3, elements: g0)
    let stats = projectOntoTrustRegion(
      gradient: &g, averageProbabilities: Matrix(rows: 1, columns: 3, elements: fBar),
      probabilities: Matrix(rows: 1, columns: 3, elements: f), delta: 1)
    let after = dot(kk, g.elements)
    // k·g_new = δ + (k·g − δ)·ε/(‖k‖² + ε): δ up to the ε in the denominator.
    #expect(abs(after - 1) < 1e-4)
    #expect(stats.projectedRows == 1)
    // Sign convention: g_new = g − adj·k with adj > 0 and k < 0, so every component grows.
    #expect(zip(g.elements, g0).allSatisfy { $0 > $1 })
    #expect(stats.meanAdjustment > 0)
    #expect(abs(stats.meanAbsoluteKDotG - Double(dot(kk, g0))) < 1e-4)
  }

  /// The true KL of a small step along the projected direction grows by at most η·δ (first order).
  @Test func smallStepAlongTheProjectedGradientRaisesKLByAtMostDelta() {
    let f: [Double] = [0.5, 0.3, 0.2]
    let fBar: [Double] = [0.2, 0.5, 0.3]
    func kl(_ p: [Double]) -> Double { zip(fBar, p).reduce(0) { $0 + $1.0 * log($1.0 / $1.1) } }
    // k = −f̄/f = [−0.4, −1.67, −1.5], so k·g ≈ 15.2 > δ before the projection.
    var g = Matrix(rows: 1, columns: 3, elements: [4, -2, -9])
    let delta: Float = 0.5
    let stats = projectOntoTrustRegion(
      gradient: &g, averageProbabilities: Matrix(rows: 1, columns: 3, elements: fBar.map(Float.init)),
      probabilities: Matrix(rows: 1, columns: 3, elements: f.map(Float.init)), delta: delta)
    let eta = 1e-7
    let stepped = zip(f, g.elements).map { $0 + eta * Double($1) }
    let increase = (kl(stepped) - kl(f)) / eta
    #expect(stats.projectedRows == 1)
    #expect(increase <= Double(delta) + 1e-3)
    #expect(increase > Double(delta) - 1e-2)
  }

  /// Rows whose step stays inside the region are returned bit for bit.
  @Test func gradientInsideTheRegionIsUnchanged() {
    let f: [Float] = [0.5, 0.3, 0.2]
    let fBar: [Float] = [0.4, 0.4, 0.2]
    // Towards the average policy: k·g < 0 ≤ δ.
    let g0: [Float] = zip(fBar, f).map { $0 / $1 }
    var g = Matrix(rows: 1, columns: 3, elements: g0)
    let stats = projectOntoTrustRegion(
      gradient: &g, averageProbabilities: Matrix(rows: 1, columns: 3, elements: fBar),
      probabilities: Matrix(rows: 1, columns: 3, elements: f), delta: 1)
    #expect(g.elements == g0)
    #expect(stats.projectedRows == 0 && stats.meanAdjustment == 0)
  }

  /// Random rows: afterwards every row has k·g ≤ δ (up to ε), and rows already inside are untouched.
  @Test func randomRowsEndInsideTheRegion() {
    let random = RandomStream(seed: 21)
    let rows = 200
    let n = 4
    func simplex() -> [Float] {
      let x = (0..<n).map { _ in Float(random.uniform(low: 0.02, high: 1)) }
      let s = x.reduce(0, +)
      return x.map { $0 / s }
    }
    var f: [Float] = []
    var fBar: [Float] = []
    var g0: [Float] = []
    for _ in 0..<rows {
      f += simplex()
      fBar += simplex()
      g0 += (0..<n).map { _ in Float(random.gaussian(sigma: 3)) }
    }
    var g = Matrix(rows: rows, columns: n, elements: g0)
    let delta: Float = 0.7
    let stats = projectOntoTrustRegion(
      gradient: &g, averageProbabilities: Matrix(rows: rows, columns: n, elements: fBar),
      probabilities: Matrix(rows: rows, columns: n, elements: f), delta: delta)
    var inside = 0
    for r in 0..<rows {
      let range = (r * n)..<((r + 1) * n)
      let kr = k(Array(fBar[range]), Array(f[range]))
      let before = dot(kr, Array(g0[range]))
      let after = dot(kr, Array(g.elements[range]))
      #expect(after <= delta + 1e-3 * max(1, abs(before)))
      if before <= delta {
        inside += 1
        #expect(Array(g.elements[range]) == Array(g0[range]))
      }
    }
    #expect(stats.projectedRows == rows - inside)
    #expect(inside > 0 && inside < rows)
  }
}

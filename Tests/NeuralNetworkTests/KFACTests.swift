import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing
import _TestSupport

// MARK: - Helpers

/// A `rows × columns` matrix of N(0, σ_j²) draws, with column scales `σ_j` (cycled).
private func gaussianMatrix(_ rows: Int, _ columns: Int, _ random: RandomStream, scales: [Double] = [1])
  -> Matrix
{
  var m = Matrix(rows: rows, columns: columns)
  for i in 0..<rows {
    for j in 0..<columns { m[i, j] = Float(random.gaussian(sigma: scales[j % scales.count])) }
  }
  return m
}

/// `scale · XᵀX` in `Double`, by explicit loops (the brute-force oracle).
private func bruteForceCovariance(_ x: Matrix, scale: Double) -> [Double] {
  let n = x.columns
  var c = [Double](repeating: 0, count: n * n)
  for r in 0..<x.rows {
    for i in 0..<n {
      for j in 0..<n { c[i * n + j] += Double(x[r, i]) * Double(x[r, j]) * scale }
    }
  }
  return c
}

/// Row-major `[m, k] · [k, n]` in `Double`.
private func multiply(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
  var c = [Double](repeating: 0, count: m * n)
  for i in 0..<m {
    for l in 0..<k {
      let x = a[i * k + l]
      for j in 0..<n { c[i * n + j] += x * b[l * n + j] }
    }
  }
  return c
}

/// One update of a single dense layer in the documented call order: forward, sampled-Fisher
/// backward with `.skip`, capture, loss backward with `.overwrite`, step.
@discardableResult
private func update(
  _ layer: Dense, _ kfac: KFAC, input: Matrix, fisherGradient: Matrix, lossGradient: Matrix,
  learningRate: Float
) throws -> KFAC.StepReport {
  layer.forward(input)
  layer.backward(fisherGradient, parameterGradients: .skip, computeInputGradient: false)
  kfac.captureStatistics()
  layer.backward(lossGradient, parameterGradients: .overwrite, computeInputGradient: false)
  return try kfac.step(learningRate: learningRate)
}

/// Random inputs (anisotropic), Fisher gradients and loss gradients for one update.
private func randomUpdate(
  _ layer: Dense, _ kfac: KFAC, _ random: RandomStream, batch: Int, learningRate: Float = 0.25
) throws -> (input: Matrix, report: KFAC.StepReport) {
  let x = gaussianMatrix(batch, layer.inputCount, random, scales: [2, 0.5, 1, 0.2, 1.5])
  var fisher = gaussianMatrix(batch, layer.outputCount, random)
  for i in fisher.elements.indices { fisher.elements[i] /= Float(batch) }
  let loss = gaussianMatrix(batch, layer.outputCount, random, scales: [0.1])
  let report = try update(
    layer, kfac, input: x, fisherGradient: fisher, lossGradient: loss, learningRate: learningRate)
  return (x, report)
}

private func makeLayer(_ inputs: Int, _ outputs: Int, _ activation: Activation, seed: UInt32) -> Dense {
  let layer = Dense(inputs: inputs, outputs: outputs, activation: activation, scope: "model/fc")
  orthogonalInitialize(layer.weight, gain: 1, using: RandomStream(seed: seed))
  return layer
}

/// The eigenvalues `dsyevd` gives for `s`, clipped as K-FAC clips them.
private func clippedEigenvalues(_ s: [Double], _ n: Int) throws -> [Double] {
  try SymmetricEigendecomposition(symmetric: s, dimension: n).eigenvalues.map { $0 > 1e-6 ? $0 : 0 }
}

// MARK: - Tests

@Suite struct KFACTests {
  /// Without clipped eigenvalues, ĝ = (A ⊗ G + εI)⁻¹ g, i.e. `A ĝ G + ε ĝ = g` for the weight and
  /// `G ĝ_b + ε ĝ_b = g_b` for the bias (algorithms.md §3.3); with the single-precision solver and
  /// preconditioning to float32 accuracy.
  @Test(arguments: KFAC.EigenSolver.allCases)
  func preconditionerSolvesTheDampedKroneckerSystem(solver: KFAC.EigenSolver) throws {
    let random = RandomStream(seed: 5)
    let layer = makeLayer(5, 3, .tanh, seed: 6)
    var configuration = KFAC.Configuration.reference
    configuration.eigenSolver = solver
    let kfac = try KFAC(parameters: layer.parameters, blocks: [.dense(layer: layer)], configuration: configuration)
    for _ in 1...10 { _ = try randomUpdate(layer, kfac, random, batch: 40) }
    #expect(kfac.factorStep == 1)

    let a = try #require(kfac.factor(named: "model/fc/w:0/A"))
    let g = try #require(kfac.factor(named: "model/fc/w:0/G"))
    let gb = try #require(kfac.factor(named: "model/fc/b:0/G"))
    // SPD factors with nothing clipped, and the decomposition in use is of the statistics.
    for factor in [a, g, gb] {
      #expect(factor.eigenvalues.allSatisfy { $0 > 1e-3 }, "\(factor.name): \(factor.eigenvalues)")
      let expected = try clippedEigenvalues(factor.statistics, factor.dimension)
      if solver == .double {
        #expect(factor.eigenvalues == expected)
      } else {
        // float32 accuracy relative to the factor's norm (its largest eigenvalue).
        let norm = expected.max() ?? 1
        #expect(allApproximatelyEqual(factor.eigenvalues, expected, relativeTolerance: 1e-5, absoluteTolerance: 1e-6 * norm))
      }
    }

    layer.weight.gradient = gaussianMatrix(5, 3, random)
    layer.bias.gradient = gaussianMatrix(1, 3, random)
    let epsilon = kfac.configuration.damping
    let x = kfac.preconditionedGradient(of: layer.weight).map(Double.init)
    let xb = kfac.preconditionedGradient(of: layer.bias).map(Double.init)
    // A X G + ε X, with X laid out [in, out].
    let axg = multiply(multiply(a.statistics, x, 5, 5, 3), g.statistics, 5, 3, 3)
    let lhs = zip(axg, x).map { $0 + epsilon * $1 }
    let rhs = layer.weight.gradient.elements.map(Double.init)
    #expect(allApproximatelyEqual(lhs, rhs, relativeTolerance: 1e-4, absoluteTolerance: 1e-5))
    // Bias: x_b G + ε x_b (G symmetric, so the row-vector form is the G-only rule).
    let xbg = multiply(xb, gb.statistics, 1, 3, 3)
    let lhsBias = zip(xbg, xb).map { $0 + epsilon * $1 }
    let rhsBias = layer.bias.gradient.elements.map(Double.init)
    #expect(allApproximatelyEqual(lhsBias, rhsBias, relativeTolerance: 1e-4, absoluteTolerance: 1e-5))
    // The preconditioner does something: ĝ is not g.
    #expect(!allApproximatelyEqual(x, rhs, relativeTolerance: 0.1))
  }

  /// The factors equal a brute-force per-sample computation: for each sample alone, forward and
  /// back-propagate its own log-likelihood ℓ_i (no 1/B) and average a aᵀ and g gᵀ (§3.4).
  @Test func factorStatisticsMatchPerSampleBruteForce() throws {
    let random = RandomStream(seed: 21)
    let batch = 7
    let hidden = Dense(inputs: 3, outputs: 5, activation: .tanh, scope: "model/pi_fc0")
    let head = Dense(inputs: 5, outputs: 4, activation: .identity, scope: "model/pi")
    orthogonalInitialize(hidden.weight, gain: 1.4, using: random)
    orthogonalInitialize(head.weight, gain: 1, using: random)
    hidden.bias.value = gaussianMatrix(1, 5, random, scales: [0.3])
    let logStd = Parameter(name: "model/pi/logstd:0", shape: [1, 2], rows: 1, columns: 2)
    let x = gaussianMatrix(batch, 3, random, scales: [1, 3, 0.3])
    // Per-sample log-std gradients of a Gaussian log-likelihood, ((a − μ)/σ)² − 1, and their δ = ·/B.
    let logStdPerSample = Matrix(
      rows: batch, columns: 2, elements: (0..<(2 * batch)).map { _ in Float(pow(random.gaussian(), 2) - 1) })
    var logStdDelta = logStdPerSample
    for i in logStdDelta.elements.indices { logStdDelta.elements[i] /= Float(batch) }
    let kfac = try KFAC(
      parameters: hidden.parameters + head.parameters + [logStd],
      blocks: [
        .dense(layer: hidden), .dense(layer: head),
        .gOnly(parameter: logStd, gradientSource: { logStdDelta }),
      ])

    // Batch pass: categorical policy, actions sampled from π, joint = mean_i log π(a_i|s_i).
    func softmax(_ logits: [Float]) -> [Double] {
      let m = logits.max() ?? 0
      let e = logits.map { exp(Double($0 - m)) }
      let z = e.reduce(0, +)
      return e.map { $0 / z }
    }
    hidden.forward(x)
    head.forward(from: hidden)
    var actions: [Int] = []
    var fisher = Matrix(rows: batch, columns: 4)
    for i in 0..<batch {
      let p = softmax(head.output.row(i))
      let action = random.categorical(weights: p)
      actions.append(action)
      for j in 0..<4 { fisher[i, j] = Float(((j == action ? 1 : 0) - p[j]) / Double(batch)) }
    }
    head.backward(fisher, parameterGradients: .skip)
    hidden.backward(head.inputGradient, parameterGradients: .skip, computeInputGradient: false)
    kfac.captureStatistics()

    // Brute force, one sample at a time, with the loss ℓ_i itself (no 1/B).
    var expected: [String: [Double]] = [:]
    func accumulate(_ name: String, _ row: [Float]) {
      let n = row.count
      var c = expected[name] ?? [Double](repeating: 0, count: n * n)
      for i in 0..<n { for j in 0..<n { c[i * n + j] += Double(row[i]) * Double(row[j]) / Double(batch) } }
      expected[name] = c
    }
    for i in 0..<batch {
      let xi = Matrix(rows: 1, columns: 3, elements: x.row(i))
      hidden.forward(xi)
      head.forward(from: hidden)
      let p = softmax(head.output.row(0))
      let gi = Matrix(
        rows: 1, columns: 4, elements: (0..<4).map { Float(($0 == actions[i] ? 1 : 0) - p[$0]) })
      head.backward(gi)
      hidden.backward(head.inputGradient, computeInputGradient: false)
      // The per-sample weight gradient is the outer product a_i ⊗ g_i (checks the pairing of a and g).
      let outer = (0..<5).flatMap { r in (0..<4).map { c in hidden.output[0, r] * gi[0, c] } }
      #expect(allApproximatelyEqual(head.weight.gradient.elements, outer, relativeTolerance: 1e-5))
      accumulate("model/pi_fc0/w:0/A", x.row(i))
      accumulate("model/pi_fc0/w:0/G", hidden.preActivationGradient.row(0))
      accumulate("model/pi_fc0/b:0/G", hidden.preActivationGradient.row(0))
      accumulate("model/pi/w:0/A", hidden.output.row(0))
      accumulate("model/pi/w:0/G", gi.row(0))
      accumulate("model/pi/b:0/G", gi.row(0))
      accumulate("model/pi/logstd:0/G", logStdPerSample.row(i))
    }
    #expect(kfac.factors.count == expected.count)
    for factor in kfac.factors {
      let oracle = try #require(expected[factor.name], "no oracle for \(factor.name)")
      #expect(
        allApproximatelyEqual(
          factor.batchCovariance, oracle, relativeTolerance: 1e-5, absoluteTolerance: 1e-7),
        "\(factor.name)")
    }
    // The bias G is a separate factor with the same values.
    let g = try #require(kfac.factor(named: "model/pi/w:0/G"))
    let gb = try #require(kfac.factor(named: "model/pi/b:0/G"))
    #expect(g !== gb && g.batchCovariance == gb.batchCovariance)

    // The first statistics update is cov/coldIter.
    for p in kfac.parameters { p.zeroGradient() }
    try kfac.step(learningRate: 0.1)
    for factor in kfac.factors {
      let expectedStatistics = factor.batchCovariance.map { $0 / 10 }
      #expect(
        allApproximatelyEqual(factor.statistics, expectedStatistics, relativeTolerance: 1e-12),
        "\(factor.name)")
    }
  }

  /// Updates 1–10 average the covariances, the first decomposition is at update 10, cold steps at
  /// 1–11; stable-baselines takes its first K-FAC step at update 10 (measured, see
  /// `ACKTRReferenceParityTests`), the overlapping reading of §3.6 at 11; the exclusive handoff
  /// drops the overlap; the asynchronous mode uses the previous update's decomposition (§3.5–3.6).
  @Test func timelineFollowsStableBaselines() throws {
    func run(_ configuration: KFAC.Configuration) throws -> (
      reports: [KFAC.StepReport], factorSteps: [Int], inputs: [Matrix], statistics: [[Double]], kfac: KFAC
    ) {
      let random = RandomStream(seed: 8)
      let layer = makeLayer(3, 2, .tanh, seed: 9)
      let kfac = try KFAC(
        parameters: layer.parameters, blocks: [.dense(layer: layer)], configuration: configuration)
      var reports: [KFAC.StepReport] = [], factorSteps: [Int] = [], inputs: [Matrix] = []
      var statistics: [[Double]] = []
      for _ in 1...13 {
        let (x, report) = try randomUpdate(layer, kfac, random, batch: 16)
        reports.append(report)
        factorSteps.append(kfac.factorStep)
        inputs.append(x)
        statistics.append(kfac.factors[0].statistics)
      }
      return (reports, factorSteps, inputs, statistics, kfac)
    }

    // Synchronous, stable-baselines: cold 1–11, K-FAC from 10 with the decomposition of update 10.
    let sync = try run(.reference)
    let updates = Array(1...13)
    #expect(updates.filter { sync.reports[$0 - 1].coldStepTaken } == Array(1...11))
    #expect(updates.filter { sync.reports[$0 - 1].kfacStepTaken } == Array(10...13))
    #expect(updates.filter { sync.reports[$0 - 1].factorsDecomposed } == Array(10...13))
    #expect(updates.filter { sync.reports[$0 - 1].preconditioned } == Array(10...13))
    #expect(sync.factorSteps == [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4])
    #expect(sync.kfac.statisticsStep == 13 && sync.kfac.coldStep == 11)
    // A after 10 updates is the plain mean of the 10 batch covariances, then an EMA with 0.99.
    let covariances = sync.inputs.map { bruteForceCovariance($0, scale: 1 / 16) }
    var mean = [Double](repeating: 0, count: 9)
    for c in covariances[0..<10] { for i in 0..<9 { mean[i] += c[i] / 10 } }
    #expect(allApproximatelyEqual(sync.statistics[9], mean, relativeTolerance: 1e-6))
    let ema = (0..<9).map { 0.99 * sync.statistics[9][$0] + 0.01 * covariances[10][$0] }
    #expect(allApproximatelyEqual(sync.statistics[10], ema, relativeTolerance: 1e-6))
    // In use after update 13: the decomposition of update 13's statistics.
    #expect(sync.kfac.factors[0].eigenvalues == (try clippedEigenvalues(sync.statistics[12], 3)))

    // Overlapping reading of §3.6: cold 1–11, K-FAC from 11.
    var overlappingConfiguration = KFAC.Configuration.reference
    overlappingConfiguration.coldStartHandoff = .overlapping
    let overlapping = try run(overlappingConfiguration)
    #expect(updates.filter { overlapping.reports[$0 - 1].coldStepTaken } == Array(1...11))
    #expect(updates.filter { overlapping.reports[$0 - 1].kfacStepTaken } == Array(11...13))

    // Exclusive handoff: cold 1–10, K-FAC from 11.
    var exclusiveConfiguration = KFAC.Configuration.reference
    exclusiveConfiguration.coldStartHandoff = .exclusive
    let exclusive = try run(exclusiveConfiguration)
    #expect(updates.filter { exclusive.reports[$0 - 1].coldStepTaken } == Array(1...10))
    #expect(updates.filter { exclusive.reports[$0 - 1].kfacStepTaken } == Array(11...13))

    // Asynchronous: computed at update k, used from k + 1.
    let async = try run(.openAIBaselines)
    #expect(async.factorSteps == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3])
    #expect(updates.filter { async.reports[$0 - 1].preconditioned } == Array(11...13))
    let inUse = async.kfac.factors[0]
    #expect(inUse.eigenvalues == (try clippedEigenvalues(async.statistics[11], 3)))
    async.kfac.finishPendingDecomposition()
    #expect(async.kfac.pendingDecompositionStep == 13)
    #expect(inUse.pendingEigenvalues == (try clippedEigenvalues(async.statistics[12], 3)))
    #expect(inUse.eigenvalues != (try clippedEigenvalues(async.statistics[12], 3)))

    // Asynchronous with a lag of 3: started at 10 (first due), used from 13; the next starts at 13.
    var lagged = KFAC.Configuration.openAIBaselines
    lagged.asyncEigenDecompositionLag = 3
    let late = try run(lagged)
    #expect(late.factorSteps == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
    #expect(late.kfac.factors[0].eigenvalues == (try clippedEigenvalues(late.statistics[9], 3)))
    #expect(late.kfac.pendingDecompositionStep == 13)
    late.kfac.finishPendingDecomposition()
    #expect(late.kfac.factors[0].pendingEigenvalues == (try clippedEigenvalues(late.statistics[12], 3)))
  }

  /// `v = η² Σ ĝ·g` over every parameter (unfactored ones with ĝ = g), `s = min(1, sqrt(κ/v))`, and
  /// the first K-FAC step moves θ by `−η(1−μ)·s·ĝ` (§3.5).
  @Test(arguments: [(Float(1e-4), false), (Float(10), true)])
  func trustRegionScaleMatchesItsFormula(learningRate: Float, clipped: Bool) throws {
    let random = RandomStream(seed: 31)
    let layer = makeLayer(4, 3, .identity, seed: 32)
    let extra = Parameter(name: "model/extra:0", shape: [2], rows: 1, columns: 2)
    var configuration = KFAC.Configuration.reference
    configuration.coldStartHandoff = .exclusive
    let kfac = try KFAC(
      parameters: layer.parameters + [extra], blocks: [.dense(layer: layer)], configuration: configuration)
    for _ in 1...10 {
      extra.gradient = gaussianMatrix(1, 2, random)
      _ = try randomUpdate(layer, kfac, random, batch: 32, learningRate: 0.01)
    }
    // Update 11: a pure K-FAC step (exclusive handoff) with fresh gradients.
    let before = kfac.parameters.map(\.value.elements)
    extra.gradient = gaussianMatrix(1, 2, random)
    let x = gaussianMatrix(32, 4, random)
    var fisher = gaussianMatrix(32, 3, random)
    for i in fisher.elements.indices { fisher.elements[i] /= 32 }
    let report = try update(
      layer, kfac, input: x, fisherGradient: fisher, lossGradient: gaussianMatrix(32, 3, random),
      learningRate: learningRate)
    #expect(report.kfacStepTaken && !report.coldStepTaken && report.preconditioned)

    // The gradients are untouched and the decomposition used is still in use: recompute ĝ.
    let directions = kfac.parameters.map { kfac.preconditionedGradient(of: $0) }
    #expect(directions[2] == extra.gradient.elements)
    var inner = 0.0
    for (d, p) in zip(directions, kfac.parameters) {
      for (u, g) in zip(d, p.gradient.elements) { inner += Double(u) * Double(g) }
    }
    let eta = Double(learningRate)
    let v = eta * eta * inner
    let s = min(1, (0.001 / v).squareRoot())
    #expect((s < 1) == clipped)
    #expect(try #require(report.quadraticForm).isApproximatelyEqual(to: v, relativeTolerance: 1e-9))
    #expect(try #require(report.trustRegionScale).isApproximatelyEqual(to: s, relativeTolerance: 1e-9))
    // First K-FAC momentum step: acc = s·ĝ, θ ← θ − η(1−μ)·acc.
    let lr = learningRate * Float(1 - 0.9)
    for (index, p) in kfac.parameters.enumerated() {
      let expected = zip(before[index], directions[index]).map {
        Double($0) - Double(lr) * Double(Float(s) * $1)
      }
      let actual = p.value.elements.map(Double.init)
      #expect(
        allApproximatelyEqual(actual, expected, relativeTolerance: 1e-5, absoluteTolerance: 1e-7), "\(p.name)"
      )
    }
  }

  /// NaN or infinite statistics and gradients throw a typed error and change nothing.
  @Test func nonFiniteStatisticsThrowAndLeaveEverythingUnchanged() throws {
    let random = RandomStream(seed: 41)
    let layer = makeLayer(3, 2, .tanh, seed: 42)
    let logStd = Parameter(name: "model/pi/logstd:0", shape: [1, 2], rows: 1, columns: 2)
    var logStdDelta = gaussianMatrix(16, 2, random)
    let kfac = try KFAC(
      parameters: layer.parameters + [logStd],
      blocks: [.dense(layer: layer), .gOnly(parameter: logStd, gradientSource: { logStdDelta })])
    for _ in 1...12 { _ = try randomUpdate(layer, kfac, random, batch: 16) }

    let values = kfac.parameters.map(\.value.elements)
    let state = kfac.snapshot()
    func expectUnchanged() {
      #expect(kfac.parameters.map(\.value.elements) == values)
      #expect(kfac.snapshot() == state)
    }

    // 1. A NaN input makes A (and G) NaN.
    var x = gaussianMatrix(16, 3, random)
    x[3, 1] = .nan
    var fisher = gaussianMatrix(16, 2, random)
    for i in fisher.elements.indices { fisher.elements[i] /= 16 }
    let loss = gaussianMatrix(16, 2, random)
    #expect(throws: KFACError.nonFiniteStatistics(parameter: "model/fc/w:0", factor: .activation)) {
      try update(layer, kfac, input: x, fisherGradient: fisher, lossGradient: loss, learningRate: 0.25)
    }
    expectUnchanged()
    #expect(!kfac.hasCapturedStatistics)

    // 2. An infinite G-only gradient source.
    x[3, 1] = 0.5
    logStdDelta[0, 0] = .infinity
    let error = #expect(throws: KFACError.self) {
      try update(layer, kfac, input: x, fisherGradient: fisher, lossGradient: loss, learningRate: 0.25)
    }
    #expect(error == .nonFiniteStatistics(parameter: "model/pi/logstd:0", factor: .outputGradient))
    #expect(error?.description.contains("model/pi/logstd:0") == true)
    expectUnchanged()

    // 3. A NaN loss gradient.
    logStdDelta[0, 0] = 0.1
    logStd.gradient.elements[1] = .nan
    #expect(throws: KFACError.nonFiniteGradient(parameter: "model/pi/logstd:0")) {
      try update(layer, kfac, input: x, fisherGradient: fisher, lossGradient: loss, learningRate: 0.25)
    }
    expectUnchanged()

    // 4. After the errors a clean update goes through.
    logStd.gradient.elements[1] = 0.1
    let report = try update(
      layer, kfac, input: x, fisherGradient: fisher, lossGradient: loss, learningRate: 0.25)
    #expect(report.kfacStepTaken && kfac.statisticsStep == 13)
    #expect(kfac.parameters.map(\.value.elements) != values)
  }

  /// Invalid settings and learning rates are refused with a message naming the field.
  @Test func invalidConfigurationIsRefused() throws {
    let layer = makeLayer(2, 2, .tanh, seed: 1)
    var configuration = KFAC.Configuration.reference
    configuration.damping = 0
    let error = #expect(throws: KFACError.self) {
      _ = try KFAC(parameters: layer.parameters, blocks: [.dense(layer: layer)], configuration: configuration)
    }
    #expect(error == .invalidValue(field: "damping", value: "0.0", allowed: "a finite value > 0"))
    #expect(error?.description.contains("damping") == true)
    configuration = .reference
    configuration.kfacUpdate = 0
    #expect(throws: KFACError.invalidValue(field: "kfacUpdate", value: "0", allowed: "an integer ≥ 1")) {
      try configuration.validate()
    }
    let kfac = try KFAC(parameters: layer.parameters, blocks: [.dense(layer: layer)])
    layer.forward(Matrix([[1, 2]]))
    layer.backward(Matrix([[0.1, 0.2]]), parameterGradients: .skip)
    kfac.captureStatistics()
    #expect(throws: KFACError.self) { try kfac.step(learningRate: -1) }
    #expect(kfac.statisticsStep == 0)
  }

  /// On an ill-conditioned linear regression with a Gaussian likelihood (where A ⊗ G is the exact
  /// Fisher), K-FAC reaches a much lower loss than momentum SGD at its best learning rate.
  @Test func kfacBeatsTunedMomentumSGDOnIllConditionedRegression() throws {
    let problem = IllConditionedRegression(seed: 51)
    let steps = 150
    let kfacLoss = try problem.train(.kfac(learningRate: 0.25), steps: steps)
    var sgdLosses: [Float: Double] = [:]
    for lr: Float in [0.0003, 0.001, 0.003, 0.01, 0.02, 0.03] {
      sgdLosses[lr] = try problem.train(.momentumSGD(learningRate: lr), steps: steps)
    }
    let bestSGD = sgdLosses.values.filter(\.isFinite).min() ?? .infinity
    let initial = problem.initialLoss
    // K-FAC gets close to the noise floor; SGD is stuck in the low-curvature directions.
    #expect(kfacLoss < 0.05 * bestSGD, "K-FAC \(kfacLoss), SGD \(sgdLosses), initial \(initial)")
    #expect(kfacLoss < 0.05 * initial, "K-FAC \(kfacLoss), initial \(initial)")
  }

  /// The single-precision solver (the reference's float32 `self_adjoint_eig`) gives the same
  /// decomposition to float32 accuracy, the same counters, and nearly the same parameters; the
  /// setting survives a JSON round trip, and a configuration without it decodes as `double`.
  @Test func singlePrecisionSolverAgreesToFloatAccuracy() throws {
    func run(_ solver: KFAC.EigenSolver) throws -> (Dense, KFAC) {
      let layer = makeLayer(6, 4, .tanh, seed: 71)
      var configuration = KFAC.Configuration.reference
      configuration.eigenSolver = solver
      let kfac = try KFAC(parameters: layer.parameters, blocks: [.dense(layer: layer)], configuration: configuration)
      let random = RandomStream(seed: 72)
      for _ in 1...14 { _ = try randomUpdate(layer, kfac, random, batch: 24) }
      return (layer, kfac)
    }
    let (doubleLayer, doubleKFAC) = try run(.double)
    let (singleLayer, singleKFAC) = try run(.single)
    #expect(singleKFAC.factorStep == doubleKFAC.factorStep && singleKFAC.factorStep == 5)
    for (a, b) in zip(singleKFAC.factors, doubleKFAC.factors) {
      let scale = b.eigenvalues.map(abs).max() ?? 1
      #expect(zip(a.eigenvalues, b.eigenvalues).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
      #expect(a.eigenvalues != b.eigenvalues)
    }
    let singleValues = singleLayer.parameters.flatMap(\.value.elements)
    let doubleValues = doubleLayer.parameters.flatMap(\.value.elements)
    #expect(zip(singleValues, doubleValues).allSatisfy { abs($0 - $1) <= 1e-3 * max(1, abs($1)) })
    var configuration = KFAC.Configuration.reference
    configuration.eigenSolver = .single
    configuration.asyncEigenDecompositionLag = 4
    let data = try JSONEncoder().encode(configuration)
    #expect(try JSONDecoder().decode(KFAC.Configuration.self, from: data) == configuration)
    var older = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(KFAC.Configuration.reference)) as! [String: Any]
    older["eigenSolver"] = nil
    older["asyncEigenDecompositionLag"] = nil
    let decoded = try JSONDecoder().decode(
      KFAC.Configuration.self, from: try JSONSerialization.data(withJSONObject: older))
    #expect(decoded == .reference)
    var badLag = KFAC.Configuration.openAIBaselines
    for lag in [0, 1_000_001, Int.max] {
      badLag.asyncEigenDecompositionLag = lag
      #expect(
        throws: KFACError.invalidValue(
          field: "asyncEigenDecompositionLag", value: "\(lag)", allowed: "an integer in 1…1000000")
      ) { try badLag.validate() }
    }
  }

  /// With the single-precision solver the preconditioning runs in float32 (`sgemm`) on `ssyevd`'s
  /// outputs. It equals the `Double` computation on the same inputs — the same run's snapshot
  /// restored into a `.double` optimiser, whose eigenbases are those `Float` values exactly — to
  /// float32 rounding, for the weight (`A ⊗ G`) and the G-only bias; and it is a float32
  /// computation, not that one rounded.
  @Test func singlePrecisionPreconditioningIsTheDoubleComputationToFloatRounding() throws {
    let random = RandomStream(seed: 91)
    let layer = makeLayer(48, 20, .tanh, seed: 92)
    var configuration = KFAC.Configuration.reference
    configuration.eigenSolver = .single
    let single = try KFAC(parameters: layer.parameters, blocks: [.dense(layer: layer)], configuration: configuration)
    for _ in 1...12 { _ = try randomUpdate(layer, single, random, batch: 64) }
    #expect(single.factorStep == 3)
    configuration.eigenSolver = .double
    let double = try KFAC(parameters: layer.parameters, blocks: [.dense(layer: layer)], configuration: configuration)
    try double.restore(single.snapshot())

    layer.weight.gradient = gaussianMatrix(48, 20, random)
    layer.bias.gradient = gaussianMatrix(1, 20, random)
    for parameter in [layer.weight, layer.bias] {
      let x = single.preconditionedGradient(of: parameter)
      let reference = double.preconditionedGradient(of: parameter)
      let error = zip(x, reference).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +).squareRoot()
      let size = reference.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
      #expect(error <= 1e-5 * size, "\(parameter.name): ‖Δĝ‖ \(error), ‖ĝ‖ \(size)")
      #expect(x != reference, "\(parameter.name): float32 arithmetic rounds differently")
      // Not the identity: the preconditioner does something.
      #expect(!allApproximatelyEqual(x.map(Double.init), parameter.gradient.elements.map(Double.init), relativeTolerance: 0.1))
    }
  }

  /// Same inputs twice give bit-identical parameters and state; a snapshot taken mid-run (also
  /// after a JSON round trip) resumes bit-identically — with the asynchronous decomposition of lag
  /// 3 still in flight on its thread when the snapshot is taken; with either solver (single: the
  /// restored `Double` eigenbases round back to the `Float` ones the preconditioning used).
  @Test(arguments: [1, 3], KFAC.EigenSolver.allCases)
  func runsAreBitIdenticalAndSnapshotsResumeExactly(lag: Int, solver: KFAC.EigenSolver) throws {
    var configuration = KFAC.Configuration.openAIBaselines
    configuration.asyncEigenDecompositionLag = lag
    configuration.eigenSolver = solver
    func makeRun() throws -> (Dense, KFAC) {
      let layer = makeLayer(5, 3, .tanh, seed: 61)
      return (
        layer,
        try KFAC(parameters: layer.parameters, blocks: [.dense(layer: layer)], configuration: configuration)
      )
    }
    let random1 = RandomStream(seed: 62), random2 = RandomStream(seed: 62)
    let (layer1, kfac1) = try makeRun()
    let (layer2, kfac2) = try makeRun()
    for _ in 1...14 {
      _ = try randomUpdate(layer1, kfac1, random1, batch: 20)
      _ = try randomUpdate(layer2, kfac2, random2, batch: 20)
    }
    #expect(layer1.parameters.map(\.value) == layer2.parameters.map(\.value))
    #expect(kfac1.snapshot() == kfac2.snapshot())

    // Snapshot (through JSON) and resume on a fresh layer and optimiser.
    let data = try JSONEncoder().encode(kfac1.snapshot())
    let snapshot = try JSONDecoder().decode(KFAC.Snapshot.self, from: data)
    #expect(snapshot == kfac1.snapshot())
    #expect(snapshot.factors[0].pendingEigenvalues != nil)
    #expect(snapshot.pendingDecompositionStep == (lag == 1 ? 14 : 13))
    let (layer3, kfac3) = try makeRun()
    for (p3, p1) in zip(layer3.parameters, layer1.parameters) { p3.value = p1.value }
    try kfac3.restore(snapshot)
    let random3 = random1.copy()
    let random4 = random1.copy()
    // A fourth optimiser restored while its own asynchronous decomposition is still running.
    let (layer4, kfac4) = try makeRun()
    let otherStream = RandomStream(seed: 63)
    for _ in 1...14 { _ = try randomUpdate(layer4, kfac4, otherStream, batch: 20) }
    for (p4, p1) in zip(layer4.parameters, layer1.parameters) { p4.value = p1.value }
    try kfac4.restore(snapshot)
    for _ in 1...4 {
      _ = try randomUpdate(layer1, kfac1, random1, batch: 20)
      _ = try randomUpdate(layer3, kfac3, random3, batch: 20)
      _ = try randomUpdate(layer4, kfac4, random4, batch: 20)
    }
    #expect(layer1.parameters.map(\.value) == layer3.parameters.map(\.value))
    #expect(layer4.parameters.map(\.value) == layer3.parameters.map(\.value))
    #expect(kfac1.snapshot() == kfac3.snapshot())
    #expect(kfac4.snapshot() == kfac3.snapshot())

    // Inconsistent pending state is refused: on some factors only, or started in the future.
    var partial = snapshot
    partial.factors[1].pendingEigenvalues = nil
    partial.factors[1].pendingEigenvectors = nil
    #expect(throws: KFACError.self) { try kfac3.restore(partial) }
    var future = snapshot
    future.pendingDecompositionStep = snapshot.statisticsStep + 1
    #expect(throws: KFACError.self) { try kfac3.restore(future) }
    // Step counters out of 0…2⁵³ are refused (Int.max would trap at the next update's increment).
    for field in 0..<3 {
      for value in [-1, KFAC.maximumStep + 1, Int.max] {
        var huge = snapshot
        switch field {
        case 0: huge.statisticsStep = value
        case 1: huge.factorStep = value
        default: huge.coldStep = value
        }
        #expect(throws: KFACError.self) { try kfac3.restore(huge) }
      }
    }

    // A snapshot of other layers is refused.
    let other = makeLayer(4, 3, .tanh, seed: 1)
    let otherKFAC = try KFAC(parameters: other.parameters, blocks: [.dense(layer: other)])
    #expect(throws: KFACError.self) { try otherKFAC.restore(snapshot) }
  }
}

// MARK: - Regression problem for the comparison test

/// `y = x W* + b* + σ·n` with inputs `x = z·D·R` (scales `D` over four orders of magnitude of
/// variance, a random rotation `R` that correlates them) and `W* = Rᵀ D⁻¹ V`, so every latent
/// direction carries the same share of the signal. Loss: `mean_i ½‖x_i W + b − y_i‖²`; sampled
/// Fisher: targets `ỹ ~ N(pred, 1)`, so `δ = (ỹ − pred)/B`.
private struct IllConditionedRegression {
  let inputs = 6, outputs = 2, batch = 64
  let seed: UInt32
  let rotation: [Double]
  let scales: [Double] = [10, 3, 1, 0.3, 0.1, 0.1]
  let trueWeight: [Double]
  let trueBias: [Double] = [1, -1]
  let noise = 0.1
  let evaluationInputs: Matrix
  let evaluationTargets: Matrix

  init(seed: UInt32) {
    self.seed = seed
    let random = RandomStream(seed: seed)
    let n = inputs
    let qr = try? QRDecomposition((0..<(n * n)).map { _ in random.gaussian() }, rows: n, columns: n)
    rotation = qr?.q ?? (0..<(n * n)).map { $0 % (n + 1) == 0 ? 1 : 0 }
    let v = (0..<(n * outputs)).map { _ in random.gaussian() }
    // W* = Rᵀ D⁻¹ V.
    var w = [Double](repeating: 0, count: n * outputs)
    for i in 0..<n {
      for k in 0..<n {
        for j in 0..<outputs { w[i * outputs + j] += rotation[k * n + i] / scales[k] * v[k * outputs + j] }
      }
    }
    trueWeight = w
    (evaluationInputs, evaluationTargets) = Self.sample(
      2000, random, rotation: rotation, scales: scales, weight: w, bias: trueBias, noise: noise)
  }

  static func sample(
    _ count: Int, _ random: RandomStream, rotation: [Double], scales: [Double], weight: [Double],
    bias: [Double], noise: Double
  ) -> (Matrix, Matrix) {
    let n = scales.count, outputs = bias.count
    var x = Matrix(rows: count, columns: n)
    var y = Matrix(rows: count, columns: outputs)
    for r in 0..<count {
      let z = scales.map { random.gaussian() * $0 }
      var row = [Double](repeating: 0, count: n)
      for k in 0..<n { for i in 0..<n { row[i] += z[k] * rotation[k * n + i] } }
      for i in 0..<n { x[r, i] = Float(row[i]) }
      for j in 0..<outputs {
        var t = bias[j] + random.gaussian(sigma: noise)
        for i in 0..<n { t += Double(x[r, i]) * weight[i * outputs + j] }
        y[r, j] = Float(t)
      }
    }
    return (x, y)
  }

  func loss(_ layer: Dense) -> Double {
    layer.forward(evaluationInputs)
    var sum = 0.0
    for (p, t) in zip(layer.output.elements, evaluationTargets.elements) {
      sum += 0.5 * pow(Double(p - t), 2)
    }
    return sum / Double(evaluationInputs.rows)
  }

  var initialLoss: Double {
    loss(Dense(inputs: inputs, outputs: outputs, activation: .identity, scope: "model/fc"))
  }

  /// How a regression run is optimised.
  enum Method {
    case kfac(learningRate: Float)
    case momentumSGD(learningRate: Float)
  }

  /// Trains a zero-initialised linear layer for `steps` updates on the same data stream (fresh
  /// batches of 64) and returns the evaluation loss.
  func train(_ method: Method, steps: Int) throws -> Double {
    let layer = Dense(inputs: inputs, outputs: outputs, activation: .identity, scope: "model/fc")
    let data = RandomStream(seed: seed + 1)
    let fisherNoise = RandomStream(seed: seed + 2)
    var kfac: KFAC?
    var sgd: MomentumSGD?
    let learningRate: Float
    switch method {
    case .kfac(let lr):
      kfac = try KFAC(parameters: layer.parameters, blocks: [.dense(layer: layer)])
      learningRate = lr
    case .momentumSGD(let lr):
      sgd = MomentumSGD(parameters: layer.parameters, momentum: 0.9)
      learningRate = lr
    }
    for _ in 0..<steps {
      let (x, y) = Self.sample(
        batch, data, rotation: rotation, scales: scales, weight: trueWeight, bias: trueBias, noise: noise)
      layer.forward(x)
      if let kfac {
        // Sampled Fisher: ỹ = pred + n, joint = −mean ½‖pred − ỹ‖², so δ = n/B.
        var fisher = Matrix(rows: batch, columns: outputs)
        for i in fisher.elements.indices { fisher.elements[i] = Float(fisherNoise.gaussian()) / Float(batch) }
        layer.backward(fisher, parameterGradients: .skip, computeInputGradient: false)
        kfac.captureStatistics()
      }
      var gradient = Matrix(rows: batch, columns: outputs)
      for i in gradient.elements.indices {
        gradient.elements[i] = (layer.output.elements[i] - y.elements[i]) / Float(batch)
      }
      layer.backward(gradient, computeInputGradient: false)
      if let kfac { try kfac.step(learningRate: learningRate) }
      sgd?.step(learningRate: learningRate)
    }
    return loss(layer)
  }
}

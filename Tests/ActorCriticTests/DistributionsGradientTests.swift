import ActorCritic
import LinearAlgebra
import Randomness
import Testing
import _TestSupport

/// Finite-difference checks of every gradient, through the Float implementation (step 1e-2).
@Suite struct DistributionsGradientTests {
  static let rows = 3
  static let tolerance = 1e-3

  @Test(arguments: distributionKindsUnderTest)
  func logProbabilityGradient(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    let parameters = randomDistributionParameters(d, rows: Self.rows, seed: 1)
    var actions = Matrix(rows: 0, columns: 0)
    d.sample(parameters: parameters, random: RandomStream(seed: 2), into: &actions)
    let weights = randomRowWeights(Self.rows, seed: 3)
    var values = [Float]()
    let error = distributionGradientError(
      at: parameters,
      value: { p in
        d.logProbability(parameters: p, actions: actions, into: &values)
        return weightedRowSum(values, weights)
      },
      analytic: { g in
        d.addLogProbabilityGradient(parameters: parameters, actions: actions, weights: weights, into: &g)
      })
    #expect(error < Self.tolerance, "\(kind): \(error)")
  }

  @Test(arguments: distributionKindsUnderTest)
  func entropyGradient(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    let parameters = randomDistributionParameters(d, rows: Self.rows, seed: 4)
    let weights = randomRowWeights(Self.rows, seed: 5)
    var values = [Float]()
    let error = distributionGradientError(
      at: parameters,
      value: { p in
        d.entropy(parameters: p, into: &values)
        return weightedRowSum(values, weights)
      },
      analytic: { g in d.addEntropyGradient(parameters: parameters, weights: weights, into: &g) })
    #expect(error < Self.tolerance, "\(kind): \(error)")
  }

  @Test(arguments: distributionKindsUnderTest)
  func klGradientWithRespectToBothArguments(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    let p = randomDistributionParameters(d, rows: Self.rows, seed: 6)
    let q = randomDistributionParameters(d, rows: Self.rows, seed: 7)
    let weights = randomRowWeights(Self.rows, seed: 8)
    var values = [Float]()
    let fromError = distributionGradientError(
      at: p,
      value: { x in
        d.kl(from: x, to: q, into: &values)
        return weightedRowSum(values, weights)
      },
      analytic: { g in d.addKLGradient(from: p, to: q, weights: weights, withRespectTo: .from, into: &g) })
    let toError = distributionGradientError(
      at: q,
      value: { x in
        d.kl(from: p, to: x, into: &values)
        return weightedRowSum(values, weights)
      },
      analytic: { g in d.addKLGradient(from: p, to: q, weights: weights, withRespectTo: .to, into: &g) })
    #expect(fromError < Self.tolerance, "\(kind) ∂/∂p: \(fromError)")
    #expect(toError < Self.tolerance, "\(kind) ∂/∂q: \(toError)")
  }

  @Test(arguments: distributionKindsUnderTest)
  func probabilitiesVectorJacobianProduct(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    let parameters = randomDistributionParameters(d, rows: Self.rows, seed: 9)
    let random = RandomStream(seed: 10)
    let cotangent = Matrix(
      rows: Self.rows, columns: d.parameterCount,
      elements: (0..<(Self.rows * d.parameterCount)).map { _ in Float(random.uniform(low: -1, high: 1)) })
    var probabilities = Matrix(rows: 0, columns: 0)
    let error = distributionGradientError(
      at: parameters,
      value: { p in
        d.probabilities(parameters: p, into: &probabilities)
        return weightedRowSum(probabilities.elements, cotangent.elements)
      },
      analytic: { g in d.addProbabilitiesGradient(parameters: parameters, cotangent: cotangent, into: &g) })
    #expect(error < Self.tolerance, "\(kind): \(error)")
  }

  /// Row i of the Fisher output gradient is the gradient of log π(a_i) with respect to row i only.
  @Test(arguments: fisherKindsUnderTest)
  func fisherOutputGradientsArePerSampleScoreFunctions(kind: DistributionKind) throws {
    let d = try kind.makeFisherDistribution()
    let parameters = randomDistributionParameters(makeTestDistribution(kind), rows: Self.rows, seed: 11)
    var actions = Matrix(rows: 0, columns: 0)
    d.sample(parameters: parameters, random: RandomStream(seed: 12), into: &actions)
    let scale: Float = 0.75
    var fisher = Matrix(rows: Self.rows, columns: d.parameterCount)
    d.addFisherOutputGradients(parameters: parameters, actions: actions, scale: scale, into: &fisher)
    var values = [Float]()
    for i in 0..<Self.rows {
      let numeric = numericalGradient(
        of: { row in
          var p = parameters
          for j in 0..<d.parameterCount { p[i, j] = Float(row[j]) }
          d.logProbability(parameters: p, actions: actions, into: &values)
          return Double(scale) * Double(values[i])
        },
        at: parameters.row(i).map { Double($0) }, step: 1e-2)
      let error = maxRelativeError(fisher.row(i).map { Double($0) }, numeric)
      #expect(error < Self.tolerance, "\(kind) row \(i): \(error)")
    }
  }

  @Test func categoricalFisherIsOneHotMinusSoftmax() throws {
    let d = try Categorical(actionCount: 3)
    let logits = Matrix([[0, Float.log(2), Float.log(3)]])
    var g = Matrix(rows: 1, columns: 3)
    d.addFisherOutputGradients(parameters: logits, actions: Matrix([[2]]), scale: 1, into: &g)
    #expect(allApproximatelyEqual(g.elements, [-1.0 / 6, -2.0 / 6, 1 - 3.0 / 6], relativeTolerance: 1e-6))
  }

  @Test func gaussianFisherMatchesClosedForm() throws {
    let d = try DiagonalGaussian(dimension: 1)
    // μ = 1, σ = 2, a = 4: (a − μ)/σ² = 0.75, (a − μ)²/σ² − 1 = 1.25.
    let parameters = Matrix([[1, Float.log(2)]])
    var g = Matrix(rows: 1, columns: 2)
    d.addFisherOutputGradients(parameters: parameters, actions: Matrix([[4]]), scale: 2, into: &g)
    #expect(allApproximatelyEqual(g.elements, [1.5, 2.5], relativeTolerance: 1e-6))
  }

  /// Logits of ±50 keep every value and gradient finite and the gradients correct.
  @Test(arguments: distributionKindsUnderTest)
  func largeParametersStayFiniteAndCorrect(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    var parameters = randomDistributionParameters(
      d, rows: Self.rows, seed: 13, logitRange: 50, meanRange: 50, logStdRange: 2)
    var q = randomDistributionParameters(
      d, rows: Self.rows, seed: 14, logitRange: 50, meanRange: 50, logStdRange: 2)
    if case .diagonalGaussian(let gaussian) = d {
      // Means of ±50 for both; q's means within ±1 of p's so the KL stays in Float's exact range.
      let random = RandomStream(seed: 18)
      for i in 0..<Self.rows {
        for j in 0..<gaussian.dimension {
          q[i, j] = parameters[i, j] + Float(random.uniform(low: -1, high: 1))
        }
      }
    } else {
      // Logits of exactly ±50 (and one 0), for p and q alike.
      for k in parameters.elements.indices {
        parameters.elements[k] = parameters.elements[k] < 0 ? -50 : 50
        q.elements[k] = q.elements[k] < 0 ? -50 : 50
      }
      parameters.elements[1] = 0
    }
    var actions = Matrix(rows: 0, columns: 0)
    d.sample(parameters: parameters, random: RandomStream(seed: 15), into: &actions)
    let weights = randomRowWeights(Self.rows, seed: 16)
    var logp = [Float](), entropy = [Float](), kl = [Float]()
    d.logProbability(parameters: parameters, actions: actions, into: &logp)
    d.entropy(parameters: parameters, into: &entropy)
    d.kl(from: parameters, to: q, into: &kl)
    #expect((logp + entropy + kl).allSatisfy { $0.isFinite })
    #expect(kl.allSatisfy { $0 >= -1e-4 })
    if case .diagonalGaussian = d {} else { #expect(entropy.allSatisfy { $0 >= -1e-6 }) }

    var values = [Float]()
    let logpError = distributionGradientError(
      at: parameters,
      value: { p in
        d.logProbability(parameters: p, actions: actions, into: &values)
        return weightedRowSum(values, weights)
      },
      analytic: { g in
        d.addLogProbabilityGradient(parameters: parameters, actions: actions, weights: weights, into: &g)
      })
    let entropyError = distributionGradientError(
      at: parameters,
      value: { p in
        d.entropy(parameters: p, into: &values)
        return weightedRowSum(values, weights)
      },
      analytic: { g in d.addEntropyGradient(parameters: parameters, weights: weights, into: &g) })
    let klError = distributionGradientError(
      at: q,
      value: { x in
        d.kl(from: parameters, to: x, into: &values)
        return weightedRowSum(values, weights)
      },
      analytic: { g in
        d.addKLGradient(from: parameters, to: q, weights: weights, withRespectTo: .to, into: &g)
      })
    #expect(logpError < 2e-3, "\(kind) log π: \(logpError)")
    #expect(entropyError < 2e-3, "\(kind) H: \(entropyError)")
    #expect(klError < 2e-3, "\(kind) KL: \(klError)")
  }

  /// Gradients add into the buffer: two calls give twice one call, on top of what was there.
  @Test(arguments: distributionKindsUnderTest)
  func gradientsAccumulate(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    let parameters = randomDistributionParameters(d, rows: 2, seed: 17)
    let weights: [Float] = [0.5, -1.5]
    var once = Matrix(rows: 2, columns: d.parameterCount)
    d.addEntropyGradient(parameters: parameters, weights: weights, into: &once)
    var twice = Matrix(rows: 2, columns: d.parameterCount, repeating: 1)
    d.addEntropyGradient(parameters: parameters, weights: weights, into: &twice)
    d.addEntropyGradient(parameters: parameters, weights: weights, into: &twice)
    #expect(allApproximatelyEqual(twice.elements, once.elements.map { 1 + 2 * $0 }, relativeTolerance: 1e-6))
    #expect(once.elements.contains { $0 != 0 })
  }
}

import ActorCritic
import Foundation
import LinearAlgebra
import Randomness
import Testing
import _TestSupport

/// `−Σ p log p` in Double.
private func entropy(_ p: [Double]) -> Double { -p.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) } }

/// `Σ p (log p − log q)` in Double.
private func kl(_ p: [Double], _ q: [Double]) -> Double {
  zip(p, q).reduce(0) { $0 + $1.0 * log($1.0 / $1.1) }
}

/// Closed-form values of §1.5's formulas for hand-picked parameters.
@Suite struct DistributionsClosedFormTests {
  @Test func categorical() throws {
    let d = try Categorical(actionCount: 3)
    let logits = Matrix([[0, Float.log(2), Float.log(3)], [0, 0, 0]])
    var h = [Float](), logp = [Float](), divergence = [Float](), probabilities = Matrix(rows: 0, columns: 0)
    d.entropy(parameters: logits, into: &h)
    d.logProbability(parameters: logits, actions: Matrix([[1], [2]]), into: &logp)
    d.probabilities(parameters: logits, into: &probabilities)
    let q = Matrix([[0, 0, 0], [0, Float.log(2), Float.log(3)]])
    d.kl(from: logits, to: q, into: &divergence)
    let p = [1.0 / 6, 2.0 / 6, 3.0 / 6], uniform = [1.0 / 3, 1.0 / 3, 1.0 / 3]
    #expect(allApproximatelyEqual(h.map(Double.init), [entropy(p), log(3)], relativeTolerance: 1e-6))
    #expect(allApproximatelyEqual(
      logp.map(Double.init), [log(1.0 / 3), log(1.0 / 3)], relativeTolerance: 1e-6))
    #expect(allApproximatelyEqual(
      divergence.map(Double.init), [kl(p, uniform), kl(uniform, p)], relativeTolerance: 1e-5))
    #expect(allApproximatelyEqual(
      probabilities.elements.map(Double.init), p + uniform, relativeTolerance: 1e-6))
  }

  @Test func diagonalGaussian() throws {
    let d = try DiagonalGaussian(dimension: 2)
    // p: μ = [0, 1], σ = [1, 2];  q: μ = [1, 1], σ = [2, 1].
    let p = Matrix([[0, 1, 0, Float.log(2)]]), q = Matrix([[1, 1, Float.log(2), 0]])
    var h = [Float](), logp = [Float](), divergence = [Float](), probabilities = Matrix(rows: 0, columns: 0)
    d.entropy(parameters: p, into: &h)
    d.logProbability(parameters: matrixRepeatingRow(p.elements, count: 2), actions: Matrix([[0, 1], [1, 3]]),
      into: &logp)
    d.kl(from: p, to: q, into: &divergence)
    d.probabilities(parameters: p, into: &probabilities)
    let log2 = log(2.0), log2π = log(2 * Double.pi)
    #expect(abs(Double(h[0]) - (log2 + log(2 * .pi * M_E))) < 1e-6)
    // z = 0 at the mean; z = [1, 1] at [1, 3].
    #expect(allApproximatelyEqual(
      logp.map(Double.init), [-(log2π + log2), -(1 + log2π + log2)], relativeTolerance: 1e-6))
    // Dimension 0: log 2 + (1 + 1)/8 − ½;  dimension 1: −log 2 + 4/2 − ½.
    #expect(abs(Double(divergence[0]) - 1.25) < 1e-6)
    #expect(probabilities.elements == [0, 1, 1, 2])
  }

  @Test func multiCategorical() throws {
    let d = try MultiCategorical(nvec: [2, 3])
    let p = Matrix([[0, 0, 0, Float.log(2), Float.log(3)]])
    let q = Matrix([[0, Float.log(3), 0, 0, 0]])
    var h = [Float](), logp = [Float](), divergence = [Float](), probabilities = Matrix(rows: 0, columns: 0)
    d.entropy(parameters: p, into: &h)
    d.logProbability(parameters: p, actions: Matrix([[1, 2]]), into: &logp)
    d.kl(from: p, to: q, into: &divergence)
    d.probabilities(parameters: p, into: &probabilities)
    let p1 = [1.0 / 6, 2.0 / 6, 3.0 / 6]
    #expect(abs(Double(h[0]) - (log(2) + entropy(p1))) < 1e-6)
    #expect(abs(Double(logp[0]) - 2 * log(0.5)) < 1e-6)
    let expected = kl([0.5, 0.5], [0.25, 0.75]) + kl(p1, [1.0 / 3, 1.0 / 3, 1.0 / 3])
    #expect(abs(Double(divergence[0]) - expected) < 1e-6)
    #expect(allApproximatelyEqual(
      probabilities.elements.map(Double.init), [0.5, 0.5] + p1, relativeTolerance: 1e-6))
  }

  @Test func bernoulli() throws {
    let d = try Bernoulli(count: 2)
    let p = Matrix([[0, Float.log(3)]]), q = Matrix([[Float.log(3), 0]])
    var h = [Float](), logp = [Float](), divergence = [Float](), probabilities = Matrix(rows: 0, columns: 0)
    d.entropy(parameters: p, into: &h)
    d.logProbability(parameters: p, actions: Matrix([[1, 0]]), into: &logp)
    d.kl(from: p, to: q, into: &divergence)
    d.probabilities(parameters: p, into: &probabilities)
    #expect(abs(Double(h[0]) - (log(2) + entropy([0.75, 0.25]))) < 1e-6)
    #expect(abs(Double(logp[0]) - (log(0.5) + log(0.25))) < 1e-6)
    let expected = kl([0.5, 0.5], [0.75, 0.25]) + kl([0.75, 0.25], [0.5, 0.5])
    #expect(abs(Double(divergence[0]) - expected) < 1e-6)
    #expect(allApproximatelyEqual(probabilities.elements, [0.5, 0.75], relativeTolerance: 1e-6))
  }

  /// Logits of ±50: probabilities saturate, log-probabilities are the exact −100, nothing is NaN.
  @Test func saturatedLogits() throws {
    let categorical = try Categorical(actionCount: 2)
    let logits = Matrix([[50, -50]])
    var logp = [Float](), h = [Float](), divergence = [Float]()
    categorical.logProbability(
      parameters: matrixRepeatingRow([50, -50], count: 2), actions: Matrix([[0], [1]]), into: &logp)
    categorical.entropy(parameters: logits, into: &h)
    categorical.kl(from: logits, to: Matrix([[-50, 50]]), into: &divergence)
    #expect(logp == [0, -100])
    #expect(h[0] >= 0 && h[0] < 1e-30)
    #expect(abs(divergence[0] - 100) < 1e-4)

    let bernoulli = try Bernoulli(count: 2)
    bernoulli.logProbability(parameters: logits, actions: Matrix([[0, 1]]), into: &logp)
    bernoulli.entropy(parameters: logits, into: &h)
    bernoulli.kl(from: logits, to: Matrix([[-50, 50]]), into: &divergence)
    #expect(logp == [-100])
    #expect(h[0] >= 0 && h[0] < 1e-18)
    #expect(abs(divergence[0] - 100) < 1e-4)
  }

  @Test(arguments: distributionKindsUnderTest)
  func klOfIdenticalParametersIsZero(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    for range in [3.0, 50.0] {
      let p = randomDistributionParameters(d, rows: 5, seed: 21, logitRange: range, meanRange: range)
      var divergence = [Float]()
      d.kl(from: p, to: p, into: &divergence)
      #expect(divergence == [Float](repeating: 0, count: 5), "\(kind), range \(range)")
    }
  }
}

@Suite struct DistributionsBehaviourTests {
  @Test func modes() throws {
    var actions = Matrix(rows: 0, columns: 0)
    try Categorical(actionCount: 3).mode(parameters: Matrix([[1, 3, 2], [5, 5, -1]]), into: &actions)
    #expect(actions.elements == [1, 0])  // ties go to the first maximum, as tf.argmax
    try DiagonalGaussian(dimension: 2).mode(parameters: Matrix([[0.5, -2, 9, 9]]), into: &actions)
    #expect(actions == Matrix([[0.5, -2]]))
    try MultiCategorical(nvec: [2, 3]).mode(parameters: Matrix([[0, 1, 7, -1, 3]]), into: &actions)
    #expect(actions == Matrix([[1, 0]]))
    try Bernoulli(count: 4).mode(parameters: Matrix([[-1, 0, 1e-3, 50]]), into: &actions)
    #expect(actions == Matrix([[0, 0, 1, 1]]))  // round(½) = 0 (round half to even)
  }

  @Test(arguments: distributionKindsUnderTest)
  func probabilitiesAreNormalisedAndShaped(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    let p = randomDistributionParameters(d, rows: 4, seed: 22, logitRange: 50)
    var probabilities = Matrix(rows: 1, columns: 1)
    d.probabilities(parameters: p, into: &probabilities)
    #expect(probabilities.rows == 4 && probabilities.columns == d.parameterCount)
    #expect(probabilities.elements.allSatisfy { $0.isFinite })
    switch d {
    case .categorical, .multiCategorical:
      #expect(probabilities.elements.allSatisfy { $0 >= 0 })
      let total = probabilities.elements.reduce(0, +)
      let components = if case .multiCategorical(let m) = d { m.nvec.count } else { 1 }
      #expect(abs(total - Float(4 * components)) < 1e-5)
    case .bernoulli:
      #expect(probabilities.elements.allSatisfy { $0 >= 0 && $0 <= 1 })
    case .diagonalGaussian(let g):
      for i in 0..<4 {
        for j in 0..<g.dimension {
          #expect(probabilities[i, j] == p[i, j])
          #expect(probabilities[i, g.dimension + j] == Float.exp(p[i, g.dimension + j]))
        }
      }
    }
  }

  @Test func sizesOfEveryKind() throws {
    let expected: [(DistributionKind, Int, Int)] = [
      (.categorical(actionCount: 4), 4, 1), (.diagonalGaussian(dimension: 3), 6, 3),
      (.multiCategorical(nvec: [2, 3, 4]), 9, 3), (.bernoulli(count: 3), 3, 3),
    ]
    for (kind, parameterCount, actionDimension) in expected {
      let d = try kind.makeDistribution()
      #expect(d.parameterCount == parameterCount && d.actionDimension == actionDimension, "\(kind)")
      #expect(d.kind == kind)
    }
  }

  /// Outputs are resized to fit; the type-erased enum gives the concrete type's results.
  @Test func outputsResizeAndTypeErasureForwards() throws {
    let concrete = try MultiCategorical(nvec: [2, 3])
    let erased = try DistributionKind.multiCategorical(nvec: [2, 3]).makeDistribution()
    let p = randomDistributionParameters(erased, rows: 6, seed: 23)
    var a = Matrix(rows: 1, columns: 7), b = Matrix(rows: 0, columns: 0)
    concrete.sample(parameters: p, random: RandomStream(seed: 5), into: &a)
    erased.sample(parameters: p, random: RandomStream(seed: 5), into: &b)
    #expect(a == b && a.rows == 6 && a.columns == 2)
    var x = [Float](repeating: 9, count: 11), y = [Float]()
    concrete.logProbability(parameters: p, actions: a, into: &x)
    erased.logProbability(parameters: p, actions: a, into: &y)
    #expect(x == y && x.count == 6)
  }
}

@Suite struct DistributionKindTests {
  @Test func codableRoundTripAndJSONShape() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    for kind in distributionKindsUnderTest {
      let data = try encoder.encode(kind)
      #expect(try JSONDecoder().decode(DistributionKind.self, from: data) == kind)
    }
    let data = try encoder.encode(DistributionKind.categorical(actionCount: 2))
    let json = String(decoding: data, as: UTF8.self)
    #expect(json == #"{"categorical":{"actionCount":2}}"#)
  }

  @Test func invalidDescriptionsThrowNamedErrors() {
    let cases: [(DistributionKind, DistributionError, String)] = [
      (.categorical(actionCount: 0), .invalidActionCount(0), "actionCount must be in 1...16777216, got 0"),
      (.diagonalGaussian(dimension: -2), .invalidDimension(-2), "dimension must be ≥ 1, got -2"),
      (.multiCategorical(nvec: []), .emptyNvec, "nvec must have at least one entry, got []"),
      (.multiCategorical(nvec: [2, 0]), .invalidNvecEntry(index: 1, value: 0),
       "nvec[1] must be in 1...16777216, got 0"),
      (.bernoulli(count: 0), .invalidCount(0), "count must be ≥ 1, got 0"),
    ]
    for (kind, error, message) in cases {
      #expect(throws: error) { try kind.makeDistribution() }
      #expect(error.description == message)
    }
    #expect(throws: DistributionError.invalidActionCount(1 << 24 + 1)) {
      try Categorical(actionCount: 1 << 24 + 1)
    }
  }

  @Test func onlyCategoricalAndGaussianSupportFisherSampling() throws {
    #expect(try DistributionKind.categorical(actionCount: 2).makeFisherDistribution().kind
      == .categorical(actionCount: 2))
    #expect(try DistributionKind.diagonalGaussian(dimension: 1).makeFisherDistribution().parameterCount == 2)
    for kind in [DistributionKind.multiCategorical(nvec: [2]), .bernoulli(count: 2)] {
      #expect(!kind.supportsFisherSampling)
      #expect(throws: DistributionError.fisherSamplingUnsupported(kind)) { try kind.makeFisherDistribution() }
    }
    #expect(DistributionError.fisherSamplingUnsupported(.bernoulli(count: 2)).description
      == "distribution bernoulli(count: 2) has no sampled-Fisher output gradients; "
      + "allowed: categorical (Discrete actions), diagonalGaussian (Box actions)")
    #expect(fisherKindsUnderTest.allSatisfy { $0.supportsFisherSampling })
  }
}

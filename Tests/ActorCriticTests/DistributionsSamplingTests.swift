import ActorCritic
import LinearAlgebra
import Randomness
import Testing
import _TestSupport

/// Sampling with fixed seeds: frequencies, moments, and reproducibility.
@Suite struct DistributionsSamplingTests {
  static let rows = 20_000

  @Test func categoricalFrequenciesMatchSoftmax() throws {
    let d = try Categorical(actionCount: 3)
    let p: [Float] = [0.2, 0.5, 0.3]
    var actions = Matrix(rows: 0, columns: 0)
    let logits = matrixRepeatingRow(p.map { .log($0) + 7 }, count: Self.rows)
    d.sample(parameters: logits, random: RandomStream(seed: 31), into: &actions)
    var counts = [0, 0, 0]
    for a in actions.elements { counts[Int(a)] += 1 }
    for j in 0..<3 { #expect(abs(Float(counts[j]) / Float(Self.rows) - p[j]) < 0.012, "\(counts)") }
  }

  @Test func multiCategoricalFrequenciesMatchEachComponent() throws {
    let d = try MultiCategorical(nvec: [2, 3])
    let p: [Float] = [0.9, 0.1, 0.25, 0.25, 0.5]
    var actions = Matrix(rows: 0, columns: 0)
    let logits = matrixRepeatingRow(p.map { .log($0) }, count: Self.rows)
    d.sample(parameters: logits, random: RandomStream(seed: 32), into: &actions)
    var counts = [0, 0, 0, 0, 0]
    for i in 0..<Self.rows {
      counts[Int(actions[i, 0])] += 1
      counts[2 + Int(actions[i, 1])] += 1
    }
    for j in 0..<5 { #expect(abs(Float(counts[j]) / Float(Self.rows) - p[j]) < 0.012, "\(counts)") }
  }

  @Test func bernoulliFrequenciesMatchSigmoid() throws {
    let d = try Bernoulli(count: 3)
    let logits: [Float] = [.log(0.3 / 0.7), 0, 2]
    var actions = Matrix(rows: 0, columns: 0)
    let parameters = matrixRepeatingRow(logits, count: Self.rows)
    d.sample(parameters: parameters, random: RandomStream(seed: 33), into: &actions)
    #expect(actions.elements.allSatisfy { $0 == 0 || $0 == 1 })
    for j in 0..<3 {
      var ones = 0
      for i in 0..<Self.rows { ones += Int(actions[i, j]) }
      let expected = 1 / (1 + Float.exp(-logits[j]))
      #expect(abs(Float(ones) / Float(Self.rows) - expected) < 0.012, "\(j): \(ones)")
    }
  }

  @Test func gaussianMomentsMatchMeanAndStandardDeviation() throws {
    let d = try DiagonalGaussian(dimension: 2)
    let mean: [Float] = [1, -2], std: [Float] = [1, 0.5]
    var actions = Matrix(rows: 0, columns: 0)
    d.sample(parameters: matrixRepeatingRow(mean + std.map { .log($0) }, count: Self.rows),
      random: RandomStream(seed: 34), into: &actions)
    for j in 0..<2 {
      var sum = 0.0, squares = 0.0
      for i in 0..<Self.rows { sum += Double(actions[i, j]) }
      let m = sum / Double(Self.rows)
      for i in 0..<Self.rows { squares += (Double(actions[i, j]) - m) * (Double(actions[i, j]) - m) }
      let s = (squares / Double(Self.rows)).squareRoot()
      #expect(abs(m - Double(mean[j])) < 0.03 * Double(std[j]), "mean \(j): \(m)")
      #expect(abs(s / Double(std[j]) - 1) < 0.03, "std \(j): \(s)")
    }
  }

  /// Sampling and log-probability agree: `E_{a~π}[log π(a)] = −H(π)` (Monte Carlo, per kind).
  @Test(arguments: distributionKindsUnderTest)
  func meanLogProbabilityOfSamplesIsMinusEntropy(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    let row = randomDistributionParameters(d, rows: 1, seed: 35).elements
    let parameters = matrixRepeatingRow(row, count: Self.rows)
    var actions = Matrix(rows: 0, columns: 0), logp = [Float](), h = [Float]()
    d.sample(parameters: parameters, random: RandomStream(seed: 36), into: &actions)
    d.logProbability(parameters: parameters, actions: actions, into: &logp)
    d.entropy(parameters: Matrix(rows: 1, columns: row.count, elements: row), into: &h)
    let mean = logp.reduce(0.0) { $0 + Double($1) } / Double(Self.rows)
    #expect(abs(mean + Double(h[0])) < 0.04, "\(kind): E log π = \(mean), H = \(h[0])")
  }

  /// The score function has mean zero under the policy: `E_{a~π}[∂ log π(a)/∂params] = 0`.
  @Test(arguments: fisherKindsUnderTest)
  func fisherOutputGradientsHaveMeanZero(kind: DistributionKind) throws {
    let d = try kind.makeFisherDistribution()
    let row = randomDistributionParameters(makeTestDistribution(kind), rows: 1, seed: 37).elements
    let parameters = matrixRepeatingRow(row, count: Self.rows)
    var actions = Matrix(rows: 0, columns: 0)
    d.sample(parameters: parameters, random: RandomStream(seed: 38), into: &actions)
    var g = Matrix(rows: Self.rows, columns: d.parameterCount)
    d.addFisherOutputGradients(parameters: parameters, actions: actions, scale: 1, into: &g)
    for j in 0..<d.parameterCount {
      var sum = 0.0
      for i in 0..<Self.rows { sum += Double(g[i, j]) }
      #expect(abs(sum / Double(Self.rows)) < 0.05, "\(kind) column \(j): \(sum / Double(Self.rows))")
    }
  }

  @Test(arguments: distributionKindsUnderTest)
  func sameSeedSameSamplesDifferentSeedDifferentSamples(kind: DistributionKind) {
    let d = makeTestDistribution(kind)
    let parameters = randomDistributionParameters(d, rows: 16, seed: 39)
    var a = Matrix(rows: 0, columns: 0), b = Matrix(rows: 0, columns: 0), c = Matrix(rows: 0, columns: 0)
    d.sample(parameters: parameters, random: RandomStream(seed: 40), into: &a)
    d.sample(parameters: parameters, random: RandomStream(seed: 40), into: &b)
    d.sample(parameters: parameters, random: RandomStream(seed: 41), into: &c)
    #expect(a == b)
    #expect(a != c)
    #expect(a.rows == 16 && a.columns == d.actionDimension)
  }

  /// Categorical sampling consumes exactly `B · n` open-interval uniforms, row by row.
  @Test func categoricalConsumesOneUniformPerLogit() throws {
    let d = try Categorical(actionCount: 5)
    let stream = RandomStream(seed: 42), reference = stream.copy()
    var actions = Matrix(rows: 0, columns: 0)
    d.sample(parameters: Matrix(rows: 3, columns: 5), random: stream, into: &actions)
    for _ in 0..<15 { _ = reference.uniformPositive() }
    #expect(stream.uniform() == reference.uniform())
  }
}

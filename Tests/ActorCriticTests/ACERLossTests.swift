import ActorCritic
import Foundation
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing
import _TestSupport

/// A tiny ACER problem: a network with every trunk, random parameters, a random batch.
private struct ACERTinyProblem {
  let E = 2, T = 3, width = 3, n = 3
  let network: ActorCriticNetwork
  let batch: ACERBatch
  let observations: Matrix

  init(seed: UInt32) throws {
    let random = RandomStream(seed: seed)
    network = ActorCriticNetwork(
      inputs: width, distribution: .categorical(try Categorical(actionCount: n)),
      architecture: NetworkArchitecture(shared: [4], policy: [5], value: [4]), random: random)
    // Spread the parameters so f, Q and ρ are far from their initial near-uniform values.
    for p in network.parameters {
      for i in 0..<p.count { p.value.elements[i] = Float(random.gaussian(sigma: 0.6)) }
    }
    batch = ACERBatch(environmentCount: E, steps: T, observationWidth: width, actionCount: n)
    let raw = batch.observations.typedElements(as: Float.self)
    for i in 0..<raw.count { raw[i] = Float(random.gaussian(sigma: 1)) }
    for i in 0..<(E * T) {
      batch.actions[i] = Int32(random.uniformInt(below: n))
      batch.rewards[i] = Float(random.gaussian(sigma: 1))
      batch.dones[i] = i == 1
      let mu = (0..<n).map { _ in Float(random.uniform(low: 0.03, high: 1)) }
      let total = mu.reduce(0, +)
      for j in 0..<n { batch.behaviourProbabilities[i * n + j] = mu[j] / total }
    }
    observations = Matrix(rows: E * (T + 1), columns: width, elements: batch.observations.floats())
  }
}

@Suite struct ACERLossTests {
  /// On-policy data has μ = f, so ρ = f/(f + 1e-6): 1 up to the ε, and the bias-correction weight
  /// relu(1 − c/(ρ + ε)) is exactly 0 for c = 10 (ρ < 1 < c).
  @Test func onPolicyRatiosAreOneUpToEpsilonAndBiasCorrectionVanishes() throws {
    let problem = try ACERTinyProblem(seed: 5)
    let n = problem.n
    problem.network.forward(problem.observations, computeValue: false, computeQ: true)
    let logits = problem.network.distributionParameters
    var f = Matrix(rows: 0, columns: 0)
    try Categorical(actionCount: n).probabilities(parameters: logits, into: &f)
    for env in 0..<problem.E {
      for t in 0..<problem.T {
        for j in 0..<n {
          problem.batch.behaviourProbabilities[(env * problem.T + t) * n + j] =
            f[env * (problem.T + 1) + t, j]
        }
      }
    }
    var loss = ACERLoss(
      discount: 0.99, correctionTerm: 10, qCoefficient: 0.5, entropyCoefficient: 0.01, trustRegionDelta: nil,
      entropyVariant: .stableBaselines)
    var dl = Matrix(rows: 0, columns: 0)
    var dq = Matrix(rows: 0, columns: 0)
    let terms = loss.evaluate(
      batch: problem.batch, logits: logits, averageLogits: nil, q: problem.network.qHead.output,
      logitGradient: &dl,
      qGradient: &dq)
    for i in 0..<(problem.E * problem.T) {
      for j in 0..<n {
        let mu = problem.batch.behaviourProbabilities[i * n + j]
        let rho = loss.ratios.elements[i * n + j]
        #expect(rho == mu / (mu + ACERLoss.epsilon))
        #expect(rho <= 1 && 1 - rho < 1e-6 / mu + 1.2e-7)
        #expect(loss.biasCorrectionWeights.elements[i * n + j] == 0)
      }
    }
    #expect(terms.biasCorrectionLoss == 0)
  }

  /// The loss gradient without the trust region, back-propagated through the whole network,
  /// matches central differences of the loss with its stop-gradient quantities held fixed.
  @Test(arguments: ACERConfiguration.EntropyVariant.allCases)
  func gradientWithoutTrustRegionMatchesFiniteDifferences(variant: ACERConfiguration.EntropyVariant) throws {
    let problem = try ACERTinyProblem(seed: 17)
    let network = problem.network
    let batch = problem.batch
    let E = problem.E
    let T = problem.T
    let n = problem.n
    let N = E * T
    let c: Float = 1.2
    let qCoef: Float = 0.5
    let entCoef: Float = 0.05
    let eps = Double(ACERLoss.epsilon)
    var loss = ACERLoss(
      discount: 0.9, correctionTerm: c, qCoefficient: qCoef, entropyCoefficient: entCoef,
      trustRegionDelta: nil,
      entropyVariant: variant)
    var dl = Matrix(rows: 0, columns: 0)
    var dq = Matrix(rows: 0, columns: 0)
    network.forward(problem.observations, computeValue: false, computeQ: true)
    _ = loss.evaluate(
      batch: batch, logits: network.distributionParameters, averageLogits: nil, q: network.qHead.output,
      logitGradient: &dl, qGradient: &dq)
    // Both truncation regimes occur: ρ^i above and below c, and active bias corrections.
    #expect(loss.importanceWeights.contains { $0 > c } && loss.importanceWeights.contains { $0 < c })
    #expect(loss.biasCorrectionWeights.elements.contains { $0 != 0 })
    network.backward(distributionParameterGradient: dl, valueGradient: nil, qGradient: dq)
    let params = network.actorQParameters
    let analytic = params.flattenedGradients.map(Double.init)

    // sg(·) quantities at θ₀.
    let w = loss.truncatedWeights.map(Double.init)
    let wbc = loss.biasCorrectionWeights.elements.map(Double.init)
    let qret = loss.qret.map(Double.init)
    func surrogate(_ theta: [Double]) -> Double {
      var offset = 0
      for p in params {
        p.value.elements = theta[offset..<(offset + p.count)].map(Float.init)
        offset += p.count
      }
      network.forward(problem.observations, computeValue: false, computeQ: true)
      let logits = network.distributionParameters
      let q = network.qHead.output
      var total = 0.0
      for row in 0..<(E * (T + 1)) {
        let l = (0..<n).map { Double(logits[row, $0]) }
        let m = l.max()!
        let z = l.reduce(0) { $0 + exp($1 - m) }
        let f = l.map { exp($0 - m) / z }
        let t = row % (T + 1)
        let env = row / (T + 1)
        if variant == .stableBaselines {
          total -= Double(entCoef) * f.reduce(0) { $0 - $1 * log($1) }
        }
        guard t < T else { continue }
        let i = env * T + t
        let a = Int(batch.actions[i])
        total -= log(f[a] + eps) * w[i] / Double(N)
        for j in 0..<n { total -= log(f[j] + eps) * wbc[i * n + j] / Double(N) }
        let error = qret[i] - Double(q[row, a])
        total += Double(qCoef) * 0.5 * error * error / Double(N)
        if variant == .openAIBaselines {
          total -= Double(entCoef) * f.reduce(0) { $0 - $1 * log($1 + eps) } / Double(N)
        }
      }
      return total
    }
    let theta = params.flattenedValues.map(Double.init)
    let numeric = numericalGradient(of: surrogate, at: theta, step: 1e-2)
    #expect(maxRelativeError(analytic, numeric) < 3e-3)
  }

  /// With the trust region, the logits receive the VJP of f with cotangent −g_projected/N: the
  /// gradient of −(1/N)Σ sg(g)·f + q_coef·loss_q.
  @Test func gradientWithTrustRegionIsTheVJPOfTheProjectedG() throws {
    let problem = try ACERTinyProblem(seed: 29)
    let network = problem.network
    let batch = problem.batch
    let E = problem.E
    let T = problem.T
    let n = problem.n
    let N = E * T
    let average = ACERAveragePolicy(copying: network)
    // Move the average away from the current policy so k differs from −1.
    for p in average.shadows { for i in 0..<p.count { p.value.elements[i] *= 0.3 } }
    // Large negative rewards give negative advantages, so k·g > δ = 0 on some rows (projected).
    for i in 0..<N { batch.rewards[i] = -3 }
    var loss = ACERLoss(
      discount: 0.9, correctionTerm: 10, qCoefficient: 0.5, entropyCoefficient: 0.01, trustRegionDelta: 0,
      entropyVariant: .stableBaselines)
    var dl = Matrix(rows: 0, columns: 0)
    var dq = Matrix(rows: 0, columns: 0)
    network.forward(problem.observations, computeValue: false, computeQ: true)
    average.forward(problem.observations)
    let terms = loss.evaluate(
      batch: batch, logits: network.distributionParameters,
      averageLogits: average.network.distributionParameters,
      q: network.qHead.output, logitGradient: &dl, qGradient: &dq)
    let projected = terms.trustRegion?.projectedRows ?? 0
    #expect(projected > 0)
    #expect(terms.averageKL > 0)
    network.backward(distributionParameterGradient: dl, valueGradient: nil, qGradient: dq)
    let params = network.actorQParameters
    let analytic = params.flattenedGradients.map(Double.init)
    let g = loss.policyGradient.elements.map(Double.init)
    let qret = loss.qret.map(Double.init)
    func surrogate(_ theta: [Double]) -> Double {
      var offset = 0
      for p in params {
        p.value.elements = theta[offset..<(offset + p.count)].map(Float.init)
        offset += p.count
      }
      network.forward(problem.observations, computeValue: false, computeQ: true)
      let logits = network.distributionParameters
      let q = network.qHead.output
      var total = 0.0
      for env in 0..<E {
        for t in 0..<T {
          let row = env * (T + 1) + t
          let i = env * T + t
          let a = Int(batch.actions[i])
          let l = (0..<n).map { Double(logits[row, $0]) }
          let m = l.max()!
          let z = l.reduce(0) { $0 + exp($1 - m) }
          for j in 0..<n { total -= g[i * n + j] * exp(l[j] - m) / z / Double(N) }
          let error = qret[i] - Double(q[row, a])
          total += 0.5 * 0.5 * error * error / Double(N)
        }
      }
      return total
    }
    let theta = params.flattenedValues.map(Double.init)
    #expect(maxRelativeError(analytic, numericalGradient(of: surrogate, at: theta, step: 1e-2)) < 3e-3)
  }

  /// SB2's entropy is a function of the logits, not of f, so under the trust region ent_coef
  /// changes nothing; OpenAI baselines' entropy of f does.
  @Test func entropyCoefficientActsUnderTheTrustRegionOnlyForOpenAIBaselines() throws {
    let problem = try ACERTinyProblem(seed: 41)
    let network = problem.network
    let average = ACERAveragePolicy(copying: network)
    network.forward(problem.observations, computeValue: false, computeQ: true)
    average.forward(problem.observations)
    func logitGradient(_ variant: ACERConfiguration.EntropyVariant, _ entCoef: Float) -> [Float] {
      var loss = ACERLoss(
        discount: 0.99, correctionTerm: 10, qCoefficient: 0.5, entropyCoefficient: entCoef,
        trustRegionDelta: 1,
        entropyVariant: variant)
      var dl = Matrix(rows: 0, columns: 0)
      var dq = Matrix(rows: 0, columns: 0)
      _ = loss.evaluate(
        batch: problem.batch, logits: network.distributionParameters,
        averageLogits: average.network.distributionParameters, q: network.qHead.output, logitGradient: &dl,
        qGradient: &dq)
      return dl.elements
    }
    #expect(logitGradient(.stableBaselines, 0) == logitGradient(.stableBaselines, 0.5))
    #expect(logitGradient(.openAIBaselines, 0) != logitGradient(.openAIBaselines, 0.5))
    #expect(logitGradient(.openAIBaselines, 0) == logitGradient(.stableBaselines, 0))
  }
}

import ActorCritic
import Environments
import LinearAlgebra
import NeuralNetwork
import Randomness
import Testing
import _TestSupport

/// The A2C/ACKTR loss, back-propagated through a whole network with a shared trunk, against
/// finite differences of the loss in every parameter, for every action space.
@Suite struct ActorCriticLossGradientTests {
  static let spaces: [Space] = [
    .discrete(n: 3), .box(low: [-1, -2], high: [1, 2]), .multiDiscrete(nvec: [2, 3]), .multiBinary(n: 3),
  ]

  @Test(arguments: spaces)
  func lossGradientMatchesFiniteDifferences(actionSpace: Space) throws {
    let random = RandomStream(seed: 21)
    let policy = try ActorCriticPolicy(
      observationSpace: .box(low: [-1, -1, -1], high: [1, 1, 1]), actionSpace: actionSpace,
      architecture: NetworkArchitecture(shared: [5], policy: [4], value: [3]), random: random)
    let network = policy.network
    // Larger heads than SB2's 0.01 gain so the policy term is not negligible.
    for p in network.parameters { for i in p.value.elements.indices { p.value.elements[i] += Float(random.gaussian(sigma: 0.3)) } }
    let B = 6
    let observations = Matrix(rows: B, columns: 3, elements: (0..<(B * 3)).map { _ in Float(random.gaussian()) })
    network.forward(observations)
    var actions = Matrix(rows: 0, columns: 0)
    policy.distribution.sample(parameters: network.distributionParameters, random: random, into: &actions)
    let returns = (0..<B).map { _ in Float(random.gaussian()) }
    let advantages = (0..<B).map { _ in Float(random.gaussian()) }
    var loss = ActorCriticLoss(entropyCoefficient: 0.05, valueCoefficient: 0.25)
    let parameters = network.actorCriticParameters

    func total(_ flat: [Double]) -> Double {
      var offset = 0
      for p in parameters {
        p.value.elements = flat[offset..<(offset + p.count)].map(Float.init)
        offset += p.count
      }
      network.forward(observations)
      var g = Matrix(rows: 0, columns: 0)
      var v: [Float] = []
      return loss.evaluate(
        distribution: policy.distribution, parameters: network.distributionParameters, actions: actions,
        values: network.values, returns: returns, advantages: advantages, parameterGradient: &g, valueGradient: &v
      ).total
    }
    let theta = parameters.flattenedValues.map(Double.init)
    _ = total(theta)
    var dParams = Matrix(rows: 0, columns: 0)
    var dValues: [Float] = []
    _ = loss.evaluate(
      distribution: policy.distribution, parameters: network.distributionParameters, actions: actions,
      values: network.values, returns: returns, advantages: advantages, parameterGradient: &dParams,
      valueGradient: &dValues)
    network.backward(distributionParameterGradient: dParams, valueGradient: dValues)
    let analytic = parameters.flattenedGradients.map(Double.init)
    let numeric = numericalGradient(of: total, at: theta, step: 1e-2)
    #expect(maxRelativeError(analytic, numeric) < 3e-3)
    #expect(analytic.contains { $0 != 0 })
  }
}

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
    try checkLossGradient(
      observationSpace: .box(low: [-1, -1, -1], high: [1, 1, 1]), actionSpace: actionSpace,
      architecture: NetworkArchitecture(shared: [5], policy: [4], value: [3]), seed: 21, step: 1e-2)
  }

  /// A CNN policy (two convolutions, one with stride 2 and SAME padding, then a dense layer, a
  /// shared trunk and separate trunks) on 7×6×2 images: every parameter, every action space. The
  /// step is 1e-3 (not 1e-2): ReLU kinks within ±1e-2 of a pre-activation bias central differences.
  @Test(arguments: spaces)
  func cnnPolicyLossGradientMatchesFiniteDifferences(actionSpace: Space) throws {
    let features = ConvolutionalFeatures(
      convolutions: [.init(filters: 3, kernel: 3, stride: 1), .init(filters: 2, kernel: 2, stride: 2, padding: .same)],
      hidden: 5)
    try checkLossGradient(
      observationSpace: .box(low: 0, high: 1, shape: [7, 6, 2], dtype: .float32), actionSpace: actionSpace,
      architecture: NetworkArchitecture(
        shared: [4], policy: [3], value: [3], featureExtractor: .convolutional(features)),
      seed: 22, step: 1e-3)
  }

  private func checkLossGradient(
    observationSpace: Space, actionSpace: Space, architecture: NetworkArchitecture, seed: UInt32, step: Double
  ) throws {
    let random = RandomStream(seed: seed)
    let policy = try ActorCriticPolicy(
      observationSpace: observationSpace, actionSpace: actionSpace, architecture: architecture, random: random)
    let network = policy.network
    let width = observationSpace.flatDimension
    // Larger heads than SB2's 0.01 gain so the policy term is not negligible.
    for p in network.parameters { for i in p.value.elements.indices { p.value.elements[i] += Float(random.gaussian(sigma: 0.3)) } }
    let B = 6
    let observations = Matrix(
      rows: B, columns: width, elements: (0..<(B * width)).map { _ in Float(random.gaussian()) })
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
    let numeric = numericalGradient(of: total, at: theta, step: step)
    #expect(maxRelativeError(analytic, numeric) < 3e-3)
    #expect(analytic.contains { $0 != 0 })
  }
}

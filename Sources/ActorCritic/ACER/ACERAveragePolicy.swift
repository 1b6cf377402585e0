import Environments
import LinearAlgebra
import NeuralNetwork
import Randomness

/// ACER's average policy network: a copy of the policy path whose parameters are exponential
/// moving averages of the trained ones (Wang et al. 2017, §3.3,
/// [arXiv:1611.01224](https://arxiv.org/abs/1611.01224); SB2 `polyak_model`, algorithms.md §4.2).
///
/// As TensorFlow's `ExponentialMovingAverage(α)` without `num_updates`, every shadow starts at the
/// parameter's initial value and after every optimiser step (on-policy and replay alike)
/// ```
/// θ̄ ← θ̄ − (1 − α)(θ̄ − θ)          (= α θ̄ + (1 − α) θ)
/// ```
/// Only the parameters the policy output reads are averaged (feature extractor, shared trunk,
/// policy trunk, `pi` head): the average network is only ever asked for `f̄ = softmax(pi(x))`, so the shadows of the
/// value side, which SB2 also keeps, could never influence anything.
// Deviation: SB2's `ExponentialMovingAverage` also shadows the value-side variables (`vf_fc*`,
// `vf`, `q`), which its average model never reads; we keep only the policy path.
public final class ACERAveragePolicy {
  /// The network holding the shadows; only its policy path is evaluated.
  public let network: ActorCriticNetwork
  /// The averaged parameters, in checkpoint order.
  public let shadows: [Parameter]
  private let sources: [Parameter]

  /// A copy of `source`'s policy path, with shadows equal to its current parameters.
  public init(copying source: ActorCriticNetwork) {
    // The stream only feeds the throwaway initialisation; every averaged value is overwritten below.
    if let space = source.observationSpace {
      // The source was built for this space, so the same extractor fits it.
      network = try! ActorCriticNetwork(
        observationSpace: space, distribution: source.distribution, architecture: source.architecture,
        random: RandomStream(seed: 0))
    } else {
      network = ActorCriticNetwork(
        inputs: source.inputCount, distribution: source.distribution, architecture: source.architecture,
        random: RandomStream(seed: 0))
    }
    shadows = ACERAveragePolicy.policyPath(of: network)
    sources = ACERAveragePolicy.policyPath(of: source)
    for (shadow, parameter) in zip(shadows, sources) { shadow.value = parameter.value }
  }

  /// The parameters `softmax(pi(x))` depends on, in checkpoint order.
  public static func policyPath(of network: ActorCriticNetwork) -> [Parameter] {
    let policyNames = Set(
      (network.featureExtractor.parameters + network.sharedTrunk.parameters
        + (network.recurrentLayer?.parameters ?? []) + network.policyTrunk.parameters
        + network.policyHead.parameters).map(
        \.name))
    return network.parameters.filter { policyNames.contains($0.name) }
  }

  /// `θ̄ ← θ̄ − (1 − α)(θ̄ − θ)` for every shadow.
  public func update(decay alpha: Float) {
    let rate = 1 - alpha
    for (shadow, parameter) in zip(shadows, sources) {
      shadow.value.elements.withUnsafeMutableBufferPointer { s in
        parameter.value.elements.withUnsafeBufferPointer { p in
          for i in 0..<s.count { s[i] -= rate * (s[i] - p[i]) }
        }
      }
    }
  }

  /// Evaluates the average policy on preprocessed observations (a recurrent one unrolls
  /// `sequence`, as SB2 feeds its `polyak_model` the train model's states and masks); the logits are
  /// in `network.distributionParameters`.
  public func forward(_ observations: Matrix, sequence: RecurrentSequence? = nil) {
    network.forward(observations, computeValue: false, computeQ: false, sequence: sequence)
  }

  /// The shadow values, for checkpoints.
  public var state: [[Float]] {
    get { shadows.map(\.value.elements) }
    set {
      precondition(newValue.count == shadows.count, "average-policy state has the wrong number of tensors")
      for (shadow, values) in zip(shadows, newValue) {
        precondition(values.count == shadow.count, "average-policy tensor \(shadow.name) has the wrong size")
        shadow.value.elements = values
      }
    }
  }
}

import Environments
import LinearAlgebra
import NeuralNetwork
import Randomness

/// A policy for one observation space and one action space: preprocessing, the network, the
/// action distribution, and the conversion of sampled actions into environment actions.
///
/// Observation preprocessing follows stable-baselines' `common/input.py` (algorithms.md §1.3):
/// Discrete → one-hot, MultiDiscrete → concatenated one-hots, MultiBinary and Box → as floats
/// (MLP policies do not scale Box observations).
public final class ActorCriticPolicy {
  /// The observation space.
  public let observationSpace: Space
  /// The action space.
  public let actionSpace: Space
  /// The network.
  public let network: ActorCriticNetwork
  /// The action distribution (Categorical, DiagonalGaussian, MultiCategorical or Bernoulli).
  public var distribution: AnyActionDistribution { network.distribution }

  /// Raw observation width as the environment emits it (one entry per Discrete index).
  public let rawObservationCount: Int
  /// Network input width after preprocessing.
  public let inputCount: Int

  private var encoded = Matrix(rows: 0, columns: 0)
  private var sampled = Matrix(rows: 0, columns: 0)

  /// Builds the policy, initialising the network from `random`.
  public init(
    observationSpace: Space, actionSpace: Space, architecture: NetworkArchitecture, random: RandomStream
  ) throws {
    try architecture.validate()
    self.observationSpace = observationSpace
    self.actionSpace = actionSpace
    self.rawObservationCount = observationSpace.rawObservationCount
    self.inputCount = observationSpace.preprocessedCount
    let distribution: AnyActionDistribution
    do { distribution = try DistributionKind(actionSpace: actionSpace).makeDistribution() } catch {
      throw ConfigurationError.invalidValue(field: "action_space", value: "\(actionSpace)", allowed: "\(error)")
    }
    network = ActorCriticNetwork(inputs: inputCount, distribution: distribution, architecture: architecture, random: random)
    encoded = Matrix(rows: 0, columns: inputCount)
    sampled = Matrix(rows: 0, columns: distribution.actionDimension)
  }

  // MARK: - Preprocessing

  /// Writes the preprocessed observations of `count` raw rows into `output` (`[count, inputCount]`).
  public func preprocess(_ raw: UnsafeBufferPointer<Float>, count: Int, into output: inout Matrix) {
    output.reshape(rows: count, columns: inputCount)
    let rawWidth = rawObservationCount, width = inputCount
    output.elements.withUnsafeMutableBufferPointer { out in
      switch observationSpace {
      case .box, .multiBinary:
        _ = out.update(fromContentsOf: UnsafeBufferPointer(rebasing: raw[0..<(count * width)]))
      case .discrete(let n):
        out.update(repeating: 0)
        for row in 0..<count {
          let index = min(max(Int(raw[row]), 0), n - 1)
          out[row * width + index] = 1
        }
      case .multiDiscrete(let nvec):
        out.update(repeating: 0)
        for row in 0..<count {
          var offset = 0
          for (k, n) in nvec.enumerated() {
            let index = min(max(Int(raw[row * rawWidth + k]), 0), n - 1)
            out[row * width + offset + index] = 1
            offset += n
          }
        }
      }
    }
  }

  // MARK: - Actions

  /// Converts distribution actions (`[B, actionDimension]` floats) to environment actions.
  ///
  /// Box actions are clipped to the bounds (SB2 clips what it sends to the environment but keeps
  /// the unclipped sample for log-probabilities, algorithms.md §1.2).
  public func environmentActions(_ actions: Matrix, into output: inout [Double]) {
    if output.count != actions.count { output = [Double](repeating: 0, count: actions.count) }
    switch actionSpace {
    case .box(let low, let high):
      let d = low.count
      for i in 0..<actions.count {
        output[i] = min(max(Double(actions.elements[i]), low[i % d]), high[i % d])
      }
    default:
      for i in 0..<actions.count { output[i] = Double(actions.elements[i]) }
    }
  }

  /// Chooses actions for a batch of raw observations (`[B · rawObservationCount]`).
  ///
  /// - Parameters:
  ///   - deterministic: the mode instead of a sample.
  ///   - random: the stream for stochastic actions.
  /// - Returns: environment actions, `[B · actionDimension]`, Box actions clipped to the bounds.
  public func predict(observations: [Float], deterministic: Bool, random: RandomStream) throws -> [Double] {
    let batch = try batchSize(of: observations)
    observations.withUnsafeBufferPointer { preprocess($0, count: batch, into: &encoded) }
    network.forward(encoded, computeValue: false)
    if deterministic {
      distribution.mode(parameters: network.distributionParameters, into: &sampled)
    } else {
      distribution.sample(parameters: network.distributionParameters, random: random, into: &sampled)
    }
    var out: [Double] = []
    environmentActions(sampled, into: &out)
    return out
  }

  /// stable-baselines' `action_probability` for a batch of raw observations: softmax
  /// probabilities (Discrete), `[μ, σ]` (Box), concatenated per-component softmaxes
  /// (MultiDiscrete) or `sigmoid(l)` (MultiBinary); `[B, parameterCount]` row-major.
  public func actionProbability(observations: [Float]) throws -> Matrix {
    let batch = try batchSize(of: observations)
    observations.withUnsafeBufferPointer { preprocess($0, count: batch, into: &encoded) }
    network.forward(encoded, computeValue: false)
    var result = Matrix(rows: batch, columns: distribution.parameterCount)
    distribution.probabilities(parameters: network.distributionParameters, into: &result)
    return result
  }

  /// `V(s)` for a batch of raw observations.
  public func values(observations: [Float]) throws -> [Float] {
    let batch = try batchSize(of: observations)
    observations.withUnsafeBufferPointer { preprocess($0, count: batch, into: &encoded) }
    network.forward(encoded)
    return network.values
  }

  private func batchSize(of observations: [Float]) throws(ConfigurationError) -> Int {
    guard rawObservationCount > 0, observations.count % rawObservationCount == 0, !observations.isEmpty else {
      throw .invalidValue(
        field: "observation", value: "\(observations.count) values",
        allowed: "a positive multiple of \(rawObservationCount) (the observation size of \(observationSpace))")
    }
    return observations.count / rawObservationCount
  }
}

extension Space {
  /// Entries per observation as an environment emits it.
  public var rawObservationCount: Int {
    switch self {
    case .discrete: return 1
    case .box(let low, _): return low.count
    case .multiDiscrete(let nvec): return nvec.count
    case .multiBinary(let n): return n
    }
  }

  /// Entries per observation after stable-baselines' preprocessing (one-hot for discrete spaces).
  public var preprocessedCount: Int {
    switch self {
    case .discrete(let n): return n
    case .box(let low, _): return low.count
    case .multiDiscrete(let nvec): return nvec.reduce(0, +)
    case .multiBinary(let n): return n
    }
  }
}

extension DistributionKind {
  /// The distribution stable-baselines uses for an action space (`make_proba_dist_type`).
  public init(actionSpace: Space) throws(ConfigurationError) {
    switch actionSpace {
    case .discrete(let n): self = .categorical(actionCount: n)
    case .box(let low, _): self = .diagonalGaussian(dimension: low.count)
    case .multiDiscrete(let nvec): self = .multiCategorical(nvec: nvec)
    case .multiBinary(let n): self = .bernoulli(count: n)
    }
  }
}

import LinearAlgebra
import Randomness

/// Any of the four action distributions, dispatched by a `switch` instead of an existential so the
/// policy can hold one concrete `Sendable` value (SB2 `make_proba_dist_type`).
///
/// ```
/// Discrete → categorical,  Box → diagonalGaussian,  MultiDiscrete → multiCategorical,
/// MultiBinary → bernoulli
/// ```
/// Build it with ``DistributionKind/makeDistribution()``.
public enum AnyActionDistribution: ActionDistribution, Hashable {
  /// Softmax over logits (Discrete actions).
  case categorical(Categorical)
  /// Diagonal Gaussian (Box actions).
  case diagonalGaussian(DiagonalGaussian)
  /// Independent categoricals (MultiDiscrete actions).
  case multiCategorical(MultiCategorical)
  /// Independent Bernoulli variables (MultiBinary actions).
  case bernoulli(Bernoulli)

  /// The wrapped distribution's description.
  public var kind: DistributionKind {
    switch self {
    case .categorical(let d): return d.kind
    case .diagonalGaussian(let d): return d.kind
    case .multiCategorical(let d): return d.kind
    case .bernoulli(let d): return d.kind
    }
  }

  /// The wrapped distribution's parameter count.
  public var parameterCount: Int {
    switch self {
    case .categorical(let d): return d.parameterCount
    case .diagonalGaussian(let d): return d.parameterCount
    case .multiCategorical(let d): return d.parameterCount
    case .bernoulli(let d): return d.parameterCount
    }
  }

  /// The wrapped distribution's action dimension.
  public var actionDimension: Int {
    switch self {
    case .categorical(let d): return d.actionDimension
    case .diagonalGaussian(let d): return d.actionDimension
    case .multiCategorical(let d): return d.actionDimension
    case .bernoulli(let d): return d.actionDimension
    }
  }

  /// Forwards to the wrapped distribution's `sample`.
  public func sample(parameters: Matrix, random: RandomStream, into actions: inout Matrix) {
    switch self {
    case .categorical(let d):
      d.sample(parameters: parameters, random: random, into: &actions)
    case .diagonalGaussian(let d):
      d.sample(parameters: parameters, random: random, into: &actions)
    case .multiCategorical(let d):
      d.sample(parameters: parameters, random: random, into: &actions)
    case .bernoulli(let d):
      d.sample(parameters: parameters, random: random, into: &actions)
    }
  }

  /// Forwards to the wrapped distribution's `mode`.
  public func mode(parameters: Matrix, into actions: inout Matrix) {
    switch self {
    case .categorical(let d):
      d.mode(parameters: parameters, into: &actions)
    case .diagonalGaussian(let d):
      d.mode(parameters: parameters, into: &actions)
    case .multiCategorical(let d):
      d.mode(parameters: parameters, into: &actions)
    case .bernoulli(let d):
      d.mode(parameters: parameters, into: &actions)
    }
  }

  /// Forwards to the wrapped distribution's `logProbability`.
  public func logProbability(parameters: Matrix, actions: Matrix, into result: inout [Float]) {
    switch self {
    case .categorical(let d):
      d.logProbability(parameters: parameters, actions: actions, into: &result)
    case .diagonalGaussian(let d):
      d.logProbability(parameters: parameters, actions: actions, into: &result)
    case .multiCategorical(let d):
      d.logProbability(parameters: parameters, actions: actions, into: &result)
    case .bernoulli(let d):
      d.logProbability(parameters: parameters, actions: actions, into: &result)
    }
  }

  /// Forwards to the wrapped distribution's `entropy`.
  public func entropy(parameters: Matrix, into result: inout [Float]) {
    switch self {
    case .categorical(let d):
      d.entropy(parameters: parameters, into: &result)
    case .diagonalGaussian(let d):
      d.entropy(parameters: parameters, into: &result)
    case .multiCategorical(let d):
      d.entropy(parameters: parameters, into: &result)
    case .bernoulli(let d):
      d.entropy(parameters: parameters, into: &result)
    }
  }

  /// Forwards to the wrapped distribution's `kl`.
  public func kl(from p: Matrix, to q: Matrix, into result: inout [Float]) {
    switch self {
    case .categorical(let d):
      d.kl(from: p, to: q, into: &result)
    case .diagonalGaussian(let d):
      d.kl(from: p, to: q, into: &result)
    case .multiCategorical(let d):
      d.kl(from: p, to: q, into: &result)
    case .bernoulli(let d):
      d.kl(from: p, to: q, into: &result)
    }
  }

  /// Forwards to the wrapped distribution's `probabilities`.
  public func probabilities(parameters: Matrix, into result: inout Matrix) {
    switch self {
    case .categorical(let d):
      d.probabilities(parameters: parameters, into: &result)
    case .diagonalGaussian(let d):
      d.probabilities(parameters: parameters, into: &result)
    case .multiCategorical(let d):
      d.probabilities(parameters: parameters, into: &result)
    case .bernoulli(let d):
      d.probabilities(parameters: parameters, into: &result)
    }
  }

  /// Forwards to the wrapped distribution's `addLogProbabilityGradient`.
  public func addLogProbabilityGradient(
    parameters: Matrix, actions: Matrix, weights: [Float], into gradient: inout Matrix
  ) {
    switch self {
    case .categorical(let d):
      d.addLogProbabilityGradient(
        parameters: parameters, actions: actions, weights: weights, into: &gradient)
    case .diagonalGaussian(let d):
      d.addLogProbabilityGradient(
        parameters: parameters, actions: actions, weights: weights, into: &gradient)
    case .multiCategorical(let d):
      d.addLogProbabilityGradient(
        parameters: parameters, actions: actions, weights: weights, into: &gradient)
    case .bernoulli(let d):
      d.addLogProbabilityGradient(
        parameters: parameters, actions: actions, weights: weights, into: &gradient)
    }
  }

  /// Forwards to the wrapped distribution's `addEntropyGradient`.
  public func addEntropyGradient(parameters: Matrix, weights: [Float], into gradient: inout Matrix) {
    switch self {
    case .categorical(let d):
      d.addEntropyGradient(parameters: parameters, weights: weights, into: &gradient)
    case .diagonalGaussian(let d):
      d.addEntropyGradient(parameters: parameters, weights: weights, into: &gradient)
    case .multiCategorical(let d):
      d.addEntropyGradient(parameters: parameters, weights: weights, into: &gradient)
    case .bernoulli(let d):
      d.addEntropyGradient(parameters: parameters, weights: weights, into: &gradient)
    }
  }

  /// Forwards to the wrapped distribution's `addKLGradient`.
  public func addKLGradient(
    from p: Matrix, to q: Matrix, weights: [Float], withRespectTo argument: KLArgument,
    into gradient: inout Matrix
  ) {
    switch self {
    case .categorical(let d):
      d.addKLGradient(
        from: p, to: q, weights: weights, withRespectTo: argument, into: &gradient)
    case .diagonalGaussian(let d):
      d.addKLGradient(
        from: p, to: q, weights: weights, withRespectTo: argument, into: &gradient)
    case .multiCategorical(let d):
      d.addKLGradient(
        from: p, to: q, weights: weights, withRespectTo: argument, into: &gradient)
    case .bernoulli(let d):
      d.addKLGradient(
        from: p, to: q, weights: weights, withRespectTo: argument, into: &gradient)
    }
  }

  /// Forwards to the wrapped distribution's `addProbabilitiesGradient`.
  public func addProbabilitiesGradient(
    parameters: Matrix, cotangent: Matrix, into gradient: inout Matrix
  ) {
    switch self {
    case .categorical(let d):
      d.addProbabilitiesGradient(
        parameters: parameters, cotangent: cotangent, into: &gradient)
    case .diagonalGaussian(let d):
      d.addProbabilitiesGradient(
        parameters: parameters, cotangent: cotangent, into: &gradient)
    case .multiCategorical(let d):
      d.addProbabilitiesGradient(
        parameters: parameters, cotangent: cotangent, into: &gradient)
    case .bernoulli(let d):
      d.addProbabilitiesGradient(
        parameters: parameters, cotangent: cotangent, into: &gradient)
    }
  }
}

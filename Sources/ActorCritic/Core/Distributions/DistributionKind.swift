/// A plain, serialisable description of an action distribution, chosen from the action space
/// (SB2 `make_proba_dist_type`: Discrete → categorical, Box → diagonal Gaussian,
/// MultiDiscrete → multi-categorical, MultiBinary → Bernoulli).
///
/// ```
/// Discrete(n)          → .categorical(actionCount: n)
/// Box(shape: [d])      → .diagonalGaussian(dimension: d)
/// MultiDiscrete(nvec)  → .multiCategorical(nvec: nvec)
/// MultiBinary(n)       → .bernoulli(count: n)
/// ```
/// Decoding does not validate; ``makeDistribution()`` does, and throws a ``DistributionError``
/// naming the field and its allowed values. The JSON form is Swift's synthesised one, for example
/// `{"categorical":{"actionCount":2}}`.
public enum DistributionKind: Codable, Hashable, Sendable, CustomStringConvertible {
  /// Softmax over `actionCount` logits (Discrete actions).
  case categorical(actionCount: Int)
  /// Diagonal Gaussian over `dimension` real actions (Box actions).
  case diagonalGaussian(dimension: Int)
  /// Independent categoricals with `nvec[k]` actions each (MultiDiscrete actions).
  case multiCategorical(nvec: [Int])
  /// `count` independent Bernoulli variables (MultiBinary actions).
  case bernoulli(count: Int)

  /// Builds the distribution, checking the description.
  ///
  /// - Throws: ``DistributionError`` when a size is outside its allowed range.
  public func makeDistribution() throws(DistributionError) -> AnyActionDistribution {
    switch self {
    case .categorical(let n): return .categorical(try Categorical(actionCount: n))
    case .diagonalGaussian(let d): return .diagonalGaussian(try DiagonalGaussian(dimension: d))
    case .multiCategorical(let nvec): return .multiCategorical(try MultiCategorical(nvec: nvec))
    case .bernoulli(let n): return .bernoulli(try Bernoulli(count: n))
    }
  }

  /// Builds a distribution that also provides ACKTR's sampled-Fisher output gradients.
  ///
  /// - Throws: ``DistributionError/fisherSamplingUnsupported(_:)`` for `.multiCategorical` and
  ///   `.bernoulli` (SB2's ACKTR supports Discrete and Box actions only), or the size errors of
  ///   ``makeDistribution()``.
  ///
  /// ACKTR calls it once per model and then one method per update, so an existential costs nothing
  /// measurable here.
  public func makeFisherDistribution() throws(DistributionError) -> any FisherSampling {
    switch self {
    case .categorical(let n): return try Categorical(actionCount: n)
    case .diagonalGaussian(let d): return try DiagonalGaussian(dimension: d)
    case .multiCategorical, .bernoulli: throw .fisherSamplingUnsupported(self)
    }
  }

  /// Whether ``makeFisherDistribution()`` accepts this kind (categorical and diagonal Gaussian).
  public var supportsFisherSampling: Bool {
    switch self {
    case .categorical, .diagonalGaussian: return true
    case .multiCategorical, .bernoulli: return false
    }
  }

  /// The case as written in Swift, for example `categorical(actionCount: 2)`.
  public var description: String {
    switch self {
    case .categorical(let n): return "categorical(actionCount: \(n))"
    case .diagonalGaussian(let d): return "diagonalGaussian(dimension: \(d))"
    case .multiCategorical(let nvec): return "multiCategorical(nvec: \(nvec))"
    case .bernoulli(let n): return "bernoulli(count: \(n))"
    }
  }
}

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

  /// Components per raw observation as the environment emits it (one for a Discrete index).
  public let rawObservationCount: Int
  /// Whether Box observations are rescaled to `[0, 1]` by their bounds (SB2 `scale=True`, CNN
  /// policies); the rescaling, or `nil`.
  let imageScaling: ImageScaling?
  /// Whether the network input is `(x − low)/(high − low)` rather than `x` (see ``preprocess(_:into:)``).
  public var scalesObservations: Bool { imageScaling != nil }
  /// Network input width after preprocessing.
  public let inputCount: Int

  /// Whether the network carries a state between steps (stable-baselines' `recurrent`).
  public var isRecurrent: Bool { network.recurrentLayer != nil }
  /// State values per observation (`2·n_lstm` for an LSTM policy, 0 for a feed-forward one).
  public var stateCount: Int { network.recurrentLayer?.stateCount ?? 0 }

  /// The zero state of `count` environments, `[count, stateCount]` (SB2 `initial_state`).
  public func initialState(count: Int) -> Matrix { Matrix(rows: count, columns: stateCount) }

  private var encoded = Matrix(rows: 0, columns: 0)
  private var sampled = Matrix(rows: 0, columns: 0)

  /// Builds the policy, initialising the network from `random`.
  public init(
    observationSpace: Space, actionSpace: Space, architecture: NetworkArchitecture, random: RandomStream
  ) throws {
    try architecture.validate()
    self.observationSpace = observationSpace
    self.actionSpace = actionSpace
    self.rawObservationCount = observationSpace.observationElementCount
    self.inputCount = observationSpace.flatDimension
    imageScaling = architecture.scalesObservations ? ImageScaling(space: observationSpace) : nil
    let distribution: AnyActionDistribution
    do { distribution = try DistributionKind(actionSpace: actionSpace).makeDistribution() } catch {
      throw ConfigurationError.invalidValue(field: "action_space", value: "\(actionSpace)", allowed: "\(error)")
    }
    network = try ActorCriticNetwork(
      observationSpace: observationSpace, distribution: distribution, architecture: architecture, random: random)
    encoded = Matrix(rows: 0, columns: inputCount)
    sampled = Matrix(rows: 0, columns: distribution.actionDimension)
  }

  // MARK: - Preprocessing

  /// Writes the network input of every observation in `observations` into `output`
  /// (`[count, inputCount]`), as stable-baselines' `common/input.py` builds it:
  ///
  /// ```
  /// Discrete(n)          one_hot(index, n)          (an index outside 0..<n gives a zero row, as tf.one_hot)
  /// MultiDiscrete(nvec)  concat_k one_hot(x_k, nvec_k)
  /// MultiBinary(n)       float32(x)
  /// Box                  float32(x), and with ``scalesObservations``: (x − low)/(high − low)
  /// ```
  /// The buffer may hold any element type (a `uint8` frame, a `float32` vector, an `int64` index);
  /// its components are converted as NumPy's `astype(np.float32)`.
  public func preprocess(_ observations: ObservationBuffer, into output: inout Matrix) {
    precondition(
      observations.elementsPerObservation == rawObservationCount,
      "observations have \(observations.elementsPerObservation) components, \(observationSpace) needs \(rawObservationCount)")
    observations.elementType.withSwiftType { type in
      preprocess(observations, as: type, into: &output)
    }
  }

  private func preprocess<T: ObservationElement>(_ observations: ObservationBuffer, as type: T.Type, into output: inout Matrix) {
    let count = observations.count
    let raw = UnsafeBufferPointer(observations.typedElements(as: type))
    output.reshape(rows: count, columns: inputCount)
    let rawWidth = rawObservationCount, width = inputCount
    output.elements.withUnsafeMutableBufferPointer { out in
      switch observationSpace {
      case .box:
        if let scaling = imageScaling, T.self == UInt8.self, let table = scaling.byteTable {
          // Frames: one lookup per pixel instead of a conversion and a division (same floats).
          raw.withMemoryRebound(to: UInt8.self) { bytes in
            table.withUnsafeBufferPointer { table in
              for k in 0..<(count * width) { out[k] = table[Int(bytes[k])] }
            }
          }
        } else if let scaling = imageScaling {
          scaling.offsets.withUnsafeBufferPointer { low in
            scaling.ranges.withUnsafeBufferPointer { range in
              for row in 0..<count {
                let base = row * width
                for j in 0..<width { out[base + j] = (raw[base + j].floatValue - low[j]) / range[j] }
              }
            }
          }
        } else {
          for k in 0..<(count * width) { out[k] = raw[k].floatValue }
        }
      case .multiBinary:
        for k in 0..<(count * width) { out[k] = raw[k].floatValue }
      case .discrete(let n):
        out.update(repeating: 0)
        for row in 0..<count {
          if let index = Self.index(raw[row], below: n) { out[row * width + index] = 1 }
        }
      case .multiDiscrete(let nvec):
        out.update(repeating: 0)
        for row in 0..<count {
          var offset = 0
          for (k, n) in nvec.enumerated() {
            if let index = Self.index(raw[row * rawWidth + k], below: n) { out[row * width + offset + index] = 1 }
            offset += n
          }
        }
      }
    }
  }

  /// The one-hot position of a discrete component (SB2 feeds observations to an `int32` input,
  /// truncating, and `tf.one_hot` writes nothing for an index outside `0..<n`).
  private static func index<T: ObservationElement>(_ x: T, below n: Int) -> Int? {
    let value = x.doubleValue
    guard value.isFinite, value > -1, value < Double(n) else { return nil }
    let index = Int(value.rounded(.towardZero))
    return index >= 0 && index < n ? index : nil
  }

  /// stable-baselines' `scale=True` Box rescaling, per component: `(x − low)/(high − low)` in
  /// `float32` (`÷ 255` for frames), used when every bound is finite and some `high ≠ low`.
  struct ImageScaling {
    /// `low`, as `float32`.
    var offsets: [Float]
    /// `high − low`, computed in the space's dtype as NumPy does, then as `float32`.
    var ranges: [Float]
    /// For a `uint8` space whose components share one `low` and one `high` (frames): entry `v` is
    /// `(float32(v) − low)/(high − low)`, the very operations of the per-component path, so a
    /// lookup gives the same floats; `nil` otherwise.
    var byteTable: [Float]?

    init?(space: Space) {
      guard case .box(let low, let high, _, let dtype) = space,
        low.allSatisfy(\.isFinite), high.allSatisfy(\.isFinite),
        zip(low, high).contains(where: { $0 != $1 })
      else { return nil }
      offsets = low.map { Float($0) }
      ranges = zip(low, high).map { l, h in dtype == .float64 ? Float(h - l) : Float(h) - Float(l) }
      if dtype == .uint8, let offset = offsets.first, let range = ranges.first,
        offsets.allSatisfy({ $0 == offset }), ranges.allSatisfy({ $0 == range })
      {
        byteTable = (0...255).map { (Float(UInt8($0)) - offset) / range }
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
    case .box(let low, let high, _, _):
      let d = low.count
      for i in 0..<actions.count {
        output[i] = min(max(Double(actions.elements[i]), low[i % d]), high[i % d])
      }
    default:
      for i in 0..<actions.count { output[i] = Double(actions.elements[i]) }
    }
  }

  /// Chooses actions for a batch of raw observations (`[B · rawObservationCount]` values of any
  /// observation element type, e.g. `[UInt8]` frames or `[Float]` vectors).
  ///
  /// - Parameters:
  ///   - deterministic: the mode instead of a sample.
  ///   - random: the stream for stochastic actions.
  /// - Returns: environment actions, `[B · actionDimension]`, Box actions clipped to the bounds.
  public func predict<T: ObservationElement>(observations: [T], deterministic: Bool, random: RandomStream) throws -> [Double] {
    try predict(observations: try buffer(of: observations), deterministic: deterministic, random: random)
  }

  /// Chooses actions for every observation in a buffer (see ``predict(observations:deterministic:random:)``).
  public func predict(observations: ObservationBuffer, deterministic: Bool, random: RandomStream) throws -> [Double] {
    try checkShape(of: observations)
    preprocess(observations, into: &encoded)
    network.forward(encoded, computeValue: false, sequence: freshSequence(count: observations.count))
    return actions(deterministic: deterministic, random: random)
  }

  /// Chooses actions for a batch of raw observations with a recurrent state (SB2 `predict(obs,
  /// state, mask, deterministic)`): one step of one sequence per observation.
  ///
  /// - Parameters:
  ///   - state: `[B, stateCount]`, or `nil` for the zero state (SB2 `initial_state`).
  ///   - masks: `B` flags, `true` where an episode begins at this observation (the state is reset
  ///     before the step), or `nil` for none.
  /// - Returns: the environment actions and the state after the step, `[B, stateCount]` (empty
  ///   columns for a feed-forward policy, whose state is ignored as in SB2).
  /// - Throws: ``ConfigurationError`` naming `observation`, `state` or `mask` when a size is wrong.
  // Deviation: SB2's step model takes exactly `n_envs` observations (algorithms.md §2.4); any
  // number of observations is accepted here, each with its own state row.
  public func predict(
    observations: ObservationBuffer, state: Matrix?, masks: [Bool]?, deterministic: Bool, random: RandomStream
  ) throws -> (actions: [Double], state: Matrix) {
    try checkShape(of: observations)
    let count = observations.count
    if let masks, masks.count != count {
      throw ConfigurationError.invalidValue(
        field: "mask", value: "\(masks.count) flags", allowed: "one per observation (\(count))")
    }
    if let state, state.rows != count || state.columns != stateCount {
      throw ConfigurationError.invalidValue(
        field: "state", value: "\(state.rows)×\(state.columns)",
        allowed: "\(count)×\(stateCount) (one row of 2·n_lstm values per observation)")
    }
    if let state, !state.elements.allSatisfy(\.isFinite) {
      throw ConfigurationError.invalidValue(field: "state", value: "non-finite values", allowed: "finite values")
    }
    preprocess(observations, into: &encoded)
    guard isRecurrent else {
      network.forward(encoded, computeValue: false)
      return (actions(deterministic: deterministic, random: random), Matrix(rows: count, columns: 0))
    }
    let sequence = RecurrentSequence(
      initialState: state ?? initialState(count: count),
      masks: masks.map { $0.map { $0 ? 1 : 0 } } ?? [Float](repeating: 0, count: count), steps: 1)
    network.forward(encoded, computeValue: false, sequence: sequence)
    return (actions(deterministic: deterministic, random: random), network.recurrentLayer!.finalState)
  }

  /// ``predict(observations:state:masks:deterministic:random:)`` for observations given as one
  /// array (`B · rawObservationCount` values of any observation element type).
  public func predict<T: ObservationElement>(
    observations: [T], state: Matrix?, masks: [Bool]?, deterministic: Bool, random: RandomStream
  ) throws -> (actions: [Double], state: Matrix) {
    try predict(
      observations: try buffer(of: observations), state: state, masks: masks, deterministic: deterministic,
      random: random)
  }

  /// A zero-state, no-reset step of `count` sequences for a recurrent network (`nil` otherwise).
  func freshSequence(count: Int) -> RecurrentSequence? {
    isRecurrent ? .fresh(count: count, stateWidth: stateCount) : nil
  }

  /// The mode or a sample of the last forward pass's distribution, as environment actions.
  private func actions(deterministic: Bool, random: RandomStream) -> [Double] {
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
  public func actionProbability<T: ObservationElement>(observations: [T]) throws -> Matrix {
    let buffer = try buffer(of: observations)
    let batch = buffer.count
    preprocess(buffer, into: &encoded)
    network.forward(encoded, computeValue: false, sequence: freshSequence(count: batch))
    var result = Matrix(rows: batch, columns: distribution.parameterCount)
    distribution.probabilities(parameters: network.distributionParameters, into: &result)
    return result
  }

  /// `V(s)` for a batch of raw observations.
  public func values<T: ObservationElement>(observations: [T]) throws -> [Float] {
    let buffer = try buffer(of: observations)
    preprocess(buffer, into: &encoded)
    network.forward(encoded, sequence: freshSequence(count: buffer.count))
    return network.values
  }

  private func buffer<T: ObservationElement>(of observations: [T]) throws(ConfigurationError) -> ObservationBuffer {
    guard observations.count % rawObservationCount == 0, !observations.isEmpty else {
      throw .invalidValue(
        field: "observation", value: "\(observations.count) values",
        allowed: "a positive multiple of \(rawObservationCount) (the observation size of \(observationSpace))")
    }
    return ObservationBuffer(observations, elementsPerObservation: rawObservationCount)
  }

  private func checkShape(of observations: ObservationBuffer) throws(ConfigurationError) {
    guard observations.elementsPerObservation == rawObservationCount, observations.count > 0 else {
      throw .invalidValue(
        field: "observation", value: "\(observations.count) × \(observations.elementsPerObservation) components",
        allowed: "one or more observations of \(rawObservationCount) components (\(observationSpace))")
    }
  }
}

extension DistributionKind {
  /// The distribution stable-baselines uses for an action space (`make_proba_dist_type`).
  public init(actionSpace: Space) throws(ConfigurationError) {
    switch actionSpace {
    case .discrete(let n): self = .categorical(actionCount: n)
    case .box(let low, _, _, _): self = .diagonalGaussian(dimension: low.count)
    case .multiDiscrete(let nvec): self = .multiCategorical(nvec: nvec)
    case .multiBinary(let n): self = .bernoulli(count: n)
    }
  }
}

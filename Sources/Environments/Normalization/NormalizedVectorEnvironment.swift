/// A vector environment with running observation and reward normalisation: SB2's `VecNormalize`
/// (`stable_baselines/common/vec_env/vec_normalize.py`).
///
/// ```
/// reset():  obs = venv.reset();  ret = 0;  if training: ret_rms.update(ret)
///           return normalize_obs(obs)
/// step(a):  obs, r, done = venv.step(a)
///           if training: obs_rms.update(obs)
///           obs' = clip((obs − μ_obs)/√(σ²_obs + ε), ±clip_obs)
///           if training: ret = γ·ret + r;  ret_rms.update(ret)
///           r' = clip(r/√(σ²_ret + ε), ±clip_reward);   ret[done] = 0
/// ```
/// With ``training`` false the statistics are frozen (evaluation). ``dones``, ``terminated``,
/// ``truncated``, ``completedEpisodes`` and ``monitor`` are the wrapped environment's, so episode
/// returns stay raw (SB2's `Monitor` sits inside `VecNormalize`). ``statistics`` is the `Codable`
/// state to save with a model and restore with ``loadStatistics(_:)``; like SB2's pickle it leaves
/// out the per-copy running return, which restarts at 0.
///
/// Observations must come from a `Box`: the normalised observations are `float32` in a box of the
/// same shape and bounds (SB2 keeps the wrapped space; normalising a discrete index and then
/// one-hot encoding it would be meaningless, so other spaces are refused).
public final class NormalizedVectorEnvironment: VectorizedEnvironment {
  /// The environment whose raw observations and rewards are normalised.
  public let wrapped: any VectorizedEnvironment
  /// The normalisation settings.
  public let configuration: NormalizationConfiguration
  /// Whether `reset()`/`step(_:)` update the statistics (SB2 `training`); false freezes them.
  public var training: Bool

  /// The running statistics (`obs_rms`, `ret_rms`).
  public private(set) var statistics: NormalizationStatistics
  /// The normalised observations, `float32`, one per copy.
  public let observations: ObservationBuffer
  /// The observation space: the wrapped box with `float32` elements.
  public let observationSpace: Space
  /// The rewards of the last step, one per copy.
  public internal(set) var rewards: [Float]
  /// The per-copy discounted running return `ret` (SB2 `self.ret`).
  public internal(set) var discountedReturns: [Double]
  /// Scratch for wrapped observations that are not `float32`.
  private var rawFloats: [Float]

  /// Wraps `environment`; `training` defaults to true as in SB2.
  ///
  /// Throws ``EnvironmentError/invalidNormalization(field:reason:)`` for an invalid configuration or
  /// an observation space that is not a `Box`.
  public init(
    wrapping environment: any VectorizedEnvironment,
    configuration: NormalizationConfiguration = NormalizationConfiguration(), training: Bool = true
  ) throws(EnvironmentError) {
    try configuration.validate()
    guard case .box(let low, let high, let shape, _) = environment.observationSpace else {
      throw .invalidNormalization(
        field: "observation_space", reason: "must be a Box to normalise, got \(environment.observationSpace)")
    }
    observationSpace = .box(low: low, high: high, shape: shape, dtype: .float32)
    wrapped = environment
    self.configuration = configuration
    self.training = training
    statistics = NormalizationStatistics(observationSize: environment.observationSize)
    observations = ObservationBuffer(space: observationSpace, count: environment.count)
    rawFloats = [Float](repeating: 0, count: environment.count * environment.observationSize)
    rewards = [Float](repeating: 0, count: environment.count)
    discountedReturns = [Double](repeating: 0, count: environment.count)
  }

  /// The number of copies.
  public var count: Int { wrapped.count }
  /// The id of the environment the copies run.
  public var environmentID: String { wrapped.environmentID }
  /// The action space of one copy.
  public var actionSpace: Space { wrapped.actionSpace }
  /// Components per observation of one copy.
  public var observationSize: Int { wrapped.observationSize }
  /// `Double`s per action of one copy.
  public var actionDimension: Int { wrapped.actionDimension }
  /// Whether each copy's episode ended in the last step (`terminated || truncated`).
  public var dones: [Bool] { wrapped.dones }
  /// Whether each copy reached a terminal state in the last step.
  public var terminated: [Bool] { wrapped.terminated }
  /// Whether each copy hit its time limit in the last step.
  public var truncated: [Bool] { wrapped.truncated }
  /// The episodes that finished in the last step, in environment order.
  public var completedEpisodes: [EpisodeRecord] { wrapped.completedEpisodes }
  /// All finished episodes so far, with raw returns.
  public var monitor: EpisodeMonitor { wrapped.monitor }

  /// The raw observations of the last step or reset (SB2 `get_original_obs()`).
  public var originalObservations: ObservationBuffer { wrapped.observations }
  /// The wrapped environment's terminal observations, not normalised (as SB2 2.10's VecNormalize
  /// leaves `info["terminal_observation"]`).
  public var terminalObservations: ObservationBuffer { wrapped.terminalObservations }
  /// The raw rewards of the last step (SB2 `get_original_reward()`).
  public var originalRewards: [Float] { wrapped.rewards }

  /// Replaces the statistics, for example with ones saved after training.
  ///
  /// Throws ``EnvironmentError/incompatibleStatistics(field:expected:actual:)`` when the
  /// observation statistics do not have `observationSize` components or the return statistics do
  /// not have exactly one.
  public func loadStatistics(_ saved: NormalizationStatistics) throws(EnvironmentError) {
    guard saved.observation.dimension == observationSize,
      saved.observation.variance.count == observationSize
    else {
      throw .incompatibleStatistics(
        field: "observation", expected: observationSize, actual: saved.observation.dimension)
    }
    guard saved.discountedReturn.dimension == 1, saved.discountedReturn.variance.count == 1 else {
      throw .incompatibleStatistics(
        field: "discountedReturn", expected: 1, actual: saved.discountedReturn.dimension)
    }
    statistics = saved
  }

  /// Resets the wrapped copies and normalises their first observations (see the type documentation).
  public func reset() {
    wrapped.reset()
    for i in discountedReturns.indices { discountedReturns[i] = 0 }
    if training {
      // SB2 `_update_reward(self.ret)` with ret = 0: a batch of zeros enters ret_rms.
      discountedReturns.withUnsafeBufferPointer {
        statistics.discountedReturn.update($0, rows: count)
      }
    }
    for i in rewards.indices { rewards[i] = 0 }
    normalizeObservations()
  }

  /// Steps the wrapped copies, updates the statistics when training, and normalises.
  public func step(_ actions: [Double]) throws(EnvironmentError) {
    try wrapped.step(actions)
    if training {
      withRawObservations { statistics.observation.update($0, rows: count) }
    }
    normalizeObservations()
    let rawRewards = wrapped.rewards
    if training {
      let gamma = configuration.gamma
      for i in discountedReturns.indices {
        discountedReturns[i] = discountedReturns[i] * gamma + Double(rawRewards[i])
      }
      discountedReturns.withUnsafeBufferPointer {
        statistics.discountedReturn.update($0, rows: count)
      }
    }
    rawRewards.withUnsafeBufferPointer { source in
      rewards.withUnsafeMutableBufferPointer { target in
        statistics.normalizeRewards(source, into: target, configuration: configuration)
      }
    }
    let done = wrapped.dones
    for i in discountedReturns.indices where done[i] { discountedReturns[i] = 0 }
  }

  func normalizeObservations() {
    let target = observations.typedElements(as: Float.self)
    withRawObservations { source in
      statistics.normalizeObservations(source, into: target, configuration: configuration)
    }
  }

  /// Calls `body` with the wrapped observations as `Float`s: the buffer itself for `float32`,
  /// otherwise a converted copy (NumPy `astype(np.float32)`).
  private func withRawObservations(_ body: (UnsafeBufferPointer<Float>) -> Void) {
    let raw = wrapped.observations
    if raw.elementType == .float32 {
      body(UnsafeBufferPointer(raw.typedElements(as: Float.self)))
      return
    }
    raw.elementType.withSwiftType { type in convert(raw, as: type) }
    rawFloats.withUnsafeBufferPointer(body)
  }

  private func convert<T: ObservationElement>(_ raw: ObservationBuffer, as type: T.Type) {
    let source = raw.typedElements(as: type)
    for i in 0..<source.count { rawFloats[i] = source[i].floatValue }
  }
}

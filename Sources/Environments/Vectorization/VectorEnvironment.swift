import Randomness

/// `count` copies of one environment with SB2 `DummyVecEnv` + `Monitor` semantics.
///
/// Each step (SB2 `DummyVecEnv.step_wait`, copies in index order):
/// ```
/// obs_i, r_i, terminated_i, truncated_i = env_i.step(a_i)
/// done_i = terminated_i or truncated_i
/// if done_i: terminalObservation_i = obs_i; record the episode; obs_i = env_i.reset()
/// ```
/// so after a done the observation is already the first one of the next episode
/// (algorithms.md §1.2). Copy `i` draws all its resets from its own stream
/// `seeds.stream(for: .environment, index: i)`: the same seed gives the same episodes, and copies
/// never share numbers.
///
/// Stepping does not allocate: all buffers are created once and overwritten (the episode
/// history in ``monitor`` grows only when an episode finishes).
public final class VectorEnvironment: VectorizedEnvironment {
  /// The number of copies.
  public let count: Int
  /// The id of the environment the copies run.
  public let environmentID: String
  /// The observation space of one copy.
  public let observationSpace: Space
  /// The action space of one copy.
  public let actionSpace: Space
  /// Components per raw observation of one copy.
  public let observationSize: Int
  /// `Double`s per action of one copy.
  public let actionDimension: Int

  /// The copies, in index order (exposed so tests and tools can inspect their state).
  public let environments: [any Environment]
  /// Copy `i`'s reset stream (checkpoints save and restore their states).
  let streams: [RandomStream]

  /// The current raw observations, one per copy.
  public let observations: ObservationBuffer
  /// The rewards of the last step, one per copy.
  public internal(set) var rewards: [Float]
  /// Whether each copy's episode ended in the last step (`terminated || truncated`).
  public internal(set) var dones: [Bool]
  /// Whether each copy reached a terminal state in the last step.
  public internal(set) var terminated: [Bool]
  /// Whether each copy hit its time limit in the last step.
  public internal(set) var truncated: [Bool]
  /// The episodes that finished in the last step, in environment order.
  public internal(set) var completedEpisodes: [EpisodeRecord] = []
  /// All finished episodes so far, with raw returns.
  public internal(set) var monitor = EpisodeMonitor()

  /// The last observation of each copy's episode that ended in the last step (SB2
  /// `info["terminal_observation"]`); rows of copies that did not finish hold stale values.
  public let terminalObservations: ObservationBuffer

  var runningReturns: [Double]
  var runningLengths: [Int]
  var hasReset = false

  /// `count` fresh copies of the registered environment `id`.
  ///
  /// Throws ``EnvironmentError/unknownEnvironment(id:available:)`` for an unknown id and
  /// ``EnvironmentError/invalidEnvironmentCount(_:)`` when `count < 1`.
  public convenience init(id: String, count: Int, seeds: SeedSequence) throws(EnvironmentError) {
    guard count >= 1 else { throw .invalidEnvironmentCount(count) }
    var copies: [any Environment] = []
    for _ in 0..<count { copies.append(try EnvironmentRegistry.make(id)) }
    try self.init(environments: copies, seeds: seeds)
  }

  /// Wraps existing environment instances (all with the same id and spaces); copy `i` resets
  /// from `seeds.stream(for: .environment, index: i)`.
  ///
  /// Throws ``EnvironmentError/invalidEnvironmentCount(_:)`` when `environments` is empty.
  /// - Precondition: the instances are distinct objects sharing one id and the same spaces.
  public init(environments: [any Environment], seeds: SeedSequence) throws(EnvironmentError) {
    guard let first = environments.first else { throw .invalidEnvironmentCount(0) }
    for env in environments {
      precondition(
        env.id == first.id && env.observationSpace == first.observationSpace
          && env.actionSpace == first.actionSpace,
        "all copies must be the same environment; got \(env.id) and \(first.id)")
    }
    precondition(
      Set(environments.map { ObjectIdentifier($0) }).count == environments.count,
      "each copy must be a distinct instance")
    count = environments.count
    environmentID = first.id
    observationSpace = first.observationSpace
    actionSpace = first.actionSpace
    observationSize = first.observationSpace.observationElementCount
    actionDimension = first.actionSpace.actionDimension
    self.environments = environments
    streams = (0..<environments.count).map { seeds.stream(for: .environment, index: $0) }
    observations = ObservationBuffer(space: first.observationSpace, count: count)
    terminalObservations = ObservationBuffer(space: first.observationSpace, count: count)
    rewards = [Float](repeating: 0, count: count)
    dones = [Bool](repeating: false, count: count)
    terminated = [Bool](repeating: false, count: count)
    truncated = [Bool](repeating: false, count: count)
    runningReturns = [Double](repeating: 0, count: count)
    runningLengths = [Int](repeating: 0, count: count)
    completedEpisodes.reserveCapacity(count)
  }

  /// Resets every copy from its own stream. Unfinished episodes are discarded (not recorded).
  public func reset() {
    for i in 0..<count { environments[i].reset(using: streams[i], into: observations.observation(i)) }
    for i in 0..<count {
      rewards[i] = 0
      dones[i] = false
      terminated[i] = false
      truncated[i] = false
      runningReturns[i] = 0
      runningLengths[i] = 0
    }
    completedEpisodes.removeAll(keepingCapacity: true)
    hasReset = true
  }

  /// Steps every copy; see the type's documentation for the auto-reset rule.
  ///
  /// - Throws: ``EnvironmentError`` for a wrong number of actions or an action the space does not
  ///   accept (discrete actions are indices), checked for every copy before any copy steps.
  /// - Precondition: ``reset()`` was called.
  public func step(_ actions: [Double]) throws(EnvironmentError) {
    precondition(hasReset, "call reset() before step(_:)")
    try checkActions(actions)
    let actDim = actionDimension
    completedEpisodes.removeAll(keepingCapacity: true)
    try actions.withUnsafeBufferPointer { (act) throws(EnvironmentError) in
      for i in 0..<count {
        let env = environments[i]
        let slice = observations.observation(i)
        let outcome = try env.step(UnsafeBufferPointer(rebasing: act[(i * actDim)..<((i + 1) * actDim)]), into: slice)
        rewards[i] = Float(outcome.reward)
        terminated[i] = outcome.terminated
        truncated[i] = outcome.truncated
        let done = outcome.terminated || outcome.truncated
        dones[i] = done
        runningReturns[i] += outcome.reward
        runningLengths[i] += 1
        if done {
          finishEpisode(of: i, truncated: outcome.truncated)
          env.reset(using: streams[i], into: slice)
        }
      }
    }
    monitor.totalSteps += count
  }

  private func finishEpisode(of i: Int, truncated: Bool) {
    terminalObservations.copyObservation(i, from: observations, at: i)
    let record = EpisodeRecord(
      environmentIndex: i, episodeReturn: runningReturns[i], length: runningLengths[i],
      truncated: truncated)
    completedEpisodes.append(record)
    monitor.record(record)
    runningReturns[i] = 0
    runningLengths[i] = 0
  }
}

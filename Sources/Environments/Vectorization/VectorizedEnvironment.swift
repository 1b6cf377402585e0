/// `count` environments stepped in lockstep with SB2 `VecEnv` semantics; what rollout runners use.
///
/// Buffers are environment-major and reused from step to step (copy what you keep):
/// ```
/// observations.observation(i)   copy i's raw observation, in the space's element type
/// rewards[i], dones[i] = terminated[i] || truncated[i]
/// ```
/// After a step in which copy `i` finished an episode, `observations` already holds the first
/// observation of its next episode (SB2 `DummyVecEnv` auto-reset, algorithms.md §1.2), and
/// `completedEpisodes` lists the episodes that finished in that step.
///
/// ``VectorEnvironment``, ``NormalizedVectorEnvironment`` and ``FrameStackedVectorEnvironment``
/// conform, and wrappers compose (SB2's `VecFrameStack(VecNormalize(…))` order is up to the caller).
public protocol VectorizedEnvironment: AnyObject {
  /// The number of copies (SB2 `num_envs`).
  var count: Int { get }
  /// The id of the environment the copies run.
  var environmentID: String { get }
  /// The observation space of one copy.
  var observationSpace: Space { get }
  /// The action space of one copy.
  var actionSpace: Space { get }
  /// Components per raw observation of one copy (`observationSpace.observationElementCount`).
  var observationSize: Int { get }
  /// `Double`s per action of one copy (`actionSpace.actionDimension`).
  var actionDimension: Int { get }

  /// The current raw observations, one per copy.
  var observations: ObservationBuffer { get }
  /// The last observation of each copy whose episode ended in the last step (SB2
  /// `info["terminal_observation"]`); rows of copies that did not finish hold stale values.
  var terminalObservations: ObservationBuffer { get }
  /// The rewards of the last step, one per copy (`Float32`, as SB2's `DummyVecEnv` buffers hold).
  var rewards: [Float] { get }
  /// Whether each copy's episode ended in the last step (`terminated || truncated`).
  var dones: [Bool] { get }
  /// Whether each copy reached a terminal state in the last step.
  var terminated: [Bool] { get }
  /// Whether each copy hit its time limit in the last step.
  var truncated: [Bool] { get }
  /// The episodes that finished in the last step, in environment order.
  var completedEpisodes: [EpisodeRecord] { get }
  /// All finished episodes so far, with raw returns.
  var monitor: EpisodeMonitor { get }

  /// Resets every copy and writes the first observations (SB2 `VecEnv.reset()`).
  func reset()

  /// Steps every copy with its slice of `actions` (`count × actionDimension`, environment-major),
  /// auto-resetting copies whose episode ended.
  ///
  /// - Throws: ``EnvironmentError/invalidActionCount(environment:expected:actual:)`` or
  ///   ``EnvironmentError/invalidAction(environment:action:space:)`` for actions the action space
  ///   does not accept; they are checked before any copy steps, so nothing changes then.
  func step(_ actions: [Double]) throws(EnvironmentError)
}

extension VectorizedEnvironment {
  /// Throws unless `actions` holds `count × actionDimension` values and every copy's slice is an
  /// action the action space accepts (``Space/acceptsAction(_:)``); allocates only for the error.
  ///
  /// - Throws: ``EnvironmentError/invalidActionCount(environment:expected:actual:)`` or
  ///   ``EnvironmentError/invalidAction(environment:action:space:)``.
  public func checkActions(_ actions: [Double]) throws(EnvironmentError) {
    guard actions.count == count * actionDimension else {
      throw .invalidActionCount(environment: environmentID, expected: count * actionDimension, actual: actions.count)
    }
    let dimension = actionDimension
    let space = actionSpace
    try actions.withUnsafeBufferPointer { (all) throws(EnvironmentError) in
      for i in 0..<count {
        let slice = UnsafeBufferPointer(rebasing: all[(i * dimension)..<((i + 1) * dimension)])
        guard space.acceptsAction(slice) else {
          throw .invalidAction(environment: environmentID, action: Array(slice), space: space)
        }
      }
    }
  }
}

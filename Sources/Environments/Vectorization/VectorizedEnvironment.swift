/// `count` environments stepped in lockstep with SB2 `VecEnv` semantics; what rollout runners use.
///
/// Buffers are flat, environment-major and reused from step to step (read them, do not keep
/// copies across steps if you care about allocations):
/// ```
/// observations[i·observationSize + k]   component k of copy i's observation
/// rewards[i], dones[i] = terminated[i] || truncated[i]
/// ```
/// After a step in which copy `i` finished an episode, `observations` already holds the first
/// observation of its next episode (SB2 `DummyVecEnv` auto-reset, algorithms.md §1.2), and
/// `completedEpisodes` lists the episodes that finished in that step.
///
/// Both ``VectorEnvironment`` and ``NormalizedVectorEnvironment`` conform.
public protocol VectorizedEnvironment: AnyObject {
  /// The number of copies (SB2 `num_envs`).
  var count: Int { get }
  /// The id of the environment the copies run.
  var environmentID: String { get }
  /// The observation space of one copy.
  var observationSpace: Space { get }
  /// The action space of one copy.
  var actionSpace: Space { get }
  /// `Float`s per observation of one copy (`observationSpace.flatDimension`).
  var observationSize: Int { get }
  /// `Double`s per action of one copy (`actionSpace.actionDimension`).
  var actionDimension: Int { get }

  /// The current observations, `count × observationSize`, environment-major.
  var observations: [Float] { get }
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
  func step(_ actions: [Double])
}

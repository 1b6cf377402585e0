/// A vector environment that changes only the observations of the one it wraps (frame stacking,
/// a subset of components): everything else is the wrapped environment's, forwarded here once.
///
/// ```
/// count, environmentID, actionSpace, actionDimension     = wrapped's
/// rewards, dones, terminated, truncated                   = wrapped's (the last step's)
/// completedEpisodes, monitor                              = wrapped's (raw episode returns)
/// ```
/// A conforming type provides its own observation space, size and buffers, `reset()` and `step(_:)`.
public protocol ObservationWrapper: VectorizedEnvironment {
  /// The environment whose observations are transformed.
  var wrapped: any VectorizedEnvironment { get }
}

extension ObservationWrapper {
  /// The number of copies.
  public var count: Int { wrapped.count }
  /// The id of the environment the copies run.
  public var environmentID: String { wrapped.environmentID }
  /// The action space of one copy.
  public var actionSpace: Space { wrapped.actionSpace }
  /// `Double`s per action of one copy.
  public var actionDimension: Int { wrapped.actionDimension }
  /// The wrapped rewards.
  public var rewards: [Float] { wrapped.rewards }
  /// The wrapped dones.
  public var dones: [Bool] { wrapped.dones }
  /// The wrapped terminal flags.
  public var terminated: [Bool] { wrapped.terminated }
  /// The wrapped truncation flags.
  public var truncated: [Bool] { wrapped.truncated }
  /// The wrapped environment's finished episodes.
  public var completedEpisodes: [EpisodeRecord] { wrapped.completedEpisodes }
  /// The wrapped monitor.
  public var monitor: EpisodeMonitor { wrapped.monitor }
}

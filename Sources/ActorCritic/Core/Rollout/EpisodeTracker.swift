import Environments

/// Training-episode bookkeeping: every completed episode, and the last-100 means that
/// stable-baselines logs as `ep_reward_mean` and `ep_len_mean`.
public struct EpisodeTracker: Sendable {
  /// Every completed episode in order.
  public private(set) var episodes: [EpisodeSummary] = []

  public init() {}

  /// Records the episodes the vector environment completed in its last step.
  mutating func record(_ completed: [EpisodeRecord], timesteps: Int) {
    for e in completed {
      episodes.append(
        EpisodeSummary(
          timesteps: timesteps, episodeReturn: e.episodeReturn, length: e.length, environmentIndex: e.environmentIndex,
          interrupted: e.interrupted))
    }
  }

  /// Mean return of the last `window` episodes (NaN before any).
  public func meanReturn(last window: Int = 100) -> Double {
    let tail = episodes.suffix(window)
    return tail.isEmpty ? .nan : tail.reduce(0) { $0 + $1.episodeReturn } / Double(tail.count)
  }

  /// Mean length of the last `window` episodes (NaN before any).
  public func meanLength(last window: Int = 100) -> Double {
    let tail = episodes.suffix(window)
    return tail.isEmpty ? .nan : Double(tail.reduce(0) { $0 + $1.length }) / Double(tail.count)
  }
}

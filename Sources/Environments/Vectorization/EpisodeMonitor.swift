/// Running episode statistics of a vector environment (SB2 `Monitor`: `get_episode_rewards()`,
/// `get_episode_lengths()`, `get_total_steps()`, pooled over all copies).
///
/// Episodes are appended in the order they finish: by step, then by environment index within a
/// step. Returns are raw (before any reward normalisation) and unrounded.
///
/// Deviation: SB2's Monitor rounds the returns it writes to `monitor.csv` and `info["episode"]`
/// to 6 decimals; we keep full precision.
public struct EpisodeMonitor: Equatable, Codable, Sendable {
  /// The return of every finished episode, oldest first.
  public private(set) var returns: [Double] = []
  /// The length of every finished episode, oldest first.
  public private(set) var lengths: [Int] = []
  /// Environment steps taken so far, summed over all copies (finished or not).
  public internal(set) var totalSteps = 0

  /// An empty monitor.
  public init() {}

  /// The number of finished episodes.
  public var episodeCount: Int { returns.count }

  /// Adds `steps` environment steps to ``totalSteps`` (for vector environments outside this
  /// module, such as the Gymnasium bridge's).
  public mutating func countSteps(_ steps: Int) { totalSteps += steps }

  /// Appends a finished episode.
  public mutating func record(_ episode: EpisodeRecord) {
    returns.append(episode.episodeReturn)
    lengths.append(episode.length)
  }

  /// The mean return of the last `n` finished episodes (fewer if fewer have finished), or `nil`
  /// if none has.
  ///
  /// ```
  /// mean = (1/k) Σ_{i = N−k}^{N−1} returnᵢ,   k = min(n, N)
  /// ```
  public func meanReturn(ofLast n: Int = 100) -> Double? {
    EpisodeMonitor.tailMean(returns, n) { $0 }
  }

  /// The mean length of the last `n` finished episodes, or `nil` if none has finished.
  public func meanLength(ofLast n: Int = 100) -> Double? {
    EpisodeMonitor.tailMean(lengths, n) { Double($0) }
  }

  private static func tailMean<T>(_ values: [T], _ n: Int, _ value: (T) -> Double) -> Double? {
    let k = Swift.min(Swift.max(n, 0), values.count)
    guard k > 0 else { return nil }
    var sum = 0.0
    for v in values[(values.count - k)...] { sum += value(v) }
    return sum / Double(k)
  }
}

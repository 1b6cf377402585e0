/// One finished episode, as SB2's `Monitor` wrapper reports it (`info["episode"]`).
///
/// ```
/// return = Σ rewards of the episode (raw, unnormalised, summed in Double in step order)
/// length = number of steps of the episode
/// ```
public struct EpisodeRecord: Equatable, Hashable, Codable, Sendable {
  /// Which copy in the vector environment finished the episode.
  public var environmentIndex: Int
  /// The undiscounted sum of the raw rewards.
  public var episodeReturn: Double
  /// The number of steps.
  public var length: Int
  /// Whether the episode ended by the time limit (Gymnasium `truncated`) rather than only by
  /// reaching a terminal state.
  public var truncated: Bool

  /// Creates a record.
  public init(environmentIndex: Int, episodeReturn: Double, length: Int, truncated: Bool) {
    self.environmentIndex = environmentIndex
    self.episodeReturn = episodeReturn
    self.length = length
    self.truncated = truncated
  }
}

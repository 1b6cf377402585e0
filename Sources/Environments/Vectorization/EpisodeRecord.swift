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
  /// Whether the episode was cut short because the process hosting the environment died or hung
  /// and was restarted (a Gymnasium bridge worker); such an episode is also `truncated`.
  public var interrupted: Bool

  /// Creates a record.
  public init(environmentIndex: Int, episodeReturn: Double, length: Int, truncated: Bool, interrupted: Bool = false) {
    self.environmentIndex = environmentIndex
    self.episodeReturn = episodeReturn
    self.length = length
    self.truncated = truncated
    self.interrupted = interrupted
  }

  private enum CodingKeys: String, CodingKey { case environmentIndex, episodeReturn, length, truncated, interrupted }

  /// Decodes a record; records written before `interrupted` existed decode with `false`.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    environmentIndex = try c.decode(Int.self, forKey: .environmentIndex)
    episodeReturn = try c.decode(Double.self, forKey: .episodeReturn)
    length = try c.decode(Int.self, forKey: .length)
    truncated = try c.decode(Bool.self, forKey: .truncated)
    interrupted = try c.decodeIfPresent(Bool.self, forKey: .interrupted) ?? false
  }
}

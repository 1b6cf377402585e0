/// What a bridge worker hosts: a provider and an id, as `bench` names it (`gym:LunarLander-v3`,
/// `atari:Pong`, `minatar:Breakout`).
///
/// | provider | worker builds | observations |
/// | --- | --- | --- |
/// | `gym` | `gymnasium.make(id, **kwargs)` (any registered id; ALE and MinAtar ids register themselves) | the environment's own |
/// | `atari` | `{Game}NoFrameskip-v4` in SB2's `make_atari` + Monitor + `wrap_deepmind` (`acb_atari.py`) | 84×84×1 uint8 (stack them with ``FrameStackedVectorEnvironment``) |
/// | `minatar` | `MinAtar/{Game}-v0`: all 6 actions, sticky actions 0.1, difficulty ramping (the paper's settings) | 10×10×C uint8 (0/1) |
public struct BridgedEnvironment: Hashable, Sendable, CustomStringConvertible {
  /// Where the environment comes from.
  public enum Provider: String, Hashable, Sendable, CaseIterable {
    /// Any Gymnasium id.
    case gym
    /// An Atari game through SB2's pipeline.
    case atari
    /// A MinAtar game with the paper's settings.
    case minatar
  }

  /// The provider.
  public var provider: Provider
  /// The id the worker makes: a Gymnasium id, `{Game}NoFrameskip-v4`, or a MinAtar game name.
  public var id: String
  /// Keyword arguments for `gymnasium.make`, as a JSON object (`{}` for none).
  public var keywordArgumentsJSON: String

  /// Creates a description.
  public init(provider: Provider, id: String, keywordArgumentsJSON: String = "{}") {
    self.provider = provider
    self.id = id
    self.keywordArgumentsJSON = keywordArgumentsJSON
  }

  /// `gym:<id>` for any Gymnasium id.
  public static func gym(_ id: String, keywordArgumentsJSON: String = "{}") -> BridgedEnvironment {
    BridgedEnvironment(provider: .gym, id: id, keywordArgumentsJSON: keywordArgumentsJSON)
  }

  /// `atari:<Game>`: `<Game>NoFrameskip-v4` through SB2's pipeline (a full `…NoFrameskip-v4` id is
  /// accepted too).
  public static func atari(_ game: String) -> BridgedEnvironment {
    BridgedEnvironment(provider: .atari, id: game.hasSuffix("NoFrameskip-v4") ? game : game + "NoFrameskip-v4")
  }

  /// `minatar:<Game>` (Asterix, Breakout, Freeway, Seaquest, SpaceInvaders).
  public static func minAtar(_ game: String) -> BridgedEnvironment {
    BridgedEnvironment(provider: .minatar, id: game)
  }

  /// `<provider>:<id>`.
  public var description: String { "\(provider.rawValue):\(id)" }
}

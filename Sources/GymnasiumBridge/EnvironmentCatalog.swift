import Environments
import Randomness

/// Every environment `bench` can run, by name, from four providers — the classic-control
/// environments in Swift, and three that run in Python bridge workers:
///
/// | name | provider | Python | vector environment |
/// | --- | --- | --- | --- |
/// | `CartPole-v1`, `Acrobot-v1`, `MountainCar-v0`, `Pendulum-v1`, `MountainCarContinuous-v0` | native | no | ``VectorEnvironment`` |
/// | `gym:<id>` (any Gymnasium id: `gym:LunarLander-v3`, `gym:HalfCheetah-v5`, …) | gym | yes | ``SubprocessVectorEnvironment`` |
/// | `atari:<Game>` (`atari:Pong`, `atari:Breakout`, …) | atari | yes | SB2's pipeline in the worker, then ``FrameStackedVectorEnvironment`` of 4 (SB2 `VecFrameStack`) |
/// | `minatar:<Game>` (Asterix, Breakout, Freeway, Seaquest, SpaceInvaders) | minatar | yes | ``SubprocessVectorEnvironment`` |
///
/// Parsing a name never starts Python; only ``makeVectorEnvironment(_:count:seeds:configuration:)``
/// of a bridged name does.
public enum EnvironmentCatalog {
  /// Where an environment comes from.
  public enum Provider: String, Sendable, CaseIterable {
    case native, gym, atari, minatar

    /// Whether environments of this provider run in Python workers.
    public var needsPython: Bool { self != .native }

    /// Whether its observations are game screens (Atari frames, MinAtar's channels).
    public var observesPixels: Bool { self == .atari || self == .minatar }
  }

  /// MinAtar's games (minatar 1.0.15; `MinAtar/<Game>-v0`).
  public static let minAtarGames = ["Asterix", "Breakout", "Freeway", "Seaquest", "SpaceInvaders"]

  /// The games of the Atari suites: the zoo's and the SB2 parity recordings.
  public static let atariGames = ["Pong", "Breakout", "SpaceInvaders", "Seaquest", "BeamRider", "Qbert", "Enduro"]

  /// A parsed environment name.
  public struct Name: Hashable, Sendable, CustomStringConvertible {
    /// The provider.
    public var provider: Provider
    /// The id within the provider (`CartPole-v1`, `LunarLander-v3`, `Pong`, `Breakout`).
    public var id: String

    /// The name as written: `CartPole-v1`, `gym:LunarLander-v3`, `atari:Pong`, `minatar:Breakout`.
    public var description: String { provider == .native ? id : "\(provider.rawValue):\(id)" }

    /// What a bridge worker hosts for this name, or `nil` for a native one.
    public var bridged: BridgedEnvironment? {
      switch provider {
      case .native: return nil
      case .gym: return .gym(id)
      case .atari: return .atari(id)
      case .minatar: return .minAtar(id)
      }
    }
  }

  /// Parses `name`; throws ``EnvironmentError/unknownEnvironment(id:available:)`` (listing the
  /// native ids and the three prefixes) when it is none of the forms in the type's table.
  public static func parse(_ name: String) throws(EnvironmentError) -> Name {
    let available = EnvironmentRegistry.ids + ["gym:<Gymnasium id>", "atari:<Game>", "minatar:<\(minAtarGames.joined(separator: "|"))>"]
    if EnvironmentRegistry.ids.contains(name) { return Name(provider: .native, id: name) }
    guard let colon = name.firstIndex(of: ":"), let provider = Provider(rawValue: String(name[..<colon])),
      provider != .native
    else { throw .unknownEnvironment(id: name, available: available) }
    let id = String(name[name.index(after: colon)...])
    guard !id.isEmpty, !id.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "\\" }) else {
      throw .unknownEnvironment(id: name, available: available)
    }
    if provider == .minatar, !minAtarGames.contains(id) { throw .unknownEnvironment(id: name, available: available) }
    if provider == .atari, id.contains("/") || (id.contains("-v") && !id.hasSuffix("NoFrameskip-v4")) {
      // SB2's make_atari asserts a NoFrameskip environment; `atari:Pong` means PongNoFrameskip-v4.
      throw .unknownEnvironment(id: name, available: available)
    }
    return Name(provider: provider, id: id)
  }

  /// `count` copies of the named environment, seeded from `seeds`.
  ///
  /// Native names give a ``VectorEnvironment``; bridged names start worker processes (see the
  /// type's table), with `configuration` for them.
  public static func makeVectorEnvironment(
    _ name: String, count: Int, seeds: SeedSequence,
    configuration: SubprocessVectorEnvironment.Configuration = .init()
  ) throws(EnvironmentError) -> any VectorizedEnvironment {
    let parsed = try parse(name)
    guard let bridged = parsed.bridged else { return try VectorEnvironment(id: parsed.id, count: count, seeds: seeds) }
    let workers = try SubprocessVectorEnvironment(bridged, count: count, seeds: seeds, configuration: configuration)
    do {
      // SB2 run_atari.py: VecFrameStack(make_atari_env(…), 4).
      let vector: any VectorizedEnvironment =
        parsed.provider == .atari ? try FrameStackedVectorEnvironment(wrapping: workers, stackSize: 4) : workers
      try checkDocumentedSpaces(of: name, observation: vector.observationSpace, action: vector.actionSpace)
      return vector
    } catch {
      workers.close()
      throw error
    }
  }

  /// What `bench list environments` prints: every native id, then one line per provider form.
  public static var listing: [(name: String, provider: Provider, note: String)] {
    EnvironmentRegistry.ids.map { ($0, Provider.native, "Swift, bit-identical to Gymnasium 1.x") }
      + [
        ("gym:<id>", .gym, "any Gymnasium 1.4 id, e.g. gym:LunarLander-v3, gym:HalfCheetah-v5"),
        ("atari:<Game>", .atari, "SB2 Atari pipeline + 4-frame stack, e.g. atari:Pong"),
      ]
      + minAtarGames.map { game in
        let name = "minatar:\(game)"
        let spaces = documentedSpaces(of: name).map { " \($0.observation) → \($0.action)" } ?? ""
        return (name, Provider.minatar, "MinAtar, sticky actions 0.1, difficulty ramping;" + spaces)
      }
  }
}

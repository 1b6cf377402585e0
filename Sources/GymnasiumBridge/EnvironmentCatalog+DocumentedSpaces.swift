import Environments

extension EnvironmentCatalog {
  /// The spaces the pinned packages (`Python/requirements/bridge.txt`: minatar 1.0.15, ale-py 0.12.1,
  /// gymnasium 1.4.0 with mujoco 3.3.7) give the built-in suites' bridged environments, as the
  /// vector environment presents them:
  ///
  /// | name | observation | action |
  /// | --- | --- | --- |
  /// | `minatar:<Game>` | Box(0…1, 10×10×C, uint8): C = Asterix 4, Breakout 4, Freeway 7, Seaquest 10, SpaceInvaders 6 | Discrete(6) (`-v0`: the full action set) |
  /// | `atari:<Game>` | Box(0…255, 84×84×4, uint8): SB2's 84×84 grey frames, 4 stacked | Discrete(n), ALE's minimal set: Pong 6, Breakout 4, SpaceInvaders 6, Seaquest 18, BeamRider 9, Qbert 6, Enduro 9, MsPacman 9 |
  /// | `gym:HalfCheetah-v5`, `gym:Walker2d-v5` | Box(−∞…∞, 17, float64) | Box(−1…1, 6, float32) |
  /// | `gym:Hopper-v5` | Box(−∞…∞, 11, float64) | Box(−1…1, 3, float32) |
  ///
  /// Reports and listings use them without starting Python, and
  /// ``makeVectorEnvironment(_:count:seeds:configuration:)`` checks the workers against them, so a
  /// virtual environment built from other versions fails at start-up instead of training on other
  /// games. `nil` for native names (their environments say it themselves) and for bridged names not in
  /// the table.
  public static func documentedSpaces(of name: String) -> (observation: Space, action: Space)? {
    documented(name).map { ($0.observation, $0.action) }
  }

  /// The time limit of the names ``documentedSpaces(of:)`` knows, in words: MinAtar's `-v0` ids have
  /// none (`gym.spec(…).max_episode_steps` is None and the games never truncate); ale-py registers
  /// `<Game>NoFrameskip-v4` with `max_num_frames_per_episode=108000`, i.e. 27,000 steps of SB2's 4
  /// skipped frames; the MuJoCo v5 ids are registered with `max_episode_steps=1000`.
  public static func documentedTimeLimit(of name: String) -> String? { documented(name)?.timeLimit }

  /// What the table above says of one name.
  private struct Documented {
    var observation: Space
    var action: Space
    var timeLimit: String
  }

  /// The table's row for `name`, or nil.
  private static func documented(_ name: String) -> Documented? {
    guard let parsed = try? parse(name) else { return nil }
    switch parsed.provider {
    case .native:
      return nil
    case .minatar:
      guard let channels = minAtarChannels[parsed.id] else { return nil }
      return Documented(
        observation: .box(low: 0, high: 1, shape: [10, 10, channels], dtype: .uint8), action: .discrete(n: 6),
        timeLimit: "none")
    case .atari:
      guard let actions = atariMinimalActionCounts[parsed.id] else { return nil }
      return Documented(
        observation: .box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8), action: .discrete(n: actions),
        timeLimit: "27,000 steps (ALE's 108,000 frames)")
    case .gym:
      guard let (observation, action, limit) = muJoCo[parsed.id] else { return nil }
      return Documented(
        observation: .box(low: -.infinity, high: .infinity, shape: [observation], dtype: .float64),
        action: .box(low: -1, high: 1, shape: [action], dtype: .float32), timeLimit: "\(limit)")
    }
  }

  /// Throws ``HostedEnvironmentFailure/Kind/unexpectedSpaces`` when `name` has documented spaces
  /// (``documentedSpaces(of:)``) and the workers' are others.
  static func checkDocumentedSpaces(of name: String, observation: Space, action: Space) throws(EnvironmentError) {
    guard let documented = documentedSpaces(of: name), documented != (observation, action) else { return }
    throw .hosted(
      HostedEnvironmentFailure(
        kind: .unexpectedSpaces, environment: name,
        message: "the workers' spaces are observation \(observation), action \(action); the pinned packages "
          + "(Python/requirements/bridge.txt) give observation \(documented.observation), action "
          + "\(documented.action). Rebuild the virtual environment with scripts/setup.sh"))
  }

  /// MinAtar's observation channels per game (each game's `state_shape()`).
  static let minAtarChannels = ["Asterix": 4, "Breakout": 4, "Freeway": 7, "Seaquest": 10, "SpaceInvaders": 6]

  /// The size of ALE's minimal action set per game (`env.action_space.n` of `<Game>NoFrameskip-v4`).
  static let atariMinimalActionCounts = [
    "Pong": 6, "Breakout": 4, "SpaceInvaders": 6, "Seaquest": 18, "BeamRider": 9, "Qbert": 6, "Enduro": 9,
    "MsPacman": 9,
  ]

  /// Observation and action dimensions and `max_episode_steps` of the `mujoco` suite's Gymnasium v5
  /// environments (their documentation pages' "Observation Space", "Action Space" and registration).
  static let muJoCo = ["HalfCheetah-v5": (17, 6, 1000), "Hopper-v5": (11, 3, 1000), "Walker2d-v5": (17, 6, 1000)]
}

import GymnasiumBridge
import Statistics

/// The per-environment anchors of the normalised score used by the aggregate statistics.
///
/// ```
/// normalised(s) = (s − random) / (reference − random)
/// random    = mean return of a seeded uniform random policy (1,000 episodes, our environments)
/// reference = the best rl-baselines-zoo (stable-baselines 2) score for the environment over
///             A2C, ACER and ACKTR (published-numbers.md §1.2)
/// ```
/// so a random policy scores 0 and the zoo's best agent 1, on every environment. The random
/// column was produced by `bench random-policy --episodes 1000 --seed 0` (seed 0's reset and
/// action streams; see ``RandomPolicyBaseline``) and is committed here so that a change of the
/// environments shows up as a test failure rather than as silently moved scores.
public struct ScoreAnchors: Sendable, Equatable, Codable {
  /// The environment id.
  public var environment: String
  /// The random policy's mean return.
  public var random: Double
  /// The reference score.
  public var reference: Double
  /// Where the reference comes from (algorithm and table).
  public var referenceSource: String

  /// Anchors with the given values.
  public init(environment: String, random: Double, reference: Double, referenceSource: String) {
    self.environment = environment
    self.random = random
    self.reference = reference
    self.referenceSource = referenceSource
  }

  /// The command that produced ``random`` for every entry of ``classicControl``.
  public static let randomCommand = "bench random-policy --episodes 1000 --seed 0"

  /// Random-policy means measured by ``randomCommand`` (1,000 episodes each).
  public static let measuredRandomReturns: [String: Double] = [
    "CartPole-v1": 22.597,
    "Acrobot-v1": -499.077,
    "MountainCar-v0": -200.0,
    "Pendulum-v1": -1229.6032535648344,
    "MountainCarContinuous-v0": -32.8802485534718,
    // The velocity-hidden variants have the same dynamics, so a random policy scores the same.
    "CartPoleNoVel-v1": 22.597,
    "AcrobotNoVel-v1": -499.077,
  ]

  /// The anchors of every classic-control environment, in registry order.
  public static let classicControl: [ScoreAnchors] = [
    "CartPole-v1", "Acrobot-v1", "MountainCar-v0", "Pendulum-v1",
    "MountainCarContinuous-v0",
  ].map { environment in
    let best = PublishedResult.rlBaselinesZoo.filter { $0.environment == environment }
      .max { $0.meanReturn < $1.meanReturn }!
    return ScoreAnchors(
      environment: environment, random: measuredRandomReturns[environment]!, reference: best.meanReturn,
      referenceSource: "rl-baselines-zoo \(best.publishedAlgorithm) on \(best.publishedEnvironment)")
  }

  /// The command that produced the MinAtar entries of ``measuredMinAtarRandomReturns`` (100 Monitor
  /// episodes of one copy through the bridge, ``RandomPolicyBaseline/measureVectorized(environment:episodes:seed:)``).
  public static let minAtarRandomCommand =
    "bench random-policy --episodes 100 --seed 0 --environments minatar:Asterix minatar:Breakout "
    + "minatar:Freeway minatar:Seaquest minatar:SpaceInvaders"

  /// Random-policy means of the MinAtar games measured by ``minAtarRandomCommand``.
  public static let measuredMinAtarRandomReturns: [String: Double] = [
    "minatar:Asterix": 0.3, "minatar:Breakout": 0.39, "minatar:Freeway": 0.13, "minatar:Seaquest": 0.11,
    "minatar:SpaceInvaders": 2.75,
  ]

  /// The MinAtar games' anchors: random as measured, reference the better of the MinAtar paper's
  /// DQN and AC(λ = 0.8) at 5M frames (``PublishedResult/minAtarPaper``, read from its figure), so
  /// that 1 means "as good as the paper's best baseline".
  public static let minAtar: [ScoreAnchors] = EnvironmentCatalog.minAtarGames.map { game in
    let environment = "minatar:\(game)"
    let best = PublishedResult.minAtarPaper.filter { $0.environment == environment }.max { $0.meanReturn < $1.meanReturn }!
    return ScoreAnchors(
      environment: environment, random: measuredMinAtarRandomReturns[environment]!, reference: best.meanReturn,
      referenceSource: "MinAtar paper \(best.publishedAlgorithm) at 5M frames, read from its figure")
  }

  /// What 1 means on the normalised scale of `anchors`, for captions (`short`, "best zoo agent")
  /// and prose (`long`): the zoo's best agent for classic control and Atari, the MinAtar paper's better
  /// baseline for MinAtar, "the environment's reference agent" for a mix of both.
  public static func referenceName(of anchors: [ScoreAnchors]) -> (short: String, long: String) {
    let environments = Set(anchors.map(\.environment))
    if !environments.isEmpty, environments.isSubset(of: Set(minAtar.map(\.environment))) {
      return ("MinAtar paper's best", "the better of the MinAtar paper's DQN and AC(λ) at 5M frames")
    }
    if environments.isSubset(of: Set((classicControl + atari).map(\.environment))) {
      return ("best zoo agent", "the best zoo agent")
    }
    return ("reference agent", "the environment's reference agent (§1.3)")
  }

  /// The command that produced ``measuredAtariRandomReturns`` (100 Monitor episodes — whole games,
  /// unclipped, as the zoo scores them — of one copy through the bridge with SB2's Atari pipeline,
  /// ``RandomPolicyBaseline/measureVectorized(environment:episodes:seed:)``), one game at a time.
  public static let atariRandomCommand =
    "bench random-policy --episodes 100 --seed 0 --environments atari:<Game>"

  /// Random-policy means of the zoo's Atari games measured by ``atariRandomCommand`` (exact: 100
  /// integer game scores; 2026-12-01, 24–141 s per game).
  /// Enduro has none: each of the zoo's three Enduro agents scores 0.000, what a random policy
  /// scores, so no scale runs from random to the best zoo agent there.
  public static let measuredAtariRandomReturns: [String: Double] = [
    "atari:BeamRider": 337.52, "atari:Breakout": 1.57, "atari:MsPacman": 236.3, "atari:Pong": -20.26,
    "atari:Qbert": 153.75, "atari:Seaquest": 66.6, "atari:SpaceInvaders": 143.2,
  ]

  /// The zoo's Atari games' anchors (Enduro excepted, above): random as measured, reference the
  /// best of the zoo's A2C, ACER and ACKTR agents (``PublishedResult/zooAtari``), so that 1 means
  /// "as good as the zoo's best agent", as on classic control.
  public static let atari: [ScoreAnchors] = Suite.zooAtariGames.compactMap { game in
    let environment = "atari:\(game)"
    guard let random = measuredAtariRandomReturns[environment] else { return nil }
    let best = PublishedResult.zooAtari.filter { $0.environment == environment }.max { $0.meanReturn < $1.meanReturn }!
    return ScoreAnchors(
      environment: environment, random: random, reference: best.meanReturn,
      referenceSource: "rl-baselines-zoo \(best.publishedAlgorithm) on \(best.publishedEnvironment)")
  }

  /// Every committed set of anchors.
  public static var all: [ScoreAnchors] { classicControl + minAtar + atari }

  /// The anchors of `environment`.
  /// - Throws: ``BenchmarkError/unknownEnvironment(name:available:)`` when none are committed.
  public static func forEnvironment(_ environment: String) throws(BenchmarkError) -> ScoreAnchors {
    guard let anchors = all.first(where: { $0.environment == environment }) else {
      throw .unknownEnvironment(name: environment, available: all.map(\.environment))
    }
    return anchors
  }

  /// The Statistics module's anchor.
  public var normalizationAnchor: NormalizationAnchor {
    // Random and reference differ for every committed environment (a unit test checks it).
    (try? NormalizationAnchor(random: random, reference: reference))!
  }

  /// `(score − random) / (reference − random)`.
  public func normalize(_ score: Double) -> Double { (score - random) / (reference - random) }
}

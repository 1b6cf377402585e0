import ActorCritic
import Environments
import GymnasiumBridge
import LinearAlgebra
import Randomness

/// Who picks the actions of a recorded episode.
public enum EpisodeActor {
  /// A uniformly random policy over the action space (it must be bounded).
  case random
  /// A trained model's policy: a sample of its action distribution (SB2 `predict`'s default,
  /// and the evaluation protocol of `summary.json`), or the most likely action / the mean with
  /// `deterministic`. A recurrent policy carries its state through the episode. `name` says
  /// which model it is in errors (its file, or "the final a2c model of <run>").
  case model(any ActorCriticModel, deterministic: Bool, name: String)
}

/// One episode played by a policy (``EpisodeActor``) in one copy of an environment
/// (``EpisodeEnvironment``: a bridged one, or a native one's Gymnasium twin), with every
/// `every`-th frame rendered (`rgb_array`): the frames of a PNG strip (`bench render`, a run's
/// `episode.png`).
///
/// ```
/// reset(seed of copy 0 of seeds)                           frame t = 0
/// for t = 1 … maximumSteps:
///     aₜ ~ Uniform(action space), or the model's policy     (both draw from seeds.stream(for: .actionSampling))
///     step(aₜ);  the Monitor's episode ended → stop     (the terminal state is never rendered:
///                                                         SB2's auto-reset has already reset)
///     t mod every = 0 → frame t
/// ```
/// So the frames show steps `0, every, 2·every, …` of the first episode, up to its last state
/// before the end or `maximumSteps`. An episode is the Monitor's: for Atari the full game (all
/// lives), as training logs it. `bench render --seed s` plays with `SeedSequence(runSeed: s)`;
/// a run's strip with ``seeds(forRun:)``.
public enum EpisodeRecorder {
  /// The allowed `maximumSteps` and `every`.
  public static let stepRange: ClosedRange<Int> = 1...1_000_000

  /// What was recorded.
  public struct Episode: Sendable {
    /// The environment name.
    public var environment: String
    /// The run seed of the seed sequence played with.
    public var seed: UInt64
    /// The rendered frames, in step order.
    public var frames: [RenderedFrame]
    /// The step each frame shows (0: after the reset).
    public var steps: [Int]
    /// Steps played (the episode's length when it ended).
    public var length: Int
    /// The Monitor's return when the episode ended within `maximumSteps` (for Atari the full
    /// game, unclipped), else nil.
    public var episodeReturn: Double?
  }

  /// The seeds of a run's episode strip (`bench run --record-episode`):
  /// `SeedSequence(runSeed: seed + 0x5EED_5791)` (mod 2⁶⁴), apart from the training environment's
  /// (`SeedSequence(runSeed: seed)`) and the evaluation's (`seed + 0x5EED_E7A1`). Only fresh
  /// streams are drawn from it, so recording changes no other file of the run.
  public static func seeds(forRun seed: Int) -> SeedSequence { SeedSequence(runSeed: UInt64(seed) &+ 0x5EED_5791) }

  /// Plays and renders one episode of `environment` with a random policy seeded `seed`
  /// (`SeedSequence(runSeed: seed)`).
  ///
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` for `maximumSteps` or
  ///   `every` outside ``stepRange``, a seed outside ``RunLimits/seed``, or an unbounded
  ///   continuous action space; otherwise as ``record(environment:seeds:actor:normalization:maximumSteps:every:)``.
  public static func record(environment name: String, seed: Int, maximumSteps: Int, every: Int) throws -> Episode {
    try check(seed, "--seed", RunLimits.seed)
    return try record(
      environment: name, seeds: SeedSequence(runSeed: UInt64(seed)), actor: .random, maximumSteps: maximumSteps,
      every: every)
  }

  /// Plays and renders one episode of `environment` (any name of ``EpisodeEnvironment``'s
  /// table) with `actor`.
  ///
  /// - Parameter normalization: the model's observation statistics (SB2 `VecNormalize`), applied
  ///   frozen to what the policy sees.
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` for `maximumSteps` or
  ///   `every` outside ``stepRange``, or a random policy on an unbounded continuous action space;
  ///   ``BenchmarkError/modelDoesNotFit(model:environment:reason:)`` when the model's observation
  ///   or action space is not the environment's (both named); ``BenchmarkError/unknownEnvironment(name:available:)``
  ///   and ``BenchmarkError/cannotRender(environment:reason:)`` as ``EpisodeEnvironment/make(_:seeds:normalization:policy:)``;
  ///   the bridge's ``EnvironmentError`` when the environment fails.
  public static func record(
    environment name: String, seeds: SeedSequence, actor: EpisodeActor, normalization: NormalizationStatistics? = nil,
    maximumSteps: Int, every: Int
  ) throws -> Episode {
    try check(maximumSteps, "--steps", stepRange)
    try check(every, "--every", stepRange)
    _ = try EpisodeEnvironment.rendering(name)
    var spaces: EpisodeEnvironment.PolicySpaces?
    if case .model(let model, _, let modelName) = actor {
      spaces = .init(name: modelName, observationSpace: model.policy.observationSpace, actionSpace: model.policy.actionSpace)
    }
    let played = try EpisodeEnvironment.make(name, seeds: seeds, normalization: normalization, policy: spaces)
    defer { played.close() }
    let vector = played.environment
    let actions = seeds.stream(for: .actionSampling)
    var choose: () throws -> [Double]
    switch actor {
    case .random:
      if case .box(let low, let high, _, _) = vector.actionSpace, !(low + high).allSatisfy(\.isFinite) {
        throw BenchmarkError.invalidOption(
          name: "--environment", value: name, allowed: "an environment with a bounded action space (the random policy samples it)")
      }
      var action = [Double](repeating: 0, count: vector.actionDimension)
      choose = {
        RandomPolicyBaseline.sample(vector.actionSpace, into: &action, using: actions)
        return action
      }
    case .model(let model, let deterministic, _):
      // The spaces were checked by EpisodeEnvironment.make.
      let policy = model.policy
      // A recurrent policy carries its state; it begins the episode from the zero state.
      var state = policy.initialState(count: 1)
      choose = {
        if policy.isRecurrent {
          let (chosen, next) = try policy.predict(
            observations: vector.observations, state: state, masks: [false], deterministic: deterministic, random: actions)
          state = next
          return chosen
        }
        return try policy.predict(observations: vector.observations, deterministic: deterministic, random: actions)
      }
    }
    vector.reset()
    var episode = Episode(
      environment: name, seed: seeds.runSeed, frames: [try played.bridge.render(0)], steps: [0], length: 0)
    for t in 1...maximumSteps {
      try vector.step(try choose())
      episode.length = t
      if let ended = vector.completedEpisodes.first(where: { $0.environmentIndex == 0 }) {
        episode.episodeReturn = ended.episodeReturn
        break
      }
      if t % every == 0 {
        episode.frames.append(try played.bridge.render(0))
        episode.steps.append(t)
      }
    }
    return episode
  }

  private static func check(_ value: Int, _ name: String, _ range: ClosedRange<Int>) throws(BenchmarkError) {
    guard range.contains(value) else {
      throw .invalidOption(name: name, value: "\(value)", allowed: RunLimits.describe(range))
    }
  }
}

import Environments
import GymnasiumBridge
import Randomness

/// One episode played by a uniformly random policy in one copy of a bridged environment, with
/// every `every`-th frame rendered (`rgb_array`): the frames of a PNG strip (`bench render`).
///
/// ```
/// reset(seed of copy 0 of SeedSequence(seed))              frame t = 0
/// for t = 1 … maximumSteps:
///     aₜ ~ Uniform(action space)   (SeedSequence(seed).stream(for: .actionSampling))
///     step(aₜ);  the Monitor's episode ended → stop     (the terminal state is never rendered:
///                                                         SB2's auto-reset has already reset)
///     t mod every = 0 → frame t
/// ```
/// So the frames show steps `0, every, 2·every, …` of the first episode, up to its last state
/// before the end or `maximumSteps`. An episode is the Monitor's: for Atari the full game (all
/// lives), as training logs it.
public enum EpisodeRecorder {
  /// The allowed `maximumSteps` and `every`.
  public static let stepRange: ClosedRange<Int> = 1...1_000_000

  /// What was recorded.
  public struct Episode: Sendable {
    /// The environment name.
    public var environment: String
    /// The seed.
    public var seed: Int
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

  /// Plays and renders one episode of `environment` (a bridged name: `gym:<id>`, `atari:<Game>`,
  /// `minatar:<Game>`) with a random policy.
  ///
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` for a native environment
  ///   (they have no renderer), `maximumSteps` or `every` outside ``stepRange``, a seed outside
  ///   ``RunLimits/seed``, or an unbounded continuous action space;
  ///   ``BenchmarkError/unknownEnvironment(name:available:)`` for an unknown name; the bridge's
  ///   ``EnvironmentError`` when Python is missing or the environment fails.
  public static func record(environment name: String, seed: Int, maximumSteps: Int, every: Int) throws -> Episode {
    let parsed: EnvironmentCatalog.Name
    do { parsed = try EnvironmentCatalog.parse(name) } catch {
      if case .unknownEnvironment(_, let available) = error { throw BenchmarkError.unknownEnvironment(name: name, available: available) }
      throw error
    }
    guard parsed.bridged != nil else {
      throw BenchmarkError.invalidOption(
        name: "--environment", value: name,
        allowed: "a Gymnasium bridge environment (gym:<id>, atari:<Game>, minatar:<Game>); the native environments have no renderer")
    }
    try check(maximumSteps, "--steps", stepRange)
    try check(every, "--every", stepRange)
    try check(seed, "--seed", RunLimits.seed)
    let seeds = SeedSequence(runSeed: UInt64(seed))
    let vector = try EnvironmentCatalog.makeVectorEnvironment(
      name, count: 1, seeds: seeds, configuration: .init(workerCount: 1, renderable: true))
    guard let bridge = RunExecutor.bridgedEnvironment(in: vector) else {
      throw BenchmarkError.invalidOption(name: "--environment", value: name, allowed: "a Gymnasium bridge environment")
    }
    defer { bridge.close() }
    if case .box(let low, let high, _, _) = vector.actionSpace, !(low + high).allSatisfy(\.isFinite) {
      throw BenchmarkError.invalidOption(
        name: "--environment", value: name, allowed: "an environment with a bounded action space (the random policy samples it)")
    }
    let actions = seeds.stream(for: .actionSampling)
    var action = [Double](repeating: 0, count: vector.actionDimension)
    vector.reset()
    var episode = Episode(environment: name, seed: seed, frames: [try bridge.render(0)], steps: [0], length: 0)
    for t in 1...maximumSteps {
      RandomPolicyBaseline.sample(vector.actionSpace, into: &action, using: actions)
      try vector.step(action)
      episode.length = t
      if let ended = vector.completedEpisodes.first(where: { $0.environmentIndex == 0 }) {
        episode.episodeReturn = ended.episodeReturn
        break
      }
      if t % every == 0 {
        episode.frames.append(try bridge.render(0))
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

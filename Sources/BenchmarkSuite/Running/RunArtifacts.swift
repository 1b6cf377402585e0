/// The files a run writes only when asked (`bench run --save-model`, `--record-episode`), beside
/// its record and committed with it in the same atomic rename:
///
/// | file | content | option |
/// | --- | --- | --- |
/// | `model.acbm` | the final model (``ModelArchive``, format version 2: parameters, optimiser state, normalisation statistics) | `--save-model` |
/// | `episode.png` | one episode of the final policy as a strip (``EpisodeRecorder``, ``EpisodeStrip``; seeds ``EpisodeRecorder/seeds(forRun:)``) | `--record-episode` |
///
/// Neither changes any other file of the run: the model is only read, and the episode is played
/// on its own environment copy with its own streams after training and evaluation. Neither is
/// part of the run's spec, so a results folder may hold runs with and without them.
public struct RunArtifacts: Sendable, Equatable {
  /// The saved model's file name in a run folder.
  public static let modelFileName = "model.acbm"
  /// The episode strip's file name in a run folder.
  public static let episodeFileName = "episode.png"
  /// Frames per row of a run's strip (as `bench render`'s default).
  public static let episodeColumns = 10

  /// How a run's episode strip is recorded.
  public struct EpisodeSettings: Sendable, Equatable {
    /// At most this many steps (``EpisodeRecorder/stepRange``).
    public var steps: Int
    /// Every n-th step is a frame (``EpisodeRecorder/stepRange``).
    public var every: Int

    /// `bench render`'s defaults: 400 steps, every 8th.
    public init(steps: Int = 400, every: Int = 8) {
      self.steps = steps
      self.every = every
    }
  }

  /// Write `model.acbm`.
  public var saveModel: Bool
  /// Write `episode.png` with these settings (nil: no strip).
  public var episode: EpisodeSettings?

  public init(saveModel: Bool = false, episode: EpisodeSettings? = nil) {
    self.saveModel = saveModel
    self.episode = episode
  }

  /// The file names these settings add to a run folder.
  public var fileNames: [String] {
    (saveModel ? [Self.modelFileName] : []) + (episode == nil ? [] : [Self.episodeFileName])
  }

  /// The options that ask `bench run-one` (a `--jobs` child) for the same files.
  public var arguments: [String] {
    var result = saveModel ? ["--save-model"] : []
    if let episode {
      result += ["--record-episode", "--episode-steps", "\(episode.steps)", "--episode-every", "\(episode.every)"]
    }
    return result
  }

  /// Checks the settings.
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` naming `--episode-steps` or
  ///   `--episode-every` outside ``EpisodeRecorder/stepRange``.
  public func validate() throws(BenchmarkError) {
    guard let episode else { return }
    for (name, value) in [("--episode-steps", episode.steps), ("--episode-every", episode.every)]
    where !EpisodeRecorder.stepRange.contains(value) {
      throw .invalidOption(name: name, value: "\(value)", allowed: RunLimits.describe(EpisodeRecorder.stepRange))
    }
  }
}

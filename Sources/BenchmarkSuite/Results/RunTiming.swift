/// How long one run took (`timing.json`): wall-clock measurements and the arithmetic the training
/// counted, kept apart from the run's deterministic record.
///
/// Everything else in a run folder (`spec.json`, `configuration.json`, `curve.csv`, `episodes.csv`,
/// `summary.json`) is a pure function of (suite entry, seed, code, BLAS kernel) and reproduces byte
/// for byte on another machine (design.md §3); these numbers depend on the machine and its load
/// (and the counted arithmetic on where an interrupted run was resumed), so they live in their own
/// file, are information only, and are never compared.
public struct RunTiming: Codable, Sendable, Equatable {
  /// Wall-clock seconds of training.
  public var trainingSeconds: Double
  /// Environment steps per second of training: timesteps / trainingSeconds.
  public var stepsPerSecond: Double
  /// Wall-clock seconds of the evaluation after training (0 when the run was not evaluated).
  public var evaluationSeconds: Double
  /// Elapsed training time at each row of `curve.csv`, in the same order.
  public var checkpoints: [Checkpoint]
  /// What writing the run's training checkpoints cost in this session (absent when none was
  /// written; `bench run --checkpoint-every`).
  public var checkpointing: CheckpointCost? = nil
  /// The floating-point operations this session's training counted (``FlopCounter``) and the
  /// training time they took (absent for runs written before the count existed, and for a session
  /// that resumed a run whose training was complete). A resumed run counts its last session only.
  public var arithmetic: Arithmetic? = nil
  /// Wall-clock seconds of encoding the final model (`bench run --save-model`; ``RunArtifacts``).
  public var modelSavingSeconds: Double? = nil
  /// Wall-clock seconds of recording the episode strip, worker start and PNG included (`bench
  /// run --record-episode`; ``RunArtifacts``).
  public var episodeRecordingSeconds: Double? = nil

  /// The elapsed training time when the run had trained `timesteps` steps.
  public struct Checkpoint: Codable, Sendable, Equatable {
    /// Environment steps trained (the `timesteps` column of `curve.csv`).
    public var timesteps: Int
    /// Seconds since training started.
    public var elapsedSeconds: Double

    public init(timesteps: Int, elapsedSeconds: Double) {
      self.timesteps = timesteps
      self.elapsedSeconds = elapsedSeconds
    }
  }

  /// The cost of the training checkpoints a session wrote.
  public struct CheckpointCost: Codable, Sendable, Equatable {
    /// Checkpoints written.
    public var count: Int
    /// Bytes of the last one (each replaces the one before).
    public var lastBytes: Int
    /// Seconds spent capturing, encoding and writing them, in total (training paused meanwhile).
    public var totalSeconds: Double

    public init(count: Int, lastBytes: Int, totalSeconds: Double) {
      self.count = count
      self.lastBytes = lastBytes
      self.totalSeconds = totalSeconds
    }
  }

  /// Counted arithmetic over a stretch of training.
  public struct Arithmetic: Codable, Sendable, Equatable {
    /// Floating-point operations of the BLAS and LAPACK calls (``FlopCounter``'s formulas).
    public var floatingPointOperations: Int
    /// Wall-clock seconds of the training that made them.
    public var trainingSeconds: Double

    public init(floatingPointOperations: Int, trainingSeconds: Double) {
      self.floatingPointOperations = floatingPointOperations
      self.trainingSeconds = trainingSeconds
    }
  }

  public init(trainingSeconds: Double, stepsPerSecond: Double, evaluationSeconds: Double, checkpoints: [Checkpoint]) {
    self.trainingSeconds = trainingSeconds
    self.stepsPerSecond = stepsPerSecond
    self.evaluationSeconds = evaluationSeconds
    self.checkpoints = checkpoints
  }
}

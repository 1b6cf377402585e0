import Randomness

/// One environment whose complete state can be saved and restored, so that a run resumed from a
/// checkpoint continues its episode bit for bit.
///
/// "Complete" means everything the next ``Environment/step(_:into:)`` and
/// ``Environment/writeObservation(into:)`` read: the physics ``Environment/state``,
/// ``Environment/elapsedSteps`` and any flag beside them (CartPole's `steps_beyond_terminated`,
/// the float32-state flags of Acrobot and MountainCarContinuous). The reset stream is not part of
/// it: the vector environment that owns the stream saves it.
///
/// The native classic-control environments conform. An environment that does not (a bridged
/// Gymnasium environment whose simulator cannot hand out its state) is still checkpointed: the
/// vector environment then restarts its episodes on resume and says so
/// (``EnvironmentCaptureFidelity/restartsEpisodes(reason:)``).
public protocol StateCapturingEnvironment: Environment {
  /// Whether this instance can capture its state (a wrapper can only when what it wraps can);
  /// true by default.
  var canCaptureState: Bool { get }
  /// Appends the state.
  func captureState(into writer: inout BinaryStateWriter)
  /// Replaces the state with one ``captureState(into:)`` wrote.
  /// - Throws: ``BinaryStateError`` for a truncated or ill-fitting state; the environment may then
  ///   be half-restored and must not be used.
  func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError)
}

extension StateCapturingEnvironment {
  public var canCaptureState: Bool { true }
}

/// How faithfully a vector environment's checkpoint restores it.
public enum EnvironmentCaptureFidelity: Equatable, Sendable {
  /// Every copy's state was captured: a resume continues every episode bit for bit.
  case exact
  /// Some copy's state cannot be captured (the reason says which and why): the checkpoint holds
  /// what can be (the episode monitor, normalisation statistics), and a resume restarts every
  /// copy's episode with resets drawn from streams derived for the resume, so the run is not
  /// bit-identical to an uninterrupted one.
  case restartsEpisodes(reason: String)
}

/// A vector environment that can be checkpointed between two steps (the environment-state capture
/// protocol of run checkpoints).
///
/// ```
/// capture:  fidelity = env.captureState(into: &writer)          between two vectorised steps
/// restore:  env.restoreState(from: &reader, restartSeeds: s)    on a fresh environment of the same id and count
///           exact            → observations, episode accumulators, streams: as captured
///           restartsEpisodes → every copy's episode restarts; copy i resets from
///                              s.stream(for: .environment, index: i); finished episodes stay recorded
/// ```
/// ``VectorEnvironment``, ``NormalizedVectorEnvironment`` and ``FrameStackedVectorEnvironment``
/// conform (the wrappers capture their own state and delegate to the wrapped environment). A
/// bridged environment conforms by asking its workers for their simulators' state (ALE
/// `cloneSystemState`, MinAtar's game state) and answers ``EnvironmentCaptureFidelity/restartsEpisodes(reason:)``
/// where they cannot.
public protocol CheckpointableVectorEnvironment: VectorizedEnvironment {
  /// Appends the state and says how faithfully it can be restored.
  func captureState(into writer: inout BinaryStateWriter) -> EnvironmentCaptureFidelity
  /// Restores a state ``captureState(into:)`` wrote into a fresh environment of the same id and
  /// count, and returns the fidelity recorded with it.
  /// - Throws: ``BinaryStateError`` when the state is truncated or belongs to another environment.
  func restoreState(
    from reader: inout BinaryStateReader, restartSeeds: SeedSequence
  ) throws(BinaryStateError) -> EnvironmentCaptureFidelity
}

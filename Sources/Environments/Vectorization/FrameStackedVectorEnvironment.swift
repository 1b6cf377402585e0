/// The last `n` observations of each copy stacked along the last axis: stable-baselines'
/// `VecFrameStack` (`common/vec_env/vec_frame_stack.py`), as `run_atari.py` wraps Atari in it.
///
/// With `C` channels per wrapped observation (its last dimension) and stack `s` of shape
/// `[…, C·n]`, in the wrapped element type (uint8 frames stay uint8):
/// ```
/// reset():  s ← 0;  s[…, −C:] ← obs
/// step(a):  obs, done ← venv.step(a)
///           s ← roll(s, −C, axis −1)                         (oldest frame out)
///           for each copy i with done_i:
///               terminal_i ← concat(s_i[…, :−C], venv.terminal_i)
///               s_i ← 0                                      (the finished copy's stack is zeroed)
///           s[…, −C:] ← obs                                  (obs is already the next episode's first)
/// ```
/// The stacked space repeats each bound `n` times along the last axis (`np.repeat(low, n, −1)`).
/// Rewards, dones and episodes are the wrapped environment's.
public final class FrameStackedVectorEnvironment: ObservationWrapper {
  /// The environment whose observations are stacked.
  public let wrapped: any VectorizedEnvironment
  /// `n`, the number of observations per stack.
  public let stackSize: Int
  /// The stacked observation space, shape `[…, C·n]`.
  public let observationSpace: Space
  /// The current stacks, one per copy.
  public let observations: ObservationBuffer
  /// The stack each finished copy ended with (SB2's rewritten `terminal_observation`).
  public let terminalObservations: ObservationBuffer

  /// `C`, the wrapped observation's last dimension.
  private let channels: Int
  /// Positions per observation (the product of all dimensions but the last).
  private let positions: Int

  /// Stacks the last `stackSize` observations of `environment`.
  ///
  /// Throws ``EnvironmentError/invalidSpace(field:reason:)`` when the wrapped observation space is
  /// not a `Box` (SB2 stacks Box observations only) or `stackSize < 1`.
  public init(wrapping environment: any VectorizedEnvironment, stackSize: Int) throws(EnvironmentError) {
    guard stackSize >= 1 else {
      throw .invalidSpace(field: "n_stack", reason: "must be ≥ 1, got \(stackSize)")
    }
    guard case .box(let low, let high, let shape, let dtype) = environment.observationSpace, let c = shape.last
    else {
      throw .invalidSpace(
        field: "observation_space", reason: "must be a Box to stack frames, got \(environment.observationSpace)")
    }
    let stackedCount = low.count.multipliedReportingOverflow(by: stackSize)
    guard !stackedCount.overflow, stackedCount.partialValue <= Space.maximumComponentCount else {
      throw .invalidSpace(field: "n_stack", reason: "stacks more than \(Space.maximumComponentCount) components")
    }
    wrapped = environment
    self.stackSize = stackSize
    channels = c
    positions = low.count / c
    func repeated(_ bounds: [Double]) -> [Double] { bounds.flatMap { repeatElement($0, count: stackSize) } }
    observationSpace = .box(
      low: repeated(low), high: repeated(high), shape: Array(shape.dropLast()) + [c * stackSize], dtype: dtype)
    observations = ObservationBuffer(space: observationSpace, count: environment.count)
    terminalObservations = ObservationBuffer(space: observationSpace, count: environment.count)
  }

  /// Components per stacked observation, `n` times the wrapped one's.
  public var observationSize: Int { observations.elementsPerObservation }

  /// Resets the wrapped copies; every stack is zeros with the first observation last.
  public func reset() {
    wrapped.reset()
    observations.zeroAll()
    for i in 0..<count { writeNewest(of: i) }
  }

  /// Steps the wrapped copies and shifts the stacks (see the type's documentation).
  public func step(_ actions: [Double]) throws(EnvironmentError) {
    try wrapped.step(actions)
    let dones = wrapped.dones
    for i in 0..<count {
      rollOldestOut(of: i)
      if dones[i] {
        terminalObservations.copyObservation(i, from: observations, at: i)
        writeNewest(into: terminalObservations, copy: i, from: wrapped.terminalObservations)
        observations.zeroObservation(i)
      }
      writeNewest(of: i)
    }
  }

  /// `s_i ← roll(s_i, −C, axis −1)` restricted to the part that survives (the last `C` channels
  /// are overwritten next).
  private func rollOldestOut(of i: Int) {
    let element = observations.elementType.byteCount
    let frameBytes = channels * element
    let blockBytes = frameBytes * stackSize
    guard stackSize > 1 else { return }
    let stack = observations.observation(i)
    let base = stack.baseAddress!
    for p in 0..<positions {
      let block = base + p * blockBytes
      block.copyMemory(from: block + frameBytes, byteCount: blockBytes - frameBytes)
    }
  }

  /// `s_i[…, −C:] ← obs_i` from the wrapped current observations.
  func writeNewest(of i: Int) { writeNewest(into: observations, copy: i, from: wrapped.observations) }

  private func writeNewest(into target: ObservationBuffer, copy i: Int, from source: ObservationBuffer) {
    let element = target.elementType.byteCount
    let frameBytes = channels * element
    let blockBytes = frameBytes * stackSize
    let destination = target.observation(i).baseAddress!
    let frame = UnsafeRawPointer(source.observation(i).baseAddress!)
    for p in 0..<positions {
      (destination + p * blockBytes + blockBytes - frameBytes).copyMemory(
        from: frame + p * frameBytes, byteCount: frameBytes)
    }
  }
}

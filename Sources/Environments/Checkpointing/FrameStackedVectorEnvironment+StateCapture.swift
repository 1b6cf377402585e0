import Randomness

/// A ``FrameStackedVectorEnvironment``'s checkpoint (SB2 `VecFrameStack`'s `stackedobs`):
///
/// ```
/// observations, terminalObservations   the stacks, raw bytes in the space's element type
/// wrapped                              the wrapped environment's checkpoint
/// ```
/// When the wrapped environment restarts its episodes, every stack restarts as `reset()` builds
/// it: zeros with the first observation last.
extension FrameStackedVectorEnvironment: CheckpointableVectorEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) -> EnvironmentCaptureFidelity {
    guard let inner = wrapped as? any CheckpointableVectorEnvironment else {
      writer.write(false)
      return .restartsEpisodes(reason: "\(environmentID): the wrapped vector environment cannot be checkpointed")
    }
    writer.write(true)
    writer.write(bytes: UnsafeRawBufferPointer(observations.bytes))
    writer.write(bytes: UnsafeRawBufferPointer(terminalObservations.bytes))
    return inner.captureState(into: &writer)
  }

  public func restoreState(
    from reader: inout BinaryStateReader, restartSeeds: SeedSequence
  ) throws(BinaryStateError) -> EnvironmentCaptureFidelity {
    guard try reader.readBool("frameStack.captured"), let inner = wrapped as? any CheckpointableVectorEnvironment
    else { throw .invalid(field: "frameStack.captured", reason: "the checkpoint holds no wrapped environment state") }
    try reader.readBytes("frameStack.observations", into: observations.bytes)
    try reader.readBytes("frameStack.terminalObservations", into: terminalObservations.bytes)
    let fidelity = try inner.restoreState(from: &reader, restartSeeds: restartSeeds)
    if fidelity != .exact {
      observations.zeroAll()
      for i in 0..<count { writeNewest(of: i) }
    }
    return fidelity
  }
}

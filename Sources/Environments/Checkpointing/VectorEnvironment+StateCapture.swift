import Randomness

/// A ``VectorEnvironment``'s checkpoint: everything its next step reads, so a resume continues
/// every episode bit for bit when its copies are ``StateCapturingEnvironment``s.
///
/// ```
/// environmentID String, count Int, exact Bool
/// exact:  count × copy state (StateCapturingEnvironment)
/// count × reset-stream state [UInt8]         (mt19937 state, GSL's layout on this machine)
/// observations … hasReset                   VectorStepState
/// ```
/// Copies that cannot capture their state restart their episodes on restore: copy `i` resets
/// from `restartSeeds.stream(for: .environment, index: i)`, its unfinished episode is dropped
/// (finished ones stay in the monitor) and its accumulators start at zero.
extension VectorEnvironment: CheckpointableVectorEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) -> EnvironmentCaptureFidelity {
    let capturing = environments.compactMap { $0 as? any StateCapturingEnvironment }.filter(\.canCaptureState)
    let exact = capturing.count == count
    VectorStepState.writeHeader(environmentID: environmentID, count: count, exact: exact, into: &writer)
    if exact { for copy in capturing { copy.captureState(into: &writer) } }
    for stream in streams { writer.write(bytes: stream.state) }
    VectorStepState(
      rewards: rewards, dones: dones, terminated: terminated, truncated: truncated, completedEpisodes: completedEpisodes,
      monitor: monitor, runningReturns: runningReturns, runningLengths: runningLengths, hasReset: hasReset
    ).write(into: &writer, observations: observations, terminalObservations: terminalObservations)
    return exact
      ? .exact
      : .restartsEpisodes(reason: "\(environmentID) cannot save its simulator state (no StateCapturingEnvironment)")
  }

  public func restoreState(
    from reader: inout BinaryStateReader, restartSeeds: SeedSequence
  ) throws(BinaryStateError) -> EnvironmentCaptureFidelity {
    let exact = try VectorStepState.readHeader(from: &reader, environmentID: environmentID, count: count)
    if exact {
      for (i, copy) in environments.enumerated() {
        guard let capturing = copy as? any StateCapturingEnvironment, capturing.canCaptureState else {
          throw .invalid(field: "copy \(i)", reason: "\(environmentID) cannot restore a captured state")
        }
        try capturing.restoreState(from: &reader)
      }
    }
    var streamStates: [[UInt8]] = []
    for (i, stream) in streams.enumerated() {
      let state = try reader.readBytes("stream \(i)")
      guard state.count == stream.state.count else {
        throw .invalid(field: "stream \(i)", reason: "\(state.count) bytes, a stream state has \(stream.state.count)")
      }
      streamStates.append(state)
    }
    let step = try VectorStepState.read(
      from: &reader, copies: count, observations: observations, terminalObservations: terminalObservations)
    monitor = step.monitor
    rewards = step.rewards
    dones = step.dones
    terminated = step.terminated
    truncated = step.truncated
    completedEpisodes = step.completedEpisodes
    hasReset = step.hasReset
    guard exact else {
      // The simulators' state was not saved: restart every episode from the resume's own streams.
      for i in 0..<count {
        streams[i].state = restartSeeds.stream(for: .environment, index: i).state
        environments[i].reset(using: streams[i], into: observations.observation(i))
        runningReturns[i] = 0
        runningLengths[i] = 0
      }
      hasReset = true
      return .restartsEpisodes(reason: "\(environmentID) cannot save its simulator state (no StateCapturingEnvironment)")
    }
    for (stream, state) in zip(streams, streamStates) { stream.state = state }
    runningReturns = step.runningReturns
    runningLengths = step.runningLengths
    return .exact
  }
}

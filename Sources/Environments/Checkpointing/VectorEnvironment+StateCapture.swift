import Randomness

/// A ``VectorEnvironment``'s checkpoint: everything its next step reads, so a resume continues
/// every episode bit for bit when its copies are ``StateCapturingEnvironment``s.
///
/// ```
/// environmentID String, count Int, exact Bool
/// exact:  count × copy state (StateCapturingEnvironment)
/// count × reset-stream state [UInt8]         (mt19937 state, GSL's layout on this machine)
/// observations, terminalObservations         raw bytes in the space's element type
/// rewards [Float], dones, terminated, truncated [Bool]
/// completedEpisodes, monitor                (EpisodeBookkeeping+StateCapture.swift)
/// runningReturns [Double], runningLengths [Int], hasReset Bool
/// ```
/// Copies that cannot capture their state restart their episodes on restore: copy `i` resets
/// from `restartSeeds.stream(for: .environment, index: i)`, its unfinished episode is dropped
/// (finished ones stay in the monitor) and its accumulators start at zero.
extension VectorEnvironment: CheckpointableVectorEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) -> EnvironmentCaptureFidelity {
    let capturing = environments.compactMap { $0 as? any StateCapturingEnvironment }.filter(\.canCaptureState)
    let exact = capturing.count == count
    writer.write(environmentID)
    writer.write(count)
    writer.write(exact)
    if exact { for copy in capturing { copy.captureState(into: &writer) } }
    for stream in streams { writer.write(bytes: stream.state) }
    writer.write(bytes: UnsafeRawBufferPointer(observations.bytes))
    writer.write(bytes: UnsafeRawBufferPointer(terminalObservations.bytes))
    writer.write(rewards)
    writer.write(dones)
    writer.write(terminated)
    writer.write(truncated)
    writer.write(completedEpisodes: completedEpisodes)
    writer.write(monitor: monitor)
    writer.write(runningReturns)
    writer.write(runningLengths)
    writer.write(hasReset)
    return exact
      ? .exact
      : .restartsEpisodes(reason: "\(environmentID) cannot save its simulator state (no StateCapturingEnvironment)")
  }

  public func restoreState(
    from reader: inout BinaryStateReader, restartSeeds: SeedSequence
  ) throws(BinaryStateError) -> EnvironmentCaptureFidelity {
    let id = try reader.readString("environmentID")
    guard id == environmentID else { throw .invalid(field: "environmentID", reason: "checkpoint of \(id), environment is \(environmentID)") }
    let n = try reader.readInt("count")
    guard n == count else { throw .invalid(field: "count", reason: "checkpoint of \(n) copies, environment has \(count)") }
    let exact = try reader.readBool("exact")
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
    try reader.readBytes("observations", into: observations.bytes)
    try reader.readBytes("terminalObservations", into: terminalObservations.bytes)
    let newRewards = try reader.readArray(Float.self, "rewards", count: count)
    let newDones = try reader.readBools("dones", count: count)
    let newTerminated = try reader.readBools("terminated", count: count)
    let newTruncated = try reader.readBools("truncated", count: count)
    let completed = try reader.readCompletedEpisodes(copies: count)
    let restoredMonitor = try reader.readMonitor()
    let newRunningReturns = try reader.readArray(Double.self, "runningReturns", count: count)
    let newRunningLengths = try reader.readArray(Int.self, "runningLengths", count: count)
    let newHasReset = try reader.readBool("hasReset")

    monitor = restoredMonitor
    rewards = newRewards
    dones = newDones
    terminated = newTerminated
    truncated = newTruncated
    completedEpisodes = completed
    hasReset = newHasReset
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
    runningReturns = newRunningReturns
    runningLengths = newRunningLengths
    return .exact
  }
}

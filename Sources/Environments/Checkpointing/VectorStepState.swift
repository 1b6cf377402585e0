/// What a vector environment's last step left behind, the part of its checkpoint every vector
/// environment holds (``VectorEnvironment`` and the Gymnasium bridge's
/// `SubprocessVectorEnvironment` write the same layout):
///
/// ```
/// observations, terminalObservations   raw bytes in the space's element type
/// rewards [Float], dones, terminated, truncated [Bool]
/// completedEpisodes  Int n, n × (environmentIndex Int, return Double, length Int, truncated Bool,
///                    interrupted Bool)                 the episodes of the last step
/// monitor            returns [Double], lengths [Int], totalSteps Int
/// runningReturns [Double], runningLengths [Int]        the episodes in flight
/// hasReset Bool
/// ```
public struct VectorStepState {
  public var rewards: [Float]
  public var dones: [Bool]
  public var terminated: [Bool]
  public var truncated: [Bool]
  public var completedEpisodes: [EpisodeRecord]
  public var monitor: EpisodeMonitor
  public var runningReturns: [Double]
  public var runningLengths: [Int]
  public var hasReset: Bool

  public init(
    rewards: [Float], dones: [Bool], terminated: [Bool], truncated: [Bool], completedEpisodes: [EpisodeRecord],
    monitor: EpisodeMonitor, runningReturns: [Double], runningLengths: [Int], hasReset: Bool
  ) {
    self.rewards = rewards
    self.dones = dones
    self.terminated = terminated
    self.truncated = truncated
    self.completedEpisodes = completedEpisodes
    self.monitor = monitor
    self.runningReturns = runningReturns
    self.runningLengths = runningLengths
    self.hasReset = hasReset
  }

  /// Appends the header both vector environments' checkpoints start with:
  /// `environmentID String, count Int, exact Bool`.
  public static func writeHeader(environmentID: String, count: Int, exact: Bool, into writer: inout BinaryStateWriter) {
    writer.write(environmentID)
    writer.write(count)
    writer.write(exact)
  }

  /// Reads ``writeHeader(environmentID:count:exact:into:)``'s header, checking that it belongs to
  /// an environment of `environmentID` with `count` copies; returns `exact`.
  public static func readHeader(
    from reader: inout BinaryStateReader, environmentID: String, count: Int
  ) throws(BinaryStateError) -> Bool {
    let id = try reader.readString("environmentID")
    guard id == environmentID else {
      throw .invalid(field: "environmentID", reason: "checkpoint of \(id), environment is \(environmentID)")
    }
    let n = try reader.readInt("count")
    guard n == count else { throw .invalid(field: "count", reason: "checkpoint of \(n) copies, environment has \(count)") }
    return try reader.readBool("exact")
  }

  /// Appends the observation buffers and this state.
  public func write(into writer: inout BinaryStateWriter, observations: ObservationBuffer, terminalObservations: ObservationBuffer) {
    writer.write(bytes: UnsafeRawBufferPointer(observations.bytes))
    writer.write(bytes: UnsafeRawBufferPointer(terminalObservations.bytes))
    writer.write(rewards)
    writer.write(dones)
    writer.write(terminated)
    writer.write(truncated)
    writer.write(completedEpisodes.count)
    for e in completedEpisodes {
      writer.write(e.environmentIndex)
      writer.write(e.episodeReturn)
      writer.write(e.length)
      writer.write(e.truncated)
      writer.write(e.interrupted)
    }
    writer.write(monitor.returns)
    writer.write(monitor.lengths)
    writer.write(monitor.totalSteps)
    writer.write(runningReturns)
    writer.write(runningLengths)
    writer.write(hasReset)
  }

  /// Reads what ``write(into:observations:terminalObservations:)`` wrote for `copies` copies,
  /// the observations straight into the buffers.
  public static func read(
    from reader: inout BinaryStateReader, copies: Int, observations: ObservationBuffer, terminalObservations: ObservationBuffer
  ) throws(BinaryStateError) -> VectorStepState {
    try reader.readBytes("observations", into: observations.bytes)
    try reader.readBytes("terminalObservations", into: terminalObservations.bytes)
    let rewards = try reader.readArray(Float.self, "rewards", count: copies)
    let dones = try reader.readBools("dones", count: copies)
    let terminated = try reader.readBools("terminated", count: copies)
    let truncated = try reader.readBools("truncated", count: copies)
    let completedCount = try reader.readInt("completedEpisodes")
    guard (0...copies).contains(completedCount) else {
      throw .invalid(field: "completedEpisodes", reason: "\(completedCount) episodes from \(copies) copies")
    }
    var completed: [EpisodeRecord] = []
    for _ in 0..<completedCount {
      let index = try reader.readInt("completedEpisodes.environmentIndex")
      guard (0..<copies).contains(index) else {
        throw .invalid(field: "completedEpisodes.environmentIndex", reason: "\(index) is not a copy")
      }
      completed.append(
        EpisodeRecord(
          environmentIndex: index, episodeReturn: try reader.readDouble("completedEpisodes.return"),
          length: try reader.readInt("completedEpisodes.length"), truncated: try reader.readBool("completedEpisodes.truncated"),
          interrupted: try reader.readBool("completedEpisodes.interrupted")))
    }
    let returns = try reader.readArray(Double.self, "monitor.returns")
    let lengths = try reader.readArray(Int.self, "monitor.lengths", count: returns.count)
    let totalSteps = try reader.readInt("monitor.totalSteps")
    var monitor = EpisodeMonitor()
    for (r, l) in zip(returns, lengths) {
      monitor.record(EpisodeRecord(environmentIndex: 0, episodeReturn: r, length: l, truncated: false))
    }
    monitor.countSteps(totalSteps)
    return VectorStepState(
      rewards: rewards, dones: dones, terminated: terminated, truncated: truncated, completedEpisodes: completed,
      monitor: monitor, runningReturns: try reader.readArray(Double.self, "runningReturns", count: copies),
      runningLengths: try reader.readArray(Int.self, "runningLengths", count: copies), hasReset: try reader.readBool("hasReset"))
  }
}

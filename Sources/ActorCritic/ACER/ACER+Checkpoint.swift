import Environments

/// ACER's own checkpoint state: the RMSProp slots, the average network, the replay stream, the
/// replay buffer and the runner's recurrent carry.
///
/// ```
/// rmsprop         slots
/// average_policy  slots (the shadow parameters)
/// replayRandom    stream state [UInt8]
/// hasBuffer Bool; when true: ACERReplayBuffer's checkpoint
/// carry           RecurrentCarry+Checkpoint.swift (empty for feed-forward policies)
/// ```
extension ACER: CheckpointableModel {
  public func captureAlgorithmState(into writer: inout BinaryStateWriter) {
    writer.write(slots: optimizer.state)
    writer.write(slots: averagePolicy.state)
    writer.write(bytes: replayRandom.state)
    writer.write(replayBuffer != nil)
    replayBuffer?.captureState(into: &writer)
    rollout?.captureCarry(into: &writer)
  }

  public func restoreAlgorithmState(from reader: inout BinaryStateReader) throws {
    optimizer.state = try reader.readSlots("rmsprop", like: optimizer.state)
    averagePolicy.state = try reader.readSlots("average_policy", like: averagePolicy.state)
    try replayRandom.restoreState(try reader.readBytes("replayRandom"), field: "replayRandom")
    let hasBuffer = try reader.readBool("replayBuffer")
    guard hasBuffer == (replayBuffer != nil) else {
      throw CheckpointError.mismatch(
        field: "replayBuffer", reason: hasBuffer ? "checkpoint has a replay buffer, the model none" : "checkpoint has none")
    }
    try replayBuffer?.restoreState(from: &reader)
    try rollout?.restoreCarry(from: &reader)
  }
}

import Environments

/// A2C's own checkpoint state: the RMSProp slots (its only stream, action sampling, belongs to
/// ``TrainingState``) and the runner's recurrent carry.
///
/// ```
/// rmsprop   slots
/// carry     RecurrentCarry+Checkpoint.swift (empty for feed-forward policies)
/// ```
extension A2C: CheckpointableModel {
  public func captureAlgorithmState(into writer: inout BinaryStateWriter) {
    writer.write(slots: optimizer.state)
    driver.rollout?.captureCarry(into: &writer)
  }

  public func restoreAlgorithmState(from reader: inout BinaryStateReader) throws {
    optimizer.state = try reader.readSlots("rmsprop", like: optimizer.state)
    try driver.rollout?.restoreCarry(from: &reader)
  }
}

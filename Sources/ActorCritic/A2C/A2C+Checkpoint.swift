import Environments

/// A2C's own checkpoint state: the RMSProp slots (its only stream, action sampling, belongs to
/// ``TrainingState``).
///
/// ```
/// rmsprop   slots
/// ```
extension A2C: CheckpointableModel {
  public func captureAlgorithmState(into writer: inout BinaryStateWriter) { writer.write(slots: optimizer.state) }

  public func restoreAlgorithmState(from reader: inout BinaryStateReader) throws {
    optimizer.state = try reader.readSlots("rmsprop", like: optimizer.state)
  }
}

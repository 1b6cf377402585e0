import Environments

/// A2C's checkpoint holds nothing beyond the common part (parameters, RMSProp slots, training
/// state, environment): its only stream, action sampling, belongs to ``TrainingState``.
extension A2C: CheckpointableModel {
  public func captureAlgorithmState(into writer: inout BinaryStateWriter) {}
  public func restoreAlgorithmState(from reader: inout BinaryStateReader) throws {}
}

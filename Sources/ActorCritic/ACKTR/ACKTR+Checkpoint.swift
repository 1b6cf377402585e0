import Environments

/// ACKTR's own checkpoint state: the Fisher-noise stream and K-FAC's whole state (statistics,
/// eigenbases, the pending asynchronous decomposition and the step it read, both momenta).
///
/// ```
/// fisherRandom   stream state [UInt8]
/// kfac           KFAC.Snapshot (binary)
/// carry          RecurrentCarry+Checkpoint.swift (empty for feed-forward policies)
/// ```
/// Capturing waits for a decomposition still running in the background; its result is the one
/// the uninterrupted run would use at the same update (design.md §3), so nothing shifts.
extension ACKTR: CheckpointableModel {
  public func captureAlgorithmState(into writer: inout BinaryStateWriter) {
    writer.write(bytes: fisherRandom.state)
    writer.write(optimizer.snapshot())
    driver.rollout?.captureCarry(into: &writer)
  }

  public func restoreAlgorithmState(from reader: inout BinaryStateReader) throws {
    try fisherRandom.restoreState(try reader.readBytes("fisherRandom"), field: "fisherRandom")
    try optimizer.restore(try reader.readSnapshot(like: optimizer.snapshot()))
    try driver.rollout?.restoreCarry(from: &reader)
  }
}

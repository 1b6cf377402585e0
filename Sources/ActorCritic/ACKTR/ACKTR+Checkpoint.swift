import Environments

/// ACKTR's own checkpoint state: the Fisher-noise stream (its K-FAC statistics, eigenbases,
/// pending asynchronous decomposition and momentum are in ``ACKTR/optimizerState()``).
///
/// ```
/// fisherRandom   stream state [UInt8]
/// ```
extension ACKTR: CheckpointableModel {
  public func captureAlgorithmState(into writer: inout BinaryStateWriter) { writer.write(bytes: fisherRandom.state) }

  public func restoreAlgorithmState(from reader: inout BinaryStateReader) throws {
    try fisherRandom.restoreState(try reader.readBytes("fisherRandom"), field: "fisherRandom")
  }
}

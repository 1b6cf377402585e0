/// A destination of ``Logger`` dumps (SB3 `KVWriter`): the human-readable table, CSV, JSON lines,
/// TensorBoard.
public protocol KeyValueWriter: AnyObject {
  /// Writes one dump, logged at `step` (environment steps; writers that have no step column
  /// ignore it).
  func write(_ record: LogRecord, step: Int) throws(LoggingError)
  /// Passes on what is buffered.
  func flush() throws(LoggingError)
}

import Foundation

/// A ``Logger`` writer into one TensorBoard event file (SB3 `TensorBoardOutputFormat`): every
/// dump becomes one `Event` at the dump's step whose `Summary` holds each numeric value as a
/// `simple_value` (a 32-bit float) under its key as the tag; text values are left out (SB2
/// `valid_float_value`). The file is ``TensorBoardEventWriter``'s.
public final class TensorBoardScalarWriter: KeyValueWriter {
  /// The event file.
  public var url: URL { events.url }
  private let events: TensorBoardEventWriter
  private let clock: () -> Double

  /// A new event file in `directory` (made if needed).
  ///
  /// - Parameter clock: the wall time of each record, seconds since 1970 (the current time by
  ///   default; tests pass a fixed one).
  public init(
    directory: URL, clock: @escaping () -> Double = { Date().timeIntervalSince1970 },
    hostname: String = ProcessInfo.processInfo.hostName
  ) throws(LoggingError) {
    self.clock = clock
    do { events = try TensorBoardEventWriter(directory: directory, wallTime: clock(), hostname: hostname) } catch {
      throw .wrapping(error, url: directory)
    }
  }

  public func write(_ record: LogRecord, step: Int) throws(LoggingError) {
    let scalars = record.compactMap { entry in entry.value.number.map { (tag: entry.key, value: Float($0)) } }
    guard !scalars.isEmpty else { return }
    do { try events.add(scalars: scalars, step: Int64(step), wallTime: clock()) } catch {
      throw .wrapping(error, url: events.url)
    }
  }

  public func flush() throws(LoggingError) {
    do { try events.flush() } catch { throw .wrapping(error, url: events.url) }
  }
}

import Foundation

/// SB2's `progress.csv` (`logger.py` `CSVOutputFormat`): a header of every key seen so far, one
/// row per dump, values as Python's `str()` (`0.1`, `1e-05`, `nan`), an empty cell for a key the
/// dump lacks. When a dump brings new keys they are appended to the header and the earlier rows
/// are padded with empty cells, so the file is always a rectangular CSV.
public final class CSVWriter: KeyValueWriter {
  private let sink: TextSink
  private var keys: [String] = []
  private var rows: [String] = []

  /// A new (truncated) file at `url`.
  public init(url: URL) throws(LoggingError) { sink = try TextSink(url: url) }

  public func write(_ record: LogRecord, step: Int) throws(LoggingError) {
    // Deviation: SB2 appends the new keys in set order (`kvs.keys() - self.keys`, which varies
    // with Python's string hashing between processes); we append them in the order they were
    // recorded, so the column order is reproducible.
    let newKeys = record.keys.filter { !keys.contains($0) }
    let row = (keys + newKeys).map { record[$0]?.pythonText ?? "" }.joined(separator: ",")
    if newKeys.isEmpty {
      rows.append(row)
      try sink.write(row + "\n")
    } else {
      keys += newKeys
      rows = rows.map { $0 + String(repeating: ",", count: newKeys.count) } + [row]
      try sink.replace(with: ([keys.joined(separator: ",")] + rows).joined(separator: "\n") + "\n")
    }
  }

  public func flush() throws(LoggingError) {}
}

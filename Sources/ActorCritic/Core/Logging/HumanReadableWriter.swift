import Foundation

/// The table stable-baselines 2 prints at `verbose = 1` (`logger.py` `HumanOutputFormat`), byte
/// for byte:
///
/// ```
/// -------------------------------------
/// | explained_variance | 0.0183       |
/// | fps                | 1204         |
/// | nupdates           | 1            |
/// -------------------------------------
/// ```
/// keys sorted (by code point), reals as `'%-8.3g'` (left-aligned in 8 columns, so `0.5` keeps
/// five trailing spaces), integers and text as `str()`; a key or value longer than 23 characters
/// is cut to its first 20 and `...`; the rule is `keywidth + valwidth + 7` dashes. An empty record
/// prints nothing.
public final class HumanReadableWriter: KeyValueWriter {
  private let sink: TextSink

  /// The table on standard output.
  public static func standardOutput() -> HumanReadableWriter { HumanReadableWriter(sink: TextSink()) }

  /// The table into a new file (SB2's `log.txt` format).
  public convenience init(url: URL) throws(LoggingError) { self.init(sink: try TextSink(url: url)) }

  private init(sink: TextSink) { self.sink = sink }

  public func write(_ record: LogRecord, step: Int) throws(LoggingError) {
    guard let table = Self.table(record) else { return }
    try sink.write(table + "\n")
  }

  public func flush() throws(LoggingError) {}

  /// The table of `record` without the final newline, `nil` when it is empty.
  public static func table(_ record: LogRecord) -> String? {
    // SB2 fills a dict in sorted key order, so of two keys equal after truncation the later wins.
    var cells: [String: String] = [:]
    for (key, value) in record.entries.sorted(by: { Self.precedes($0.key, $1.key) }) {
      cells[truncate(key)] = truncate(text(value))
    }
    guard !cells.isEmpty else { return nil }
    let keyWidth = cells.keys.map(\.count).max()!, valueWidth = cells.values.map(\.count).max()!
    let dashes = String(repeating: "-", count: keyWidth + valueWidth + 7)
    var lines = [dashes]
    for key in cells.keys.sorted(by: Self.precedes) {
      let value = cells[key]!
      lines.append(
        "| " + key + String(repeating: " ", count: keyWidth - key.count) + " | " + value
          + String(repeating: " ", count: valueWidth - value.count) + " |")
    }
    lines.append(dashes)
    return lines.joined(separator: "\n")
  }

  /// `'%-8.3g' % x` for reals, `str(x)` otherwise.
  static func text(_ value: LogValue) -> String {
    switch value {
    case .real(let x):
      if x.isNaN { return "nan     " }
      if x.isInfinite { return x > 0 ? "inf     " : "-inf    " }
      return String(format: "%-8.3g", x)
    case .integer, .text: return value.pythonText
    }
  }

  /// `s[:20] + '...'` when longer than 23 characters.
  static func truncate(_ s: String) -> String { s.count > 23 ? String(s.prefix(20)) + "..." : s }

  /// Python's string order: by Unicode code point.
  static func precedes(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
  }
}

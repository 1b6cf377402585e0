import Foundation

/// SB2's `progress.json` (`logger.py` `JSONOutputFormat`): one JSON object per dump and line, keys
/// in the order recorded, numbers as Python's `json.dumps` writes them (`0.1`, `1e-05`, `NaN`,
/// `Infinity`; the non-finite spellings are Python's, which Python's `json` reads back), strings
/// ASCII-escaped.
///
/// With `stepKey` set, every line starts with the dump's step under that key
/// (`{"step": 2048, "loss/loss": 0.5}`), so a line can be matched with the TensorBoard record of
/// the same dump.
public final class JSONLinesWriter: KeyValueWriter {
  private let sink: TextSink
  private let stepKey: String?

  /// A new (truncated) file at `url`.
  public init(url: URL, stepKey: String? = nil) throws(LoggingError) {
    sink = try TextSink(url: url)
    self.stepKey = stepKey
  }

  public func write(_ record: LogRecord, step: Int) throws(LoggingError) {
    try sink.write(Self.line(record, step: stepKey.map { ($0, step) }) + "\n")
  }

  public func flush() throws(LoggingError) {}

  /// One object, without the newline.
  static func line(_ record: LogRecord, step: (key: String, value: Int)?) -> String {
    var members: [String] = []
    if let step { members.append(quoted(step.key) + ": " + String(step.value)) }
    for (key, value) in record {
      let text: String
      switch value {
      case .integer(let i): text = String(i)
      case .real(let x): text = x.isNaN ? "NaN" : x.isInfinite ? (x > 0 ? "Infinity" : "-Infinity") : "\(x)"
      case .text(let s): text = quoted(s)
      }
      members.append(quoted(key) + ": " + text)
    }
    return "{" + members.joined(separator: ", ") + "}"
  }

  /// A JSON string as `json.dumps` writes it (`ensure_ascii`).
  static func quoted(_ s: String) -> String {
    var out = "\""
    for unit in s.utf16 {
      switch unit {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x0A: out += "\\n"
      case 0x0D: out += "\\r"
      case 0x09: out += "\\t"
      case 0x08: out += "\\b"
      case 0x0C: out += "\\f"
      case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(unit)!)
      default: out += String(format: "\\u%04x", unit)
      }
    }
    return out + "\""
  }
}

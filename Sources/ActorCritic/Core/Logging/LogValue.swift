/// One logged value, typed as stable-baselines' writers tell them apart: integers print as
/// integers (`str(val)`), reals as `%-8.3g` in the table, text as itself (SB2 `logger.py`).
public enum LogValue: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByStringLiteral
{
  case integer(Int)
  case real(Double)
  case text(String)

  public init(integerLiteral value: Int) { self = .integer(value) }
  public init(floatLiteral value: Double) { self = .real(value) }
  public init(stringLiteral value: String) { self = .text(value) }

  /// The value as a number, `nil` for text (SB2 `valid_float_value`: what TensorBoard can plot).
  public var number: Double? {
    switch self {
    case .integer(let i): return Double(i)
    case .real(let x): return x
    case .text: return nil
    }
  }

  /// Python's `str(value)` (`repr` for floats): the shortest text that reads back to the same
  /// `Double` (`0.1`, `1e-05`, `100.0`, `nan`, `inf`), as SB2's CSV writer prints values.
  public var pythonText: String {
    switch self {
    case .integer(let i): return String(i)
    case .real(let x): return Self.pythonRepr(x)
    case .text(let s): return s
    }
  }

  /// `repr(float)`: Swift's shortest round-trip digits, which follow the same rule (exponent form
  /// below 1e-4 and from 1e16), with Python's spelling of the non-finite values.
  static func pythonRepr(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return "\(x)"
  }
}

/// The key/value pairs of one dump, in the order they were first recorded; recording a key again
/// replaces its value in place (a Python `dict`, as SB2's `Logger.name2val`).
public struct LogRecord: Sendable, Equatable, Sequence {
  public private(set) var entries: [(key: String, value: LogValue)] = []
  private var index: [String: Int] = [:]

  public init() {}

  public init(_ pairs: KeyValuePairs<String, LogValue>) {
    for (key, value) in pairs { self[key] = value }
  }

  public var isEmpty: Bool { entries.isEmpty }
  public var count: Int { entries.count }
  public var keys: [String] { entries.map(\.key) }

  public subscript(key: String) -> LogValue? {
    get { index[key].map { entries[$0].value } }
    set {
      if let i = index[key] {
        if let newValue { entries[i].value = newValue } else { remove(at: i) }
      } else if let newValue {
        index[key] = entries.count
        entries.append((key, newValue))
      }
    }
  }

  private mutating func remove(at i: Int) {
    entries.remove(at: i)
    index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
  }

  public func makeIterator() -> IndexingIterator<[(key: String, value: LogValue)]> { entries.makeIterator() }

  public static func == (a: LogRecord, b: LogRecord) -> Bool {
    a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }
}

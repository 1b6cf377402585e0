import ActorCritic
import Foundation

/// A hyperparameter value in a suite entry or a `bench run --set name=value`: a number, a
/// boolean, a string (schedule and variant names) or a structured JSON value (`net_arch`,
/// `gae_lambda=null`).
///
/// On disk each is its JSON value (`0.99`, `true`, `"linear"`, `{"policy": [32], …}`), so
/// files written before booleans and structured values existed read back unchanged.
public enum HyperparameterValue: Codable, Sendable, Equatable, ExpressibleByFloatLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, CustomStringConvertible
{
  case number(Double)
  case bool(Bool)
  case string(String)
  /// An array, an object or null.
  case json(JSONValue)

  public init(floatLiteral value: Double) { self = .number(value) }
  public init(integerLiteral value: Int) { self = .number(Double(value)) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }

  /// The value of the text after `=` in `--set name=value`:
  ///
  /// ```
  /// a decimal number (Double(text) parses)   → number      0.99, 1e-3, 16
  /// true | false                             → bool
  /// text starting with [ or {, or null       → JSON        {"shared":[],"policy":[32],"value":[32],"activation":"tanh"}
  /// anything else                            → string      linear
  /// ```
  /// - Throws: ``BenchmarkError/invalidHyperparameter(algorithm:name:reason:)`` when text that
  ///   starts like JSON is not valid JSON.
  public init(parsing text: String, name: String) throws(BenchmarkError) {
    if let number = Double(text) {
      self = .number(number)
    } else if text == "true" || text == "false" {
      self = .bool(text == "true")
    } else if text == "null" || text.hasPrefix("[") || text.hasPrefix("{") {
      do { self = .json(try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) } catch {
        throw .invalidHyperparameter(
          algorithm: "--set", name: name, reason: "'\(text)' is not valid JSON (allowed: a JSON array, object or null)")
      }
    } else {
      self = .string(text)
    }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else {
      self = .json(try c.decode(JSONValue.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .number(let n): try c.encode(n)
    case .bool(let b): try c.encode(b)
    case .string(let s): try c.encode(s)
    case .json(let j): try c.encode(j)
    }
  }

  /// The value as a `JSONSerialization` object (integral numbers as integers, so they decode
  /// into both `Int` and `Double` fields).
  var jsonObject: Any {
    switch self {
    case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? Int(n) as Any : n as Any
    case .bool(let b): return b
    case .string(let s): return s
    case .json(let j):
      let data = (try? JSONEncoder().encode(j)) ?? Data("null".utf8)
      return (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) ?? NSNull()
    }
  }

  public var description: String {
    switch self {
    case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : "\(n)"
    case .bool(let b): return b ? "true" : "false"
    case .string(let s): return s
    case .json(let j):
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      return (try? encoder.encode(j)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
  }
}

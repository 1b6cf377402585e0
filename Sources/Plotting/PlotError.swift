/// Bad input to a plot: the case names the field and says what is allowed.
public enum PlotError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A canvas or figure dimension was outside the supported range.
  case invalidSize(field: String, value: Int, allowed: ClosedRange<Int>)
  /// A list that must not be empty was empty.
  case empty(field: String)
  /// Two lists that must have equal length did not.
  case lengthMismatch(field: String, expected: Int, actual: Int)
  /// A value was NaN or infinite.
  case nonFiniteValue(field: String, index: Int)
  /// An axis range had `lower ≥ upper` or a non-finite end.
  case invalidRange(field: String, lower: Double, upper: Double)
  /// A confidence band or whisker had its lower end above its upper end.
  case invertedInterval(field: String, index: Int)
  /// An index that must name an element of a list of `count` did not.
  case invalidIndex(field: String, index: Int, count: Int)

  public var description: String {
    switch self {
    case .invalidSize(let field, let value, let allowed):
      return "\(field) is \(value); allowed values are \(allowed.lowerBound)...\(allowed.upperBound)"
    case .empty(let field):
      return "\(field) is empty; at least one value is required"
    case .lengthMismatch(let field, let expected, let actual):
      return "\(field) has \(actual) value(s); expected \(expected)"
    case .nonFiniteValue(let field, let index):
      return "\(field)[\(index)] is not finite; only finite values can be plotted"
    case .invalidRange(let field, let lower, let upper):
      return "\(field) is \(lower)...\(upper); it must be finite with lower < upper"
    case .invertedInterval(let field, let index):
      return "\(field)[\(index)] has its lower end above its upper end"
    case .invalidIndex(let field, let index, let count):
      return "\(field) holds \(index); allowed values are 0...\(count - 1)"
    }
  }

  /// The accepted range for figure and canvas sides, in pixels.
  static let sideRange = 1...16_384

  static func checkFinite(_ values: [Double], field: String) throws(PlotError) {
    try checkFinite(values, at: values.indices, field: field)
  }

  /// Checks only the elements at `indices` (the others are not plotted).
  static func checkFinite(_ values: [Double], at indices: some Sequence<Int>, field: String) throws(PlotError) {
    for index in indices where !values[index].isFinite {
      throw .nonFiniteValue(field: field, index: index)
    }
  }
}

/// Bad input to a statistics routine: the case names the field and says what is allowed.
///
/// Statistics run on user data (scores read back from `results/`), so every malformed input is a
/// typed error, never a crash or a silent NaN (design.md §10).
public enum StatisticsError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A sample had fewer values than the routine needs.
  case tooFewValues(field: String, count: Int, minimum: Int)
  /// A value was NaN or infinite.
  case nonFiniteValue(field: String, index: Int, value: Double)
  /// Nested rows of a score matrix had different lengths.
  case raggedRows(field: String, row: Int, expected: Int, actual: Int)
  /// A flat buffer did not hold `rows × columns` values.
  case shapeMismatch(field: String, expected: Int, actual: Int)
  /// Two score matrices (or a matrix and its anchors) disagreed on the number of tasks.
  case taskCountMismatch(field: String, expected: Int, actual: Int)
  /// A probability-like parameter was outside its allowed open or closed interval.
  case outOfRange(field: String, value: Double, allowed: String)
  /// A count parameter was below its minimum.
  case countTooSmall(field: String, value: Int, minimum: Int)
  /// A normalisation anchor had `reference == random`, so `(s − random)/(reference − random)`
  /// is undefined.
  case degenerateAnchor(random: Double, reference: Double)
  /// Both samples of a t-test have zero variance, so the statistic is undefined.
  case zeroVariance(field: String)

  public var description: String {
    switch self {
    case .tooFewValues(let field, let count, let minimum):
      return "\(field) has \(count) value(s); at least \(minimum) required"
    case .nonFiniteValue(let field, let index, let value):
      return "\(field)[\(index)] is \(value); only finite values are allowed"
    case .raggedRows(let field, let row, let expected, let actual):
      return "\(field) row \(row) has \(actual) value(s); every row must have \(expected)"
    case .shapeMismatch(let field, let expected, let actual):
      return "\(field) has \(actual) value(s); the shape requires exactly \(expected)"
    case .taskCountMismatch(let field, let expected, let actual):
      return "\(field) has \(actual) task(s); expected \(expected)"
    case .outOfRange(let field, let value, let allowed):
      return "\(field) is \(value); allowed values are \(allowed)"
    case .countTooSmall(let field, let value, let minimum):
      return "\(field) is \(value); it must be at least \(minimum)"
    case .degenerateAnchor(let random, let reference):
      return "normalisation anchor has reference = random = \(reference) (random \(random)); "
        + "reference must differ from random"
    case .zeroVariance(let field):
      return "\(field): both samples have zero variance; the t statistic is undefined"
    }
  }

  /// Throws ``nonFiniteValue(field:index:value:)`` for the first NaN or infinity in `values`.
  static func checkFinite(_ values: [Double], field: String) throws(StatisticsError) {
    for (index, value) in values.enumerated() where !value.isFinite {
      throw .nonFiniteValue(field: field, index: index, value: value)
    }
  }

  /// Throws ``tooFewValues(field:count:minimum:)`` unless `values` has at least `minimum` elements.
  static func checkCount(_ values: [Double], minimum: Int, field: String) throws(StatisticsError) {
    if values.count < minimum {
      throw .tooFewValues(field: field, count: values.count, minimum: minimum)
    }
  }
}

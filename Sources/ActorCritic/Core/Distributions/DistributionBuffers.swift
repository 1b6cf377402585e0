import LinearAlgebra

// Shape checks and buffer fitting shared by the distributions. Outputs are resized to fit (no
// allocation when they already have the right size); gradients must already have the right shape
// because they accumulate.

/// The batch size of `parameters`, after checking its width.
@inline(__always)
func batchSize(of parameters: Matrix, columns: Int, _ name: StaticString = "parameters") -> Int {
  precondition(
    parameters.columns == columns,
    "\(name) must have \(columns) columns, got \(parameters.columns)")
  return parameters.rows
}

/// Checks that a matrix has exactly the given shape (programmer error otherwise).
@inline(__always)
func checkShape(_ matrix: Matrix, rows: Int, columns: Int, _ name: StaticString) {
  precondition(
    matrix.rows == rows && matrix.columns == columns,
    "\(name) must be \(rows)×\(columns), got \(matrix.rows)×\(matrix.columns)")
}

/// Checks that a per-row weight vector has one entry per row.
@inline(__always)
func checkWeights(_ weights: [Float], rows: Int) {
  precondition(weights.count == rows, "weights must have \(rows) entries, got \(weights.count)")
}

/// Gives `matrix` the shape `rows × columns`, reusing its storage.
@inline(__always)
func fit(_ matrix: inout Matrix, rows: Int, columns: Int) {
  if matrix.rows != rows || matrix.columns != columns { matrix.reshape(rows: rows, columns: columns) }
}

/// Gives `array` exactly `count` elements, reusing its storage.
@inline(__always)
func fit(_ array: inout [Float], count: Int) {
  if array.count > count {
    array.removeLast(array.count - count)
  } else if array.count < count {
    array.append(contentsOf: repeatElement(0, count: count - array.count))
  }
}

/// The integer action stored in a Float action matrix, checked against `0 ..< n`.
@inline(__always)
func discreteAction(_ value: Float, below n: Int) -> Int {
  precondition(
    value >= 0 && value < Float(n) && value == value.rounded(.towardZero),
    "discrete action must be an integer in 0..<\(n), got \(value)")
  return Int(value)
}

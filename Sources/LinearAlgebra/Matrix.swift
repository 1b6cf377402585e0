/// A dense, row-major matrix of `Float` (32-bit, as the TensorFlow reference computes networks).
///
/// Element `(i, j)` lives at `elements[i * columns + j]`. A batch of vectors is a matrix with one
/// row per sample, so a dense layer is `Y = X W + b` with `W` of shape `[inputs, outputs]`, the
/// layout of the stable-baselines checkpoints.
///
/// `Matrix` has value semantics (copy-on-write through its array). Hot loops reuse matrices with
/// ``reshape(rows:columns:)`` and the `into:` forms of the BLAS wrappers so that steady-state
/// training allocates nothing.
public struct Matrix: Equatable, Sendable, CustomStringConvertible {
  /// Number of rows.
  public private(set) var rows: Int
  /// Number of columns.
  public private(set) var columns: Int
  /// The elements in row-major order; `count == rows * columns`.
  public var elements: [Float]

  /// A `rows × columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Float = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be ≥ 0, got \(rows)×\(columns)")
    self.rows = rows
    self.columns = columns
    self.elements = [Float](repeating: value, count: rows * columns)
  }

  /// A `rows × columns` matrix over the given row-major elements.
  public init(rows: Int, columns: Int, elements: [Float]) {
    precondition(
      elements.count == rows * columns,
      "matrix of \(rows)×\(columns) needs \(rows * columns) elements, got \(elements.count)")
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// A matrix from nested rows (convenient in tests).
  public init(_ nestedRows: [[Float]]) {
    let columns = nestedRows.first?.count ?? 0
    precondition(nestedRows.allSatisfy { $0.count == columns }, "all rows must have the same length")
    self.init(rows: nestedRows.count, columns: columns, elements: nestedRows.flatMap { $0 })
  }

  /// The `n × n` identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.elements[i * n + i] = 1 }
    return m
  }

  /// Number of elements.
  @inlinable public var count: Int { elements.count }

  /// Element `(row, column)`.
  @inlinable public subscript(row: Int, column: Int) -> Float {
    get { elements[row * columns + column] }
    set { elements[row * columns + column] = newValue }
  }

  /// Changes the shape, keeping the storage (and reallocating only when it must grow).
  ///
  /// The contents after a reshape that changes the element count are unspecified (zeros for new
  /// elements); this is meant for reusing scratch buffers.
  public mutating func reshape(rows: Int, columns: Int) {
    let needed = rows * columns
    if elements.count != needed {
      if elements.count > needed {
        elements.removeLast(elements.count - needed)
      } else {
        elements.append(contentsOf: repeatElement(0, count: needed - elements.count))
      }
    }
    self.rows = rows
    self.columns = columns
  }

  /// Row `i` as an array (allocates; not for hot loops).
  public func row(_ i: Int) -> [Float] { Array(elements[(i * columns)..<((i + 1) * columns)]) }

  /// The transpose (allocates).
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for i in 0..<rows { for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] } }
    return t
  }

  public var description: String {
    (0..<rows).map { i in row(i).map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n")
  }
}

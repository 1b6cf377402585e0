import LinearAlgebra

/// A trainable tensor with its gradient buffer.
///
/// Values and gradients are stored as `Matrix` so that BLAS routines work on them directly:
/// a dense weight is `[inputs, outputs]`, a bias or a state-independent log-std is `[1, n]`.
/// ``shape`` records the reference (stable-baselines / TensorFlow) shape used in checkpoints,
/// e.g. `[64]` for a bias, and ``name`` the reference variable name, e.g. `model/pi_fc0/w:0`.
public final class Parameter {
  /// The reference variable name (`model/pi_fc0/w:0`).
  public let name: String
  /// The reference shape as stored in checkpoints.
  public let shape: [Int]
  /// The current value.
  public var value: Matrix
  /// The gradient of the current loss with respect to ``value`` (same shape).
  public var gradient: Matrix

  /// Creates a zero-initialised parameter stored as a `rows × columns` matrix.
  public init(name: String, shape: [Int], rows: Int, columns: Int) {
    precondition(shape.reduce(1, *) == rows * columns, "shape \(shape) does not hold \(rows)×\(columns)")
    self.name = name
    self.shape = shape
    self.value = Matrix(rows: rows, columns: columns)
    self.gradient = Matrix(rows: rows, columns: columns)
  }

  /// Number of scalars.
  public var count: Int { value.count }

  /// Sets the gradient to zero.
  public func zeroGradient() {
    gradient.elements.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
  }
}

extension Array where Element == Parameter {
  /// The total number of scalars.
  public var scalarCount: Int { reduce(0) { $0 + $1.count } }

  /// All values concatenated (allocates; for tests and persistence).
  public var flattenedValues: [Float] { flatMap { $0.value.elements } }

  /// All gradients concatenated (allocates; for tests).
  public var flattenedGradients: [Float] { flatMap { $0.gradient.elements } }

  /// Sets every gradient to zero.
  public func zeroGradients() { for p in self { p.zeroGradient() } }
}

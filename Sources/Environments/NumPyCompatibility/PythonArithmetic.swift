/// The few Python/NumPy scalar operations whose exact semantics the environments depend on.
enum PythonArithmetic {
  /// `np.clip(x, low, high)` for floats: `min(max(x, low), high)` with NumPy's NaN propagation.
  ///
  /// ```
  /// isnan(x) ? x : (m < high ? m : high)  where  m = x > low ? x : low
  /// ```
  @inline(__always)
  static func clip<T: BinaryFloatingPoint>(_ x: T, _ low: T, _ high: T) -> T {
    if x.isNaN { return x }
    let raised = x > low ? x : low
    return raised < high ? raised : high
  }

  /// Python's builtin `max(x, y)`: keeps the first argument unless the second is greater.
  @inline(__always)
  static func max<T: Comparable>(_ x: T, _ y: T) -> T { y > x ? y : x }

  /// Python's builtin `min(x, y)`: keeps the first argument unless the second is smaller.
  @inline(__always)
  static func min<T: Comparable>(_ x: T, _ y: T) -> T { y < x ? y : x }

  /// Python's and NumPy's float `a % b` (`npy_divmod`): the remainder takes the sign of `b`.
  ///
  /// ```
  /// m = fmod(a, b);  if m ≠ 0 and sign(m) ≠ sign(b): m += b;  if m == 0: m = copysign(0, b)
  /// ```
  @inline(__always)
  static func remainder(_ a: Double, _ b: Double) -> Double {
    var mod = a.truncatingRemainder(dividingBy: b)
    if b == 0 { return mod }
    if mod != 0 {
      if (b < 0) != (mod < 0) { mod += b }
    } else {
      mod = Double(signOf: b, magnitudeOf: 0)
    }
    return mod
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// `x ** y` on NumPy scalars: a call to libm's `pow`, never folded into `x * x`.
///
/// NumPy evaluates `x**2` on a float64 scalar with libm `pow`, which differs from the correctly
/// rounded `x * x` in about 0.1% of cases. Optimised builds let LLVM rewrite `pow(x, 2.0)` as
/// `x * x`; `@_optimize(none)` keeps this call opaque so that release builds reproduce Gymnasium
/// bit for bit, as debug builds do (the parity tests run in release).
@inline(never) @_optimize(none)
func numpyPower(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// `x ** y` on NumPy float32 scalars: libm's `powf`, never folded into `x * x`.
@inline(never) @_optimize(none)
func numpyPower(_ x: Float, _ y: Float) -> Float { powf(x, y) }

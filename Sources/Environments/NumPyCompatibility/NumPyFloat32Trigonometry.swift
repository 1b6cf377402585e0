#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NumPy's own `float32` sine and cosine, bit for bit (`np.sin`/`np.cos` on `float32` input).
///
/// NumPy 2.x (`numpy/_core/src/umath/loops_trigonometric.dispatch.cpp`, `simd_sincos_f32`) does not
/// call libm for `float32` on CPUs with FMA3; it runs a Cody–Waite reduction and minimax
/// polynomials in `float32` with fused multiply–adds (max error 1.49 ulp), and falls back to
/// `sinf`/`cosf` only for large arguments:
/// ```
/// q  = rint(x · 2/π)                                  (via the 1.5·2²³ magic constant)
/// r  = fma(q, −π/2_lo, fma(q, −π/2_mid, fma(q, −π/2_hi, x)))
/// cos ≈ 1 + r²(−1/2 + r²(c4 + r²(c6 + r² c8)))       sin ≈ r + r·r²(s3 + r²(s5 + r²(s7 + r² s9)))
/// k  = q (+1 for cosine);  result = (k odd ? cos : sin) · (k & 2 ? −1 : 1)
/// |x| > 71476.0625 (cos) or > 117435.992 (sin):  libm cosf / sinf
/// ```
/// Acrobot-v1 is the only place this matters: its `reset()` stores the state as `float32`, so the
/// first observation's `cos`/`sin` go through these kernels (they differ from
/// `Float(cos(Double(x)))` in about 0.1 % of resets near 0 and far more often elsewhere).
///
/// Deviation: on CPUs without FMA3 (or non-x86 builds of NumPy without this kernel) NumPy uses
/// libm's `sinf`/`cosf` instead; we always reproduce the FMA3 kernel, which is what NumPy runs on
/// every x86-64 machine of the last decade.
enum NumPyFloat32Trigonometry {
  /// `np.sin(np.float32(x))`.
  static func sin(_ x: Float) -> Float { evaluate(x, cosine: false) }

  /// `np.cos(np.float32(x))`.
  static func cos(_ x: Float) -> Float { evaluate(x, cosine: true) }

  private static func evaluate(_ input: Float, cosine: Bool) -> Float {
    if input.isNaN { return .nan }
    let codyWaiteLimit: Float = cosine ? 71476.0625 : 117435.992
    guard abs(input) <= codyWaiteLimit else {
      return cosine ? cosf(input) : sinf(input)
    }
    let twoOverPi: Float = 0x1.45f306p-1
    let pio2High: Float = -0x1.921fb0p+00
    let pio2Medium: Float = -0x1.5110b4p-22
    let pio2Low: Float = -0x1.846988p-48
    let rintMagic: Float = 0x1.800000p+23

    var quadrant = input * twoOverPi
    quadrant = quadrant + rintMagic
    quadrant = quadrant - rintMagic

    var reduced = input.addingProduct(quadrant, pio2High)
    reduced = reduced.addingProduct(quadrant, pio2Medium)
    reduced = reduced.addingProduct(quadrant, pio2Low)
    let reduced2 = reduced * reduced

    var cosinePolynomial = (-0x1.6c06dcp-10 as Float).addingProduct(0x1.98e616p-16, reduced2)
    cosinePolynomial = (0x1.55553cp-05 as Float).addingProduct(cosinePolynomial, reduced2)
    cosinePolynomial = (-0x1.000000p-01 as Float).addingProduct(cosinePolynomial, reduced2)
    cosinePolynomial = (0x1.000000p+00 as Float).addingProduct(cosinePolynomial, reduced2)

    var sinePolynomial = (-0x1.a06bbap-13 as Float).addingProduct(0x1.7d3bbcp-19, reduced2)
    sinePolynomial = (0x1.11119ap-07 as Float).addingProduct(sinePolynomial, reduced2)
    sinePolynomial = (-0x1.555556p-03 as Float).addingProduct(sinePolynomial, reduced2)
    sinePolynomial = (0 as Float).addingProduct(sinePolynomial, reduced2)
    sinePolynomial = reduced.addingProduct(sinePolynomial, reduced)

    var k = Int32(quadrant)
    if cosine { k &+= 1 }
    var result = (k & 1) == 0 ? sinePolynomial : cosinePolynomial
    if (k & 2) == 2 { result = 0 - result }
    return result
  }
}

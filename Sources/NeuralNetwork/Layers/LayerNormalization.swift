#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Layer normalisation of one row, as stable-baselines' `_ln` (`common/tf_layers.py`;
/// Ba, Kiros & Hinton 2016, [arXiv:1607.06450](https://arxiv.org/abs/1607.06450)):
///
/// ```
/// μ = mean(z),  σ² = mean((z − μ)²)          (tf.nn.moments over the row)
/// ẑ = (z − μ) / √(σ² + ε),  y = ẑ ⊙ g + b      ε = 1e-5
/// ```
/// Backward, for `dy = ∂L/∂y` (with `dẑ = dy ⊙ g`, `m` the row width):
/// ```
/// ∂L/∂g += dy ⊙ ẑ,   ∂L/∂b += dy,   ∂L/∂z = (1/√(σ² + ε)) · (dẑ − mean(dẑ) − ẑ · mean(dẑ ⊙ ẑ))
/// ```
/// Free functions on raw pointers, so the recurrent layers call them per row without allocating.
public enum LayerNormalization {
  /// stable-baselines' `_ln` epsilon.
  public static let epsilon: Float = 1e-5

  /// Normalises `z` (`count` values): writes `ẑ` into `normalized` and returns `1/√(σ² + ε)`.
  @inlinable
  public static func normalize(
    _ z: UnsafePointer<Float>, count: Int, into normalized: UnsafeMutablePointer<Float>
  ) -> Float {
    var sum: Float = 0
    for j in 0..<count { sum += z[j] }
    let mean = sum / Float(count)
    var squares: Float = 0
    for j in 0..<count {
      let d = z[j] - mean
      squares += d * d
    }
    let inverseDeviation = 1 / (squares / Float(count) + epsilon).squareRoot()
    for j in 0..<count { normalized[j] = (z[j] - mean) * inverseDeviation }
    return inverseDeviation
  }

  /// Back-propagates `dy` through `y = ẑ ⊙ g + b` and the normalisation of one row.
  ///
  /// - Parameters:
  ///   - outputGradient: `dy`, `count` values.
  ///   - normalized: `ẑ` of the forward pass.
  ///   - inverseDeviation: `1/√(σ² + ε)` of the forward pass.
  ///   - gain: `g`.
  ///   - gainGradient, biasGradient: accumulate `dy ⊙ ẑ` and `dy` (or `nil` to skip them).
  ///   - inputGradient: receives `∂L/∂z`.
  @inlinable
  public static func backward(
    _ outputGradient: UnsafePointer<Float>, normalized: UnsafePointer<Float>, inverseDeviation: Float,
    gain: UnsafePointer<Float>, count: Int, gainGradient: UnsafeMutablePointer<Float>?,
    biasGradient: UnsafeMutablePointer<Float>?, inputGradient: UnsafeMutablePointer<Float>
  ) {
    if let gainGradient, let biasGradient {
      for j in 0..<count {
        gainGradient[j] += outputGradient[j] * normalized[j]
        biasGradient[j] += outputGradient[j]
      }
    }
    var meanGradient: Float = 0
    var meanProjection: Float = 0
    for j in 0..<count {
      let d = outputGradient[j] * gain[j]
      meanGradient += d
      meanProjection += d * normalized[j]
    }
    meanGradient /= Float(count)
    meanProjection /= Float(count)
    for j in 0..<count {
      let d = outputGradient[j] * gain[j]
      inputGradient[j] = inverseDeviation * (d - meanGradient - normalized[j] * meanProjection)
    }
  }
}

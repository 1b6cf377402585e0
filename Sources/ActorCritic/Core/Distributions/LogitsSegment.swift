import Foundation
import Randomness

/// Kernels for one softmax (categorical) distribution over the `n` logits at `l`, shared by
/// ``Categorical`` and ``MultiCategorical``.
///
/// Every kernel max-shifts first (SB2 `CategoricalProbabilityDistribution`):
/// ```
/// a = l − max l,   z = Σ e^a,   log p = a − log z,   p = e^a / z
/// ```
/// so logits of any magnitude give finite results. Nothing here allocates.
enum LogitsSegment {
  /// `max_j l_j`.
  @inline(__always)
  static func maximum(_ l: UnsafePointer<Float>, _ n: Int) -> Float {
    var m = l[0]
    for j in 1..<n where l[j] > m { m = l[j] }
    return m
  }

  /// `log z = log Σ_j e^{l_j − m}` for the shift `m = max l`.
  @inline(__always)
  static func logNormalizer(_ l: UnsafePointer<Float>, _ n: Int, shift m: Float) -> Float {
    var z: Float = 0
    for j in 0..<n { z += exp(l[j] - m) }
    return log(z)
  }

  /// The first index of the largest logit (TensorFlow's `argmax` tie rule).
  @inline(__always)
  static func argmax(_ l: UnsafePointer<Float>, _ n: Int) -> Int {
    var best = 0
    var m = l[0]
    for j in 1..<n where l[j] > m {
      m = l[j]
      best = j
    }
    return best
  }

  /// Gumbel-max sampling: `argmax_j (l_j − log(−log u_j))`, `u_j ~ U(0, 1)`, one draw per logit.
  // Deviation: SB2 draws u from tf.random_uniform on [0, 1) in float32; u = 0 would give
  // −log(−log 0) = −∞, which never wins anyway. We draw u on the open interval (0, 1) in Double
  // (`uniformPositive`) so the Gumbel noise is always finite.
  @inline(__always)
  static func gumbelArgmax(_ l: UnsafePointer<Float>, _ n: Int, _ random: RandomStream) -> Int {
    var best = 0
    var bestValue = -Double.infinity
    for j in 0..<n {
      let value = Double(l[j]) - log(-log(random.uniformPositive()))
      if value > bestValue {
        bestValue = value
        best = j
      }
    }
    return best
  }

  /// `log p_x = a_x − log z`.
  @inline(__always)
  static func logProbability(_ l: UnsafePointer<Float>, _ n: Int, action x: Int) -> Float {
    let m = maximum(l, n)
    return (l[x] - m) - logNormalizer(l, n, shift: m)
  }

  /// `H = Σ_j p_j (log z − a_j)`.
  @inline(__always)
  static func entropy(_ l: UnsafePointer<Float>, _ n: Int) -> Float {
    let m = maximum(l, n)
    let logZ = logNormalizer(l, n, shift: m)
    var h: Float = 0
    for j in 0..<n {
      let logP = (l[j] - m) - logZ
      h -= exp(logP) * logP
    }
    return h
  }

  /// `KL(p ‖ q) = Σ_j p_j (a_pj − log z_p − a_qj + log z_q)`.
  @inline(__always)
  static func kl(_ lp: UnsafePointer<Float>, _ lq: UnsafePointer<Float>, _ n: Int) -> Float {
    let mp = maximum(lp, n), mq = maximum(lq, n)
    let logZp = logNormalizer(lp, n, shift: mp), logZq = logNormalizer(lq, n, shift: mq)
    var d: Float = 0
    for j in 0..<n {
      let logP = (lp[j] - mp) - logZp
      let logQ = (lq[j] - mq) - logZq
      d += exp(logP) * (logP - logQ)
    }
    return d
  }

  /// `out_j = p_j = e^{a_j} / z`.
  @inline(__always)
  static func softmax(_ l: UnsafePointer<Float>, _ n: Int, into out: UnsafeMutablePointer<Float>) {
    let m = maximum(l, n)
    let logZ = logNormalizer(l, n, shift: m)
    for j in 0..<n { out[j] = exp((l[j] - m) - logZ) }
  }

  /// `g_j += w · (1[j = x] − p_j)`, the gradient of `w · log p_x`.
  @inline(__always)
  static func addLogProbabilityGradient(
    _ l: UnsafePointer<Float>, _ n: Int, action x: Int, weight w: Float,
    into g: UnsafeMutablePointer<Float>
  ) {
    let m = maximum(l, n)
    let logZ = logNormalizer(l, n, shift: m)
    for j in 0..<n { g[j] -= w * exp((l[j] - m) - logZ) }
    g[x] += w
  }

  /// `g_j += w · p_j (−log p_j − H)`, the gradient of `w · H`.
  @inline(__always)
  static func addEntropyGradient(
    _ l: UnsafePointer<Float>, _ n: Int, weight w: Float, into g: UnsafeMutablePointer<Float>
  ) {
    let m = maximum(l, n)
    let logZ = logNormalizer(l, n, shift: m)
    var h: Float = 0
    for j in 0..<n {
      let logP = (l[j] - m) - logZ
      h -= exp(logP) * logP
    }
    for j in 0..<n {
      let logP = (l[j] - m) - logZ
      g[j] += w * exp(logP) * (-logP - h)
    }
  }

  /// `g_j += w · p_j (log p_j − log q_j − KL)`, the gradient of `w · KL(p ‖ q)` w.r.t. `l_p`.
  @inline(__always)
  static func addKLGradientFrom(
    _ lp: UnsafePointer<Float>, _ lq: UnsafePointer<Float>, _ n: Int, weight w: Float,
    into g: UnsafeMutablePointer<Float>
  ) {
    let mp = maximum(lp, n), mq = maximum(lq, n)
    let logZp = logNormalizer(lp, n, shift: mp), logZq = logNormalizer(lq, n, shift: mq)
    var d: Float = 0
    for j in 0..<n {
      let logP = (lp[j] - mp) - logZp
      d += exp(logP) * (logP - ((lq[j] - mq) - logZq))
    }
    for j in 0..<n {
      let logP = (lp[j] - mp) - logZp
      g[j] += w * exp(logP) * (logP - ((lq[j] - mq) - logZq) - d)
    }
  }

  /// `g_j += w · (q_j − p_j)`, the gradient of `w · KL(p ‖ q)` w.r.t. `l_q`.
  @inline(__always)
  static func addKLGradientTo(
    _ lp: UnsafePointer<Float>, _ lq: UnsafePointer<Float>, _ n: Int, weight w: Float,
    into g: UnsafeMutablePointer<Float>
  ) {
    let mp = maximum(lp, n), mq = maximum(lq, n)
    let logZp = logNormalizer(lp, n, shift: mp), logZq = logNormalizer(lq, n, shift: mq)
    for j in 0..<n {
      g[j] += w * (exp((lq[j] - mq) - logZq) - exp((lp[j] - mp) - logZp))
    }
  }

  /// `g_j += p_j (c_j − Σ_k p_k c_k)`, the vector–Jacobian product of the softmax.
  @inline(__always)
  static func addSoftmaxVJP(
    _ l: UnsafePointer<Float>, _ n: Int, cotangent c: UnsafePointer<Float>,
    into g: UnsafeMutablePointer<Float>
  ) {
    let m = maximum(l, n)
    let logZ = logNormalizer(l, n, shift: m)
    var s: Float = 0
    for j in 0..<n { s += exp((l[j] - m) - logZ) * c[j] }
    for j in 0..<n { g[j] += exp((l[j] - m) - logZ) * (c[j] - s) }
  }
}

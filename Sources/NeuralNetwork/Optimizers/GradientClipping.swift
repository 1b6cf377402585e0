import LinearAlgebra

/// Rescales gradients to a maximum global norm, as `tf.clip_by_global_norm(grads, c)`.
///
/// ```
/// N = sqrt(Σ_p ‖g_p‖²);   g_p ← g_p · c / max(N, c)
/// ```
/// - Returns: the global norm `N` before clipping (stable-baselines does not log it; we do).
@discardableResult
public func clipByGlobalNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
  precondition(maxNorm > 0, "maxNorm must be positive, got \(maxNorm)")
  let norm = globalNorm(parameters)
  if norm > maxNorm {
    let factor = maxNorm / norm
    for p in parameters { scale(&p.gradient.elements, by: factor) }
  }
  return norm
}

/// The global L2 norm of all gradients, `sqrt(Σ_p ‖g_p‖²)`, accumulated in `Double`.
public func globalNorm(_ parameters: [Parameter]) -> Float {
  var sum = 0.0
  for p in parameters {
    p.gradient.elements.withUnsafeBufferPointer { g in
      for x in g { sum += Double(x) * Double(x) }
    }
  }
  return Float(sum.squareRoot())
}

/// Retrace targets for ACER's Q head (Munos et al. 2016, "Safe and efficient off-policy
/// reinforcement learning", [arXiv:1606.02647](https://arxiv.org/abs/1606.02647); as used by
/// Wang et al. 2017, [arXiv:1611.01224](https://arxiv.org/abs/1611.01224), eq. 5).
///
/// For each environment of an env-major rollout `[E, T]`, backwards from `Q_ret = V_T`:
/// ```
/// Q_ret ← r_t + γ (1 − d_t) Q_ret;    qret_t = Q_ret
/// Q_ret ← min(1, ρ_t^i) (Q_ret − q_t^i) + V_t
/// ```
/// with `d_t` = the episode ended after action `t`, `q_t^i = Q(s_t, a_t)`, `ρ_t^i = f_t(a_t)/μ_t(a_t)`
/// and `V_t = Σ_a f_t(a) Q(s_t, a)`. The truncation constant is 1, not ACER's `c`
/// (hill-a/stable-baselines `acer/acer_simple.py` `q_retrace`, algorithms.md §4.6).
///
/// Oracle (algorithms.md §4.6): `r = [1, 0, 1]`, `d = 0`, `q^i = [.5, .2, .3]`,
/// `V = [.4, .1, .2, 1.0]`, `ρ^i = [2, .5, 1]`, `γ = .9` gives `[1.729, 1.62, 1.9]`; with
/// `d = [0, 1, 0]` it gives `[1.0, 0.0, 1.9]`.
///
/// - Parameters:
///   - rewards, dones, actionValues, importanceWeights: `E·T` entries, row `env·T + t`
///     (`importanceWeights` untruncated; the `min(1, ·)` is applied here).
///   - values: `E·(T+1)` entries, row `env·(T+1) + t`; the last of each environment is `V_T`.
///   - gamma: the discount γ.
///   - steps: `T`.
///   - targets: output, `E·T` entries (overwritten; resized if needed).
public func retraceTargets(
  rewards: [Float], dones: [Bool], actionValues: [Float], values: [Float], importanceWeights: [Float],
  gamma: Float, steps: Int, into targets: inout [Float]
) {
  precondition(steps >= 1, "retraceTargets: steps must be ≥ 1")
  let count = rewards.count
  let environments = count / steps
  precondition(environments * steps == count, "retraceTargets: rewards must hold E·T entries")
  precondition(
    dones.count == count && actionValues.count == count && importanceWeights.count == count,
    "retraceTargets: rewards, dones, actionValues and importanceWeights must all hold E·T entries")
  precondition(values.count == environments * (steps + 1), "retraceTargets: values must hold E·(T+1) entries")
  if targets.count != count { targets = [Float](repeating: 0, count: count) }
  targets.withUnsafeMutableBufferPointer { out in
    for env in 0..<environments {
      var qret = values[env * (steps + 1) + steps]
      for t in stride(from: steps - 1, through: 0, by: -1) {
        let i = env * steps + t
        qret = rewards[i] + gamma * qret * (dones[i] ? 0 : 1)
        out[i] = qret
        qret = min(1, importanceWeights[i]) * (qret - actionValues[i]) + values[env * (steps + 1) + t]
      }
    }
  }
}

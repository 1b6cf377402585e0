/// Discounted returns that restart at episode ends (OpenAI baselines `discount_with_dones`).
///
/// Backwards from `ret = 0`:
/// ```
/// ret ← r_t + γ · ret · (1 − d_t);   R_t = ret
/// ```
/// where `d_t` says the episode ended after action `t`.
/// Oracle (algorithms.md §2.2): `r = [1,1,1]`, `d = [0,1,0]`, `γ = 0.9` with a bootstrap value 5
/// appended gives `[1.9, 1.0, 5.5]`.
public func discountWithDones(rewards: [Float], dones: [Bool], gamma: Float) -> [Float] {
  precondition(rewards.count == dones.count, "rewards and dones must have the same length")
  var result = [Float](repeating: 0, count: rewards.count)
  var ret: Float = 0
  for t in stride(from: rewards.count - 1, through: 0, by: -1) {
    ret = rewards[t] + gamma * ret * (dones[t] ? 0 : 1)
    result[t] = ret
  }
  return result
}

/// n-step bootstrapped returns for an env-major rollout `[E, T]` (stable-baselines `A2CRunner`).
///
/// For each env, with `d_t` = done after step `t` and `V(s_T)` = `lastValues[env]`:
/// ```
/// R_t = r_t + γ (1 − d_t) R_{t+1},   R_T = V(s_T)
/// ```
/// which equals SB2's two cases (bootstrap only when the last step did not end an episode).
/// - Parameters:
///   - rewards, dones: `E·T` entries, row `env·T + t`.
///   - lastValues: `E` bootstrap values `V(s_T)`.
///   - returns: output, `E·T` entries (overwritten).
public func nStepReturns(
  rewards: [Float], dones: [Bool], lastValues: [Float], gamma: Float, steps: Int,
  into returns: inout [Float]
) {
  let envs = lastValues.count
  precondition(rewards.count == envs * steps && dones.count == envs * steps, "rollout must be E·T long")
  if returns.count != rewards.count { returns = [Float](repeating: 0, count: rewards.count) }
  for env in 0..<envs {
    var ret = lastValues[env]
    for t in stride(from: steps - 1, through: 0, by: -1) {
      let i = env * steps + t
      ret = rewards[i] + gamma * ret * (dones[i] ? 0 : 1)
      returns[i] = ret
    }
  }
}

/// Generalised advantage estimation (Schulman et al. 2016,
/// [arXiv:1506.02438](https://arxiv.org/abs/1506.02438)) as stable-baselines' PPO2 runner, used by
/// ACKTR with `gae_lambda` (algorithms.md §3.7).
///
/// With `done_{t+1}` = "the episode ended after action t":
/// ```
/// δ_t = r_t + γ V_{t+1} (1 − done_{t+1}) − V_t
/// Â_t = δ_t + γ λ (1 − done_{t+1}) Â_{t+1}
/// ```
/// `V_T` is `lastValues`. Writes the advantages `Â` (env-major, `E·T`).
public func generalizedAdvantages(
  rewards: [Float], values: [Float], dones: [Bool], lastValues: [Float], gamma: Float, lambda: Float,
  steps: Int, into advantages: inout [Float]
) {
  let envs = lastValues.count
  precondition(rewards.count == envs * steps && values.count == rewards.count, "rollout must be E·T long")
  if advantages.count != rewards.count { advantages = [Float](repeating: 0, count: rewards.count) }
  for env in 0..<envs {
    var running: Float = 0
    for t in stride(from: steps - 1, through: 0, by: -1) {
      let i = env * steps + t
      let notDone: Float = dones[i] ? 0 : 1
      let nextValue = t == steps - 1 ? lastValues[env] : values[i + 1]
      let delta = rewards[i] + gamma * nextValue * notDone - values[i]
      running = delta + gamma * lambda * notDone * running
      advantages[i] = running
    }
  }
}

/// The fraction of the variance of `targets` that `predictions` explain (SB2 `explained_variance`).
///
/// ```
/// ev = 1 − Var[y − ŷ] / Var[y]      (NaN when Var[y] = 0, as NumPy gives)
/// ```
public func explainedVariance(predictions: [Float], targets: [Float]) -> Double {
  precondition(predictions.count == targets.count, "predictions and targets differ in length")
  let n = Double(targets.count)
  guard n > 0 else { return .nan }
  var meanY = 0.0, meanD = 0.0
  for (p, y) in zip(predictions, targets) {
    meanY += Double(y)
    meanD += Double(y) - Double(p)
  }
  meanY /= n
  meanD /= n
  var varY = 0.0, varD = 0.0
  for (p, y) in zip(predictions, targets) {
    let dy = Double(y) - meanY
    let dd = Double(y) - Double(p) - meanD
    varY += dy * dy
    varD += dd * dd
  }
  return varY == 0 ? .nan : 1 - varD / varY
}

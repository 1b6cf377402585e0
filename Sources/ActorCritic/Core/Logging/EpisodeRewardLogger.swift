/// stable-baselines 2's `total_episode_reward_logger` (`common/tf_util.py`): the `episode_reward`
/// scalar, one point per completed training episode, from the rollouts' rewards.
///
/// SB2 feeds it `masks[e, t]` = "an episode ended just before step `t`" (the runner's previous
/// `dones`, carried across rollouts) and, per environment `e`, with `d₀ < d₁ < …` the steps whose
/// mask is set and `N` the step count after the rollout:
/// ```
/// no mask set:  acc[e] += Σ_{t<T} r[e, t]
/// otherwise:    acc[e] += Σ_{t<d₀} r[e, t];                 log acc[e]                 at step N + d₀
///               for k ≥ 1: acc[e] = Σ_{d_{k−1} ≤ t < d_k} r;  log acc[e]                 at step N + d_k
///               acc[e] = Σ_{t ≥ d_last} r[e, t]
/// ```
/// So an episode ending at step `t < T − 1` of a rollout is logged at `N + t + 1`, one ending at
/// the rollout's last step at the next rollout's `N′ + 0`; the sums are the (possibly normalised)
/// rewards the learner saw. The accumulators live as long as the environment (SB2 resets
/// `episode_reward` in `set_env`).
struct EpisodeRewardLogger {
  /// `acc[e]`, SB2's `episode_reward`.
  private(set) var accumulated: [Double]
  /// Whether each environment's last step ended an episode (the next rollout's `masks[e, 0]`).
  private var endedLastStep: [Bool]

  init(environmentCount: Int) {
    accumulated = [Double](repeating: 0, count: environmentCount)
    endedLastStep = [Bool](repeating: false, count: environmentCount)
  }

  /// The `(step, episode reward)` points of one rollout, env-major as SB2 writes them.
  ///
  /// - Parameters:
  ///   - rewards: `[E·T]`, row `e·T + t`.
  ///   - dones: `[E·T]`: the episode ended after step `t` (SB2's masks are these shifted by one).
  ///   - timesteps: `N`, environment steps after the rollout.
  mutating func feed(rewards: [Float], dones: [Bool], steps T: Int, timesteps: Int) -> [(step: Int, value: Double)] {
    var points: [(step: Int, value: Double)] = []
    for e in accumulated.indices {
      let base = e * T
      var previous: Int? = nil
      for t in 0..<T {
        let mask = t == 0 ? endedLastStep[e] : dones[base + t - 1]
        guard mask else { continue }
        let from = previous ?? 0
        let sum = (from..<t).reduce(0.0) { $0 + Double(rewards[base + $1]) }
        accumulated[e] = previous == nil ? accumulated[e] + sum : sum
        points.append((timesteps + t, accumulated[e]))
        previous = t
      }
      let tail = ((previous ?? 0)..<T).reduce(0.0) { $0 + Double(rewards[base + $1]) }
      accumulated[e] = previous == nil ? accumulated[e] + tail : tail
      endedLastStep[e] = dones[base + T - 1]
    }
    return points
  }
}

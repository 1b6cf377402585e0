/// stable-baselines 2's ACER `EpisodeStats` (`acer/acer_simple.py`), the source of its table's
/// `mean_episode_length` and `mean_episode_reward`: fed every rollout's rewards and dones, it keeps
/// the length and reward sum of the last 40 completed episodes. Within a rollout it walks
/// environment by environment (so of episodes ending in the same rollout, environment 0's come
/// first), and it sums the rewards the learner saw (normalised ones under reward normalisation).
/// A fresh one is made in every `learn` call.
struct ACEREpisodeStatistics {
  /// SB2's `deque(maxlen=40)`.
  static let window = 40
  private var partialSums: [Double]
  private var partialLengths: [Int]
  private var lengths: [Int] = []
  private var rewards: [Double] = []

  init(environmentCount: Int) {
    partialSums = [Double](repeating: 0, count: environmentCount)
    partialLengths = [Int](repeating: 0, count: environmentCount)
  }

  /// One rollout, `[E·T]` env-major; `dones[e·T + t]`: the episode ended after step `t`.
  mutating func feed(rewards stepRewards: [Float], dones: [Bool], steps T: Int) {
    for e in partialSums.indices {
      for t in 0..<T {
        partialSums[e] += Double(stepRewards[e * T + t])
        partialLengths[e] += 1
        guard dones[e * T + t] else { continue }
        lengths.append(partialLengths[e])
        rewards.append(partialSums[e])
        if lengths.count > Self.window {
          lengths.removeFirst()
          rewards.removeFirst()
        }
        partialSums[e] = 0
        partialLengths[e] = 0
      }
    }
  }

  /// `np.mean` of the lengths, or the integer 0 before any episode (as SB2 prints it).
  var meanLength: LogValue {
    lengths.isEmpty ? .integer(0) : .real(Double(lengths.reduce(0, +)) / Double(lengths.count))
  }

  /// `np.mean` of the reward sums, or the integer 0 before any episode.
  var meanReward: LogValue {
    rewards.isEmpty ? .integer(0) : .real(rewards.reduce(0, +) / Double(rewards.count))
  }
}

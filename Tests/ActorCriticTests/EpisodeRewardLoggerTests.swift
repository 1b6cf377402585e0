import Testing

@testable import ActorCritic

/// SB2's `episode_reward` points and ACER's `EpisodeStats`, against stable-baselines 2.10.2's
/// own code.
@Suite struct EpisodeRewardLoggerTests {
  /// The expected points were printed by SB2's `total_episode_reward_logger` (`common/tf_util.py`,
  /// run with a recording writer) fed the same rollouts with A2C's masks (`done` before each step,
  /// carried across rollouts).
  @Test func pointsAreSB2s() {
    var logger = EpisodeRewardLogger(environmentCount: 2)
    let rollouts: [(rewards: [Float], dones: [Bool])] = [
      ([1, 2, 3, 4, 1, 1, 1, 1], [false, true, false, false, false, false, false, true]),
      ([5, 6, 7, 8, 2, 2, 2, 2], [true, false, true, true, false, false, false, false]),
      ([1, 1, 1, 1, 3, 3, 3, 3], [false, false, false, false, true, false, false, false]),
    ]
    let expected: [[(Int, Double)]] = [[(10, 3)], [(17, 12), (19, 13), (16, 4)], [(24, 8), (25, 11)]]
    for (i, rollout) in rollouts.enumerated() {
      let points = logger.feed(rewards: rollout.rewards, dones: rollout.dones, steps: 4, timesteps: 8 * (i + 1))
      #expect(points.map(\.step) == expected[i].map(\.0), "rollout \(i)")
      #expect(points.map(\.value) == expected[i].map(\.1), "rollout \(i)")
    }
    #expect(logger.accumulated == [4, 9])
  }

  /// ACER's table statistics: the last 40 episodes, env by env within a rollout, integer 0 before
  /// any episode.
  @Test func acerEpisodeStatisticsKeepTheLastFortyInSB2sOrder() {
    var stats = ACEREpisodeStatistics(environmentCount: 2)
    #expect(stats.meanLength == .integer(0) && stats.meanReward == .integer(0))
    // Env 1 ends an episode at t = 0 (length 1, reward 10), env 0 at t = 2 (length 3, reward 3):
    // SB2 appends env 0's first.
    stats.feed(rewards: [1, 1, 1, 10, 0, 0], dones: [false, false, true, true, false, false], steps: 3)
    #expect(stats.meanLength == .real(2) && stats.meanReward == .real(6.5))
    // 40 one-step episodes of reward 1 in env 0 push both out of the window.
    for _ in 0..<40 { stats.feed(rewards: [1, 0], dones: [true, false], steps: 1) }
    #expect(stats.meanLength == .real(1) && stats.meanReward == .real(1))
  }
}

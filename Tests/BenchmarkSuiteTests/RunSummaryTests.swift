import ActorCritic
import BenchmarkSuite
import Testing

@Suite("summary.json's scores")
struct RunSummaryTests {
  /// The last-100 mean is over the last 100 whole episodes: one cut short by a worker restart
  /// (return −21 after a few frames) neither counts nor pushes a whole episode out of the window.
  @Test func lastHundredMeanLeavesOutInterruptedEpisodes() {
    func episode(_ k: Int, _ value: Double, interrupted: Bool = false) -> EpisodeSummary {
      EpisodeSummary(timesteps: k * 100, episodeReturn: value, length: 100, environmentIndex: 0, interrupted: interrupted)
    }
    // 150 whole episodes: the first 50 score 0, the last 100 score 20; an interrupted one among them.
    var episodes = (0..<50).map { episode($0, 0) } + (50..<150).map { episode($0, 20) }
    #expect(RunSummary.lastHundredMean(of: episodes) == 20)
    episodes.insert(episode(140, -21, interrupted: true), at: 140)
    #expect(RunSummary.lastHundredMean(of: episodes) == 20)
    // Counting it would give (99·20 − 21)/100 with the cut one in and one whole episode out.
    #expect(episodes.suffix(100).reduce(0) { $0 + $1.episodeReturn } / 100 == 19.59)
    #expect(RunSummary.lastHundredMean(of: [episode(0, 5, interrupted: true)]).isNaN)
    #expect(RunSummary.lastHundredMean(of: [episode(0, 5), episode(1, 7)]) == 6)
  }
}

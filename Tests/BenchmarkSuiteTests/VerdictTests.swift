import BenchmarkSuite
import Foundation
import Randomness
import Statistics
import Testing

@Suite("Verdict rule")
struct VerdictTests {
  /// A published row: mean P, episode sd σ over k episodes (SE = σ/√k), budget.
  func published(
    mean: Double = 100, sd: Double = 10, episodes: Int = 400, budget: Int = 1000, environment: String = "Unknown-v0"
  ) -> PublishedResult {
    PublishedResult(
      environment: environment, algorithm: .a2c, meanReturn: mean, standardDeviation: sd,
      evaluationTimesteps: 150_000, episodes: episodes, trainingTimesteps: budget, source: "test")
  }

  let rule = VerdictRule.standard

  @Test("Student's t and Holm match their textbook values")
  func primitives() {
    #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 4) - 2.7764451051977987) < 1e-12)
    #expect(abs(StudentT.upperTail(2.7764451051977987, degreesOfFreedom: 4) - 0.025) < 1e-12)
    #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: .infinity) - 1.959963984540054) < 1e-12)
    // statsmodels.stats.multitest.multipletests([0.01, 0.04, 0.03, 0.005], method="holm")[1]
    let adjusted = HolmCorrection.adjusted([0.01, 0.04, 0.03, 0.005])
    for (a, b) in zip(adjusted, [0.03, 0.06, 0.06, 0.02]) { #expect(abs(a - b) < 1e-15) }
    #expect(HolmCorrection.adjusted([0.5, 0.9]) == [1, 1])
  }

  @Test("The prediction interval is x̄ ± t_{0.975, n−1}·√(s²(1 + 1/n) + SE²)")
  func predictionInterval() throws {
    // x̄ = 100, s = 5, n = 3; SE = 10/√400 = 0.5; w = √(25·4/3 + 0.25).
    let w = (25.0 * 4 / 3 + 0.25).squareRoot()
    let t = 4.302652729911275  // t_{0.975, 2}
    let (test, interval) = try #require(rule.predictionTest(scores: [95, 100, 105], published: published(), margin: 0))
    #expect(abs(interval.lower - (100 - t * w)) < 1e-9 && abs(interval.upper - (100 + t * w)) < 1e-9)
    #expect(test.basis == .publishedAgent && test.degreesOfFreedom == 2)
    // A published agent exactly at the upper end (plus the margin) has one-sided p = 2.5 %.
    let margin = 3.0
    let atEdge = try #require(
      rule.predictionTest(scores: [95, 100, 105], published: published(mean: 100 + t * w + margin), margin: margin))
    #expect(abs(atEdge.test.pWorse - 0.025) < 1e-9)
    #expect(abs(atEdge.test.pBetter - (1 - StudentT.upperTail(t + 2 * margin / w, degreesOfFreedom: 2))) < 1e-9)
    #expect(rule.predictionTest(scores: [100], published: published(), margin: 0) == nil)
  }

  @Test("One seed against one published agent: two agents' evaluation means, w = √(se² + SE²), normal")
  func singleAgents() throws {
    // P = 100, SE = 10/√400 = 0.5; our agent 96 with se = 0.3; margin 2: d − m = 2.
    let w = (0.3 * 0.3 + 0.25).squareRoot()
    let test = try #require(rule.singleAgentTest(score: 96, standardError: 0.3, published: published(), margin: 2))
    #expect(test.basis == .singleAgents && test.degreesOfFreedom.isInfinite)
    #expect(abs(test.statistic - 2 / w) < 1e-12)
    // Q(x) = erfc(x/√2)/2, independently of GSL.
    #expect(abs(test.pWorse - erfc(2 / w / 2.0.squareRoot()) / 2) < 1e-12)
    #expect(abs(test.pBetter - erfc((-4 - 2) / w / 2.0.squareRoot()) / 2) < 1e-12)
    #expect(rule.verdicts([test]).map(\.verdict) == [.worse])
    // Inside the margin: matches.
    let close = try #require(rule.singleAgentTest(score: 98.5, standardError: 0.3, published: published(), margin: 2))
    #expect(rule.verdicts([close]).map(\.verdict) == [.matches])
    // Not for rows without an evaluation noise, a published mean of several seeds, or a last-100 row.
    #expect(rule.singleAgentTest(score: 96, standardError: 0.3, published: published(sd: 0), margin: 2) == nil)
    var seeds = published()
    seeds.trainingSeeds = 3
    #expect(rule.singleAgentTest(score: 96, standardError: 0.3, published: seeds, margin: 2) == nil)
    let lastHundred = PublishedResult(
      environment: "x", algorithm: .a2c, meanReturn: 100, trainingTimesteps: 1000, trainingSeeds: 1,
      measure: .lastHundredTrainingEpisodes, source: "test")
    #expect(rule.singleAgentTest(score: 96, standardError: 0.3, published: lastHundred, margin: 2) == nil)
    #expect(rule.singleAgentTest(score: .nan, standardError: 0.3, published: published(), margin: 2) == nil)
  }

  @Test("A difference inside the margin is never worse, however many seeds; one far outside it is")
  func margin() throws {
    let anchors = try ScoreAnchors.forEnvironment("CartPole-v1")
    let span = anchors.reference - anchors.random
    let m = rule.margin(environment: "CartPole-v1")
    #expect(abs(m - 0.05 * span) < 1e-12)
    #expect(rule.margin(environment: "Unknown-v0") == 0)
    let row = published(mean: anchors.reference, sd: 0, environment: "CartPole-v1")
    // 0.005 below on the normalised scale, 30 seeds with almost no spread.
    let close = (0..<30).map { anchors.reference - 0.005 * span + Double($0 % 3 - 1) * 1e-3 }
    let far = close.map { $0 - 0.2 * span }
    let tests = [close, far].map { rule.predictionTest(scores: $0, published: row, margin: m)?.test }
    #expect(rule.verdicts(tests).map(\.verdict) == [.matches, .worse])
    // Exactly no spread and no published noise: the sign beyond the margin decides.
    let flat = rule.predictionTest(scores: [anchors.reference - 0.005 * span, anchors.reference - 0.005 * span], published: row, margin: m)
    #expect(flat?.test.pWorse == 1)
  }

  @Test("Holm across rows: a p-value that would fail alone passes in a family of 13")
  func holmAcrossRows() {
    let single = RowTest(basis: .publishedAgent, statistic: 2.5, degreesOfFreedom: 4, pWorse: 0.01, pBetter: 0.99)
    let quiet = RowTest(basis: .publishedAgent, statistic: 0, degreesOfFreedom: 4, pWorse: 0.5, pBetter: 0.5)
    #expect(rule.verdicts([single]).map(\.verdict) == [.worse])
    let family = rule.verdicts([single] + Array(repeating: quiet, count: 12) + [nil])
    #expect(family[0].verdict == .matches && abs(family[0].adjustedWorse! - 0.13) < 1e-12)
    #expect(family[13].verdict == .notComparable && family[13].adjustedWorse == nil)
  }

  /// Simulates the whole check under the null: every row's published agent is one draw from our
  /// own seed distribution, shifted to the edge of the margin (the least favourable null).
  /// Returns (per-row false-worse rate of a single row, rate of any false worse in 13 rows).
  func simulateNull(seeds n: Int, publishedSE: Double, replications: Int, stream: RandomStream) -> (Double, Double) {
    let rows = 13
    var singleFalse = 0
    var familyFalse = 0
    for _ in 0..<replications {
      var tests: [RowTest?] = []
      for r in 0..<rows {
        let mu = Double(r) * 10, tau = 1.0 + Double(r % 4), margin = 0.5 * tau
        let scores = (0..<n).map { _ in mu + stream.gaussian(sigma: tau) }
        // P = a new agent's score + the margin (+ its evaluation noise when publishedSE > 0).
        let p = mu + margin + stream.gaussian(sigma: tau) + (publishedSE > 0 ? stream.gaussian(sigma: publishedSE * tau) : 0)
        let row = PublishedResult(
          environment: "Unknown-v0", algorithm: .a2c, meanReturn: p, standardDeviation: publishedSE * tau * 20,
          evaluationTimesteps: 150_000, episodes: 400, trainingTimesteps: 1, source: "simulation")
        tests.append(rule.predictionTest(scores: scores, published: row, margin: margin)?.test)
      }
      if rule.verdicts([tests[0]])[0].verdict == .worse { singleFalse += 1 }
      if rule.verdicts(tests).contains(where: { $0.verdict == .worse }) { familyFalse += 1 }
    }
    return (Double(singleFalse) / Double(replications), Double(familyFalse) / Double(replications))
  }

  @Test("Under the null the false 'worse' rate is the stated level: 5% for one row, ≤ 5% for the check")
  func nullFalseAlarmRate() {
    let stream = RandomStream(seed: 20_261_130)
    // No published evaluation noise: the rule is exact. 4,000 replications: binomial sd ≈ 0.0035.
    let (single, family) = simulateNull(seeds: 5, publishedSE: 0, replications: 4_000, stream: stream)
    #expect(single > 0.04 && single < 0.06, "single row: \(single)")
    // Holm over 13 independent rows: 1 − (1 − 0.05/13)¹³ ≈ 0.0488.
    #expect(family > 0.038 && family < 0.06, "whole check: \(family)")
    print("null simulation, 5 seeds: one row \(single), whole check (13 rows) \(family)")
    // With the published agent's own evaluation noise (SE = 0.05 seed sd) the rule stays at or below it.
    let (_, noisy) = simulateNull(seeds: 5, publishedSE: 0.05, replications: 4_000, stream: stream)
    #expect(noisy < 0.06, "whole check with published noise: \(noisy)")
    print("null simulation, 5 seeds, published SE 0.05 sd: whole check \(noisy)")
  }

  @Test("The check pairs cells with published rows; reference runs decide their row")
  func check() throws {
    let store = ResultsStore(root: FakeResults.folder())
    // CartPole A2C (published 499.903): all seeds far below → worse.
    for (seed, score) in [300.0, 310, 305].enumerated() {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: score, lastHundred: score)
    }
    // Acrobot ACKTR (published −91.284): around it → matches.
    for (seed, score) in [-95.0, -91, -88].enumerated() {
      try FakeResults.writeRun(
        store, environment: "Acrobot-v1", algorithm: .acktr, seed: seed, evaluation: score, lastHundred: score)
    }
    // MountainCar ACER at another budget → not comparable.
    try FakeResults.writeRun(
      store, environment: "MountainCar-v0", algorithm: .acer, seed: 0, evaluation: -200, lastHundred: -200,
      timesteps: 20_000)
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 1_000)).aggregate(
      try ResultsCatalog(store: store, suite: "classic"))
    let rows = ReferenceCheck.compare(aggregate)
    #expect(rows.map(\.verdict) == [.worse, .matches, .notComparable])
    #expect(rows[0].test?.basis == .publishedAgent)
    let text = CheckTable.render(rows, suite: "classic")
    #expect(text.contains("3 published rows: 1 matches, 1 worse, 1 not comparable."))
    #expect(text.contains("Holm-corrected over the 2 tested rows: P(any false 'worse') ≤ 5%."))
    #expect(text.contains("MountainCar-v0 ACER (rl-baselines-zoo): not comparable: trained 20000 steps; the published agent 1000000"))
    // Reference runs at the same budget that score like ours turn the worse row into a match …
    let like = [300.0, 302, 306, 309].enumerated().map { reference("CartPole-v1", .a2c, $0.offset, $0.element, 500_000) }
    let decided = ReferenceCheck.compare(aggregate, referenceRuns: like)
    #expect(decided[0].verdict == .matches)
    #expect(decided[0].test?.basis == .referenceRuns(implementation: "sb", seeds: 4))
    // … runs at another budget are ignored, and so are runs evaluated with 50 copies on CartPole,
    // whose episodes end early and so can be cut off at each copy's share of the budget.
    let other = like.map { var r = $0; r.timesteps = 1; return r }
    #expect(ReferenceCheck.compare(aggregate, referenceRuns: other)[0].verdict == .worse)
    let copies = like.map { var r = $0; r.evaluationProtocol = "stochastic policy, episodes completed within 150000 steps (50 envs)"; return r }
    #expect(ReferenceCheck.compare(aggregate, referenceRuns: copies)[0].test?.basis == .publishedAgent)
    #expect(ReferenceCheck.compare(aggregate, referenceRuns: copies)[0].verdict == .worse)
    let oneCopy = like.map { var r = $0; r.evaluationProtocol = "stochastic policy, episodes completed within 150000 steps (1 env)"; return r }
    #expect(ReferenceCheck.compare(aggregate, referenceRuns: oneCopy)[0].verdict == .matches)
  }

  @Test("Reference runs' evaluation: other budgets and censoring copies differ; whole fixed-length episodes do not")
  func evaluationMismatch() {
    func run(_ environment: String, episodes: Int, stated: String) -> ReferenceImplementationRun {
      ReferenceImplementationRun(
        implementation: "sb", environment: environment, algorithm: .a2c, seed: 0, timesteps: 1_000,
        lastHundredMeanReturn: 0, evaluationMeanReturn: 0, evaluationEpisodes: episodes,
        evaluationProtocol: "stochastic policy, episodes completed within \(stated)")
    }
    func mismatch(_ runs: [ReferenceImplementationRun], ours: Int? = 150_000) -> String? {
      ReferenceImplementationComparison.evaluationMismatch(of: runs, oursTimesteps: ours)
    }
    #expect(mismatch([run("CartPole-v1", episodes: 300, stated: "150000 steps (1 env)")]) == nil)
    #expect(
      mismatch([run("CartPole-v1", episodes: 300, stated: "100000 steps (1 env)")])
        == "evaluated for 100000 steps of 1 copy, ours for 150000 steps of 1 copy")
    #expect(
      mismatch([run("CartPole-v1", episodes: 300, stated: "150000 steps (50 envs)")])
        == "evaluated for 150000 steps of 50 copies, ours for 150000 steps of 1 copy (episodes running at the end "
        + "of each copy's share are dropped, and they are length-biased)")
    // Pendulum's episodes all last 200 steps: 50 copies × 3,000 steps hold 750 whole episodes, as 1 copy does.
    #expect(mismatch([run("Pendulum-v1", episodes: 750, stated: "150000 steps (50 envs)")]) == nil)
    #expect(mismatch([run("Pendulum-v1", episodes: 749, stated: "150000 steps (50 envs)")]) != nil)
    // 40 copies × 3,750 steps: each copy's share ends mid-episode.
    #expect(mismatch([run("Pendulum-v1", episodes: 750, stated: "150000 steps (40 envs)")]) != nil)
    // One run evaluated otherwise is enough; a protocol that states no budget is not held against them.
    #expect(
      mismatch([
        run("CartPole-v1", episodes: 300, stated: "150000 steps (1 env)"),
        run("CartPole-v1", episodes: 300, stated: "150000 steps (2 envs)"),
      ]) != nil)
    #expect(mismatch([run("CartPole-v1", episodes: 300, stated: "the budget")]) == nil)
  }

  func reference(_ environment: String, _ algorithm: AlgorithmID, _ seed: Int, _ score: Double, _ timesteps: Int)
    -> ReferenceImplementationRun
  {
    ReferenceImplementationRun(
      implementation: "sb", environment: environment, algorithm: algorithm, seed: seed, timesteps: timesteps,
      lastHundredMeanReturn: score, evaluationMeanReturn: score, evaluationEpisodes: 300)
  }
}

import BenchmarkSuite
import Statistics
import Testing

@Suite("Verdict rule")
struct VerdictTests {
  /// Published 100 ± σ over k episodes: δ = 1.96 σ/√k; σ = 10, k = 400 gives δ ≈ 0.98.
  func published(mean: Double = 100, sd: Double = 10, episodes: Int = 400, budget: Int = 1000)
    -> PublishedResult
  {
    PublishedResult(
      environment: "CartPole-v1", algorithm: .a2c, meanReturn: mean, standardDeviation: sd,
      evaluationTimesteps: 150_000, episodes: episodes, trainingTimesteps: budget, source: "test")
  }

  func verdict(_ scores: [Double], ci: (Double, Double), _ row: PublishedResult, budget: Int = 1000)
    -> Verdict
  {
    let mean = scores.reduce(0, +) / Double(scores.count)
    return VerdictRule.standard.verdict(
      scores: scores, meanInterval: IntervalEstimate(estimate: mean, lower: ci.0, upper: ci.1),
      published: row,
      trainingTimesteps: budget
    ).verdict
  }

  @Test("δ is 1.96 standard errors of the published mean")
  func tolerance() {
    #expect(abs(VerdictRule.standard.tolerance(for: published()) - 1.959963984540054 * 10 / 20) < 1e-12)
  }

  @Test("Inside the CI of the mean: matches")
  func insideInterval() {
    #expect(verdict([95, 100, 105], ci: (96, 104), published()) == .matches)
  }

  @Test("Just outside the CI but within δ: matches")
  func withinTolerance() {
    // U = 99.5, δ ≈ 0.98: P = 100 ≤ U + δ.
    #expect(verdict([90, 95, 99.5], ci: (91, 99.5), published()) == .matches)
  }

  @Test("Outside the CI, inside the seeds' range: matches (seed spread)")
  func seedSpread() {
    let row = published()
    #expect(verdict([50, 60, 70, 80, 101], ci: (58, 85), row) == .matchesSeedSpread)
    let outcome = VerdictRule.standard.verdict(
      scores: [50, 60, 70, 80, 101], meanInterval: IntervalEstimate(estimate: 72, lower: 58, upper: 85),
      published: row, trainingTimesteps: 1000)
    #expect(outcome.reason.contains("1 of 5 seeds reach P − δ"))
  }

  @Test("Every seed above P + δ: better; every seed below P − δ: worse")
  func betterAndWorse() {
    #expect(verdict([102, 103, 110], ci: (102.5, 108), published()) == .better)
    #expect(verdict([80, 90, 98.9], ci: (82, 97), published()) == .worse)
    // A seed within δ below P keeps it a match by spread.
    #expect(verdict([80, 90, 99.1], ci: (82, 97), published()) == .matchesSeedSpread)
    #expect(Verdict.worse.isFailure && !Verdict.matchesSeedSpread.isFailure && !Verdict.better.isFailure)
  }

  @Test("A different training budget is not comparable, whatever the scores")
  func budget() {
    #expect(verdict([10, 11, 12], ci: (10, 12), published(), budget: 500) == .notComparable)
  }

  @Test("The check pairs cells with published rows and labels each")
  func check() throws {
    let store = ResultsStore(root: FakeResults.folder())
    // CartPole A2C (published 499.903, δ ≈ 0.19): all seeds far below → worse.
    for (seed, score) in [300.0, 350, 400].enumerated() {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: score,
        lastHundred: score)
    }
    // Acrobot ACKTR (published −91.284): around it → matches.
    for (seed, score) in [-95.0, -91, -88].enumerated() {
      try FakeResults.writeRun(
        store, environment: "Acrobot-v1", algorithm: .acktr, seed: seed, evaluation: score,
        lastHundred: score)
    }
    // MountainCar ACER at another budget → not comparable.
    try FakeResults.writeRun(
      store, environment: "MountainCar-v0", algorithm: .acer, seed: 0, evaluation: -200, lastHundred: -200,
      timesteps: 20_000)
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 1_000)).aggregate(
      try ResultsCatalog(store: store, suite: "classic"))
    let rows = ReferenceCheck.compare(aggregate)
    #expect(rows.map(\.verdict) == [.worse, .matches, .notComparable])
    #expect(rows[0].seedsReaching == 0 && rows[1].seedsReaching == 2)
    let text = CheckTable.render(rows, suite: "classic")
    #expect(text.contains("3 published rows: 1 matches, 1 worse, 1 not comparable."))
    #expect(
      text.contains("MountainCar-v0 ACER: not comparable: trained 20000 steps; the published agent 1000000"))
  }
}

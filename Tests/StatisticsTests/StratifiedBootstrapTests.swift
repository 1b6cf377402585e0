import Randomness
import Statistics
import Testing
import _TestSupport

@Suite struct StratifiedBootstrapTests {
  let scores = try! ScoreMatrix(runs: [
    [0.9, 0.2, 1.4], [1.1, 0.4, 0.8], [0.7, 0.1, 1.0], [1.3, 0.5, 1.2], [1.0, 0.3, 0.9],
  ])

  @Test func sameSeedSameInterval() throws {
    let bootstrap = try StratifiedBootstrap(repetitions: 2_000)
    let a = bootstrap.intervals(for: scores, metrics: AggregateMetric.standard, using: RandomStream(seed: 7))
    let b = bootstrap.intervals(for: scores, metrics: AggregateMetric.standard, using: RandomStream(seed: 7))
    let c = bootstrap.intervals(for: scores, metrics: AggregateMetric.standard, using: RandomStream(seed: 8))
    #expect(a == b)
    #expect(a != c)
  }

  @Test func intervalsContainTheirPointEstimates() throws {
    let bootstrap = try StratifiedBootstrap(repetitions: 2_000)
    let metrics = AggregateMetric.standard
    let estimates = bootstrap.intervals(for: scores, metrics: metrics, using: RandomStream(seed: 1))
    for (metric, estimate) in zip(metrics, estimates) {
      #expect(estimate.estimate == metric.value(of: scores))
      #expect(estimate.contains(estimate.estimate), "\(metric): \(estimate)")
      #expect(estimate.width > 0, "\(metric): \(estimate)")
    }
  }

  @Test func metricSubsetsShareTheirDraws() throws {
    let bootstrap = try StratifiedBootstrap(repetitions: 500)
    let all = bootstrap.intervals(
      for: scores, metrics: AggregateMetric.standard, using: RandomStream(seed: 3))
    let iqm = bootstrap.interval(for: scores, metric: .iqm, using: RandomStream(seed: 3))
    #expect(iqm == all[1])
    let closure = bootstrap.interval(for: scores, using: RandomStream(seed: 3)) { $0.iqm }
    #expect(closure == iqm)
  }

  @Test func singleRunHasAZeroWidthInterval() throws {
    // One run per task: every resample is the original matrix.
    let single = try ScoreMatrix(runs: [[3, 5, 1]])
    let estimate = try StratifiedBootstrap(repetitions: 100)
      .interval(for: single, metric: .mean, using: RandomStream(seed: 0))
    #expect(estimate == IntervalEstimate(estimate: 3, lower: 3, upper: 3))
  }

  @Test func handCheckableTwoRunCase() throws {
    // Scores {0, 1} on one task. The mean of a resample of 2 is 0, ½ or 1 with probabilities
    // ¼, ½, ¼. The 95 % percentile interval is therefore [0, 1]; a 40 % interval (quantiles
    // 0.3 and 0.7) falls inside the ½ atom, so it is [½, ½].
    let twoRuns = try ScoreMatrix(runs: [[0], [1]])
    let wide = try StratifiedBootstrap(repetitions: 4_000)
      .interval(for: twoRuns, metric: .mean, using: RandomStream(seed: 11))
    #expect(wide == IntervalEstimate(estimate: 0.5, lower: 0, upper: 1))
    let narrow = try StratifiedBootstrap(repetitions: 4_000, confidenceLevel: 0.4)
      .interval(for: twoRuns, metric: .mean, using: RandomStream(seed: 11))
    #expect(narrow == IntervalEstimate(estimate: 0.5, lower: 0.5, upper: 0.5))
    // The replicate distribution itself: counts of 0, ½, 1 are Binomial(4000, ¼ / ½ / ¼),
    // i.e. 1000 / 2000 / 1000 with standard deviations of about 27 / 32 / 27.
    var counts: [Double: Int] = [:]
    _ = try StratifiedBootstrap(repetitions: 4_000)
      .interval(for: twoRuns, using: RandomStream(seed: 11)) { resample in
        counts[resample.mean, default: 0] += 1
        return resample.mean
      }
    // One extra call evaluates the point estimate on the original data (mean ½).
    #expect(counts.keys.sorted() == [0, 0.5, 1])
    #expect(counts.values.reduce(0, +) == 4_001)
    #expect(abs(counts[0, default: 0] - 1_000) < 150)
    #expect(abs(counts[0.5, default: 0] - 2_001) < 150)
    #expect(abs(counts[1, default: 0] - 1_000) < 150)
  }

  @Test func resamplingStaysWithinEachTask() throws {
    // Task 0 scores are all in [0, 1], task 1 all in [100, 101]: if runs were mixed across
    // tasks, some replicate's task-0 mean would leave [0, 1].
    let separated = try ScoreMatrix(runs: [[0, 100], [1, 101], [0.5, 100.5]])
    let intervals = try StratifiedBootstrap(repetitions: 1_000).intervals(
      for: separated, using: RandomStream(seed: 5)
    ) { $0.taskMeans }
    #expect(intervals[0].lower >= 0 && intervals[0].upper <= 1)
    #expect(intervals[1].lower >= 100 && intervals[1].upper <= 101)
  }

  @Test func moreRepetitionsGiveSteadierEndpoints() throws {
    // The Monte Carlo spread of the lower endpoint across seeds shrinks with B.
    func spread(_ repetitions: Int) throws -> Double {
      let bootstrap = try StratifiedBootstrap(repetitions: repetitions)
      let lowers = (0..<12).map {
        bootstrap.interval(for: scores, metric: .mean, using: RandomStream(seed: UInt32($0))).lower
      }
      return try Descriptive.standardDeviation(lowers)
    }
    let few = try spread(50)
    let many = try spread(3_000)
    #expect(many < few / 2, "sd with 50 reps \(few), with 3000 reps \(many)")
  }

  @Test func taskResamplingWidensTheInterval() throws {
    let runs = try StratifiedBootstrap(repetitions: 2_000)
      .interval(for: scores, metric: .mean, using: RandomStream(seed: 2))
    let tasks = try StratifiedBootstrap(repetitions: 2_000, resampling: .runsAndTasks)
      .interval(for: scores, metric: .mean, using: RandomStream(seed: 2))
    #expect(tasks.width > runs.width)
    #expect(tasks.estimate == runs.estimate)
  }

  @Test func probabilityOfImprovementInterval() throws {
    let better = try ScoreMatrix(runs: [[2, 3], [2.5, 3.5], [3, 2.8], [2.2, 4]])
    let worse = try ScoreMatrix(runs: [[1, 3.1], [2.4, 2], [1.5, 2.9]])
    let bootstrap = try StratifiedBootstrap(repetitions: 2_000)
    let estimate = try bootstrap.probabilityOfImprovement(
      of: better, over: worse, using: RandomStream(seed: 4))
    // By hand: task 0 wins 10 of 12 pairs, task 1 wins 9 of 12 → (10/12 + 9/12)/2 = 19/24.
    #expect(estimate.estimate.isApproximatelyEqual(to: 19.0 / 24))
    #expect(estimate.estimate == (try better.probabilityOfImprovement(over: worse)))
    #expect(estimate.lower < estimate.estimate && estimate.estimate < estimate.upper)
    #expect(estimate.lower >= 0 && estimate.upper <= 1)
    let again = try bootstrap.probabilityOfImprovement(
      of: better, over: worse, using: RandomStream(seed: 4))
    #expect(again == estimate)
  }

  @Test func intervalEstimatesForASetOfAlgorithmsAreIndependentOfTheSet() throws {
    let other = try ScoreMatrix(runs: [[0.5, 0.5, 0.5], [0.6, 0.4, 0.7], [0.2, 0.1, 0.9]])
    let bootstrap = try StratifiedBootstrap(repetitions: 500)
    let seeds = SeedSequence(runSeed: 42)
    let both = bootstrap.intervalEstimates(for: ["a2c": scores, "acer": other], seeds: seeds)
    let alone = bootstrap.intervalEstimates(for: ["a2c": scores], seeds: seeds)
    #expect(both["a2c"] == alone["a2c"])
    #expect(both["acer"]?[.iqm]?.estimate == other.iqm)
    #expect(both["a2c"]?.count == 4)
    let curve = bootstrap.curveEstimates(
      checkpoints: [other, scores], metric: .iqm, algorithm: "a2c", seeds: seeds)
    #expect(curve.map(\.estimate) == [other.iqm, scores.iqm])
  }

  @Test func configurationIsValidated() {
    #expect(throws: StatisticsError.countTooSmall(field: "repetitions", value: 0, minimum: 1)) {
      try StratifiedBootstrap(repetitions: 0)
    }
    #expect(throws: StatisticsError.outOfRange(field: "confidenceLevel", value: 1, allowed: "(0, 1)")) {
      try StratifiedBootstrap(confidenceLevel: 1)
    }
    #expect(StratifiedBootstrap.standard.repetitions == 50_000)
    #expect(StratifiedBootstrap.performanceProfile.repetitions == 2_000)
    #expect(StratifiedBootstrap.standard.confidenceLevel == 0.95)
  }
}

@Suite struct PerformanceProfileTests {
  @Test func handCountedFractions() throws {
    let m = try ScoreMatrix(runs: [[0, 1], [2, 3]])
    let profile = try PerformanceProfile(
      scores: m, thresholds: [-1, 0, 0.5, 2.5, 3], bootstrap: try StratifiedBootstrap(repetitions: 200),
      using: RandomStream(seed: 0))
    #expect(profile.fractions == [1, 0.75, 0.75, 0.25, 0])
    // Task means are 1 and 2.
    let means = try PerformanceProfile(
      scores: m, thresholds: [0.5, 1, 2], kind: .taskMeans,
      bootstrap: try StratifiedBootstrap(repetitions: 200), using: RandomStream(seed: 0))
    #expect(means.fractions == [1, 0.5, 0])
  }

  @Test func intervalsBracketTheProfileAndStayInTheUnitInterval() throws {
    let m = try ScoreMatrix(runs: [[0.1, 0.9], [0.4, 1.2], [0.3, 0.6], [0.8, 1.0], [0.5, 0.7]])
    let taus = try PerformanceProfile.thresholds(from: 0, to: 1.5, count: 16)
    #expect(taus.count == 16 && taus[0] == 0 && taus[15] == 1.5 && taus[5].isApproximatelyEqual(to: 0.5))
    let profile = try PerformanceProfile(scores: m, thresholds: taus, using: RandomStream(seed: 9))
    for e in profile.estimates {
      #expect(e.lower >= 0 && e.upper <= 1 && e.contains(e.estimate))
    }
    // Non-increasing in τ.
    #expect(zip(profile.fractions, profile.fractions.dropFirst()).allSatisfy { $0 >= $1 })
    let again = try PerformanceProfile(scores: m, thresholds: taus, using: RandomStream(seed: 9))
    #expect(again == profile)
    let set = try PerformanceProfile.profiles(
      for: ["a2c": m], thresholds: taus, seeds: SeedSequence(runSeed: 1))
    #expect(set["a2c"]?.fractions == profile.fractions)
  }

  @Test func badThresholdsAreTypedErrors() {
    #expect(throws: StatisticsError.countTooSmall(field: "count", value: 1, minimum: 2)) {
      try PerformanceProfile.thresholds(from: 0, to: 1, count: 1)
    }
    #expect(throws: StatisticsError.tooFewValues(field: "thresholds", count: 0, minimum: 1)) {
      try PerformanceProfile(
        scores: try ScoreMatrix(runs: [[1]]), thresholds: [], using: RandomStream(seed: 0))
    }
  }
}

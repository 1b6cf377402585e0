import BenchmarkSuite
import Foundation
import Statistics
import Testing

@Suite("Aggregation")
struct AggregationTests {
  let settings = BootstrapSettings(repetitions: 2_000, seed: 7)

  func aggregate() throws -> (ResultsCatalog, SuiteAggregate) {
    let catalog = try ResultsCatalog(store: try FakeResults.small(), suite: "classic")
    return (catalog, try Aggregator(settings: settings).aggregate(catalog))
  }

  @Test("Cells: per-seed values, mean, sd, median, IQM and intervals around them")
  func cells() throws {
    let (catalog, aggregate) = try aggregate()
    #expect(catalog.environments == ["CartPole-v1", "Acrobot-v1"])
    #expect(
      aggregate.cells.map { "\($0.environment)/\($0.algorithm.rawValue)" } == [
        "CartPole-v1/a2c", "CartPole-v1/acktr", "Acrobot-v1/a2c", "Acrobot-v1/acktr",
      ])
    let cell = try #require(aggregate.cell(environment: "CartPole-v1", algorithm: .a2c))
    #expect(cell.seeds == [0, 1, 2, 3])
    let evaluation = try #require(cell.evaluation)
    #expect(evaluation.values == [100, 200, 300, 400])
    #expect(evaluation.summary.mean == 250)
    // s² = (150² + 50² + 50² + 150²)/3 = 50000/3
    #expect(abs(evaluation.summary.standardDeviation! - (50_000.0 / 3).squareRoot()) < 1e-9)
    #expect(evaluation.summary.median == 250)
    #expect(evaluation.summary.iqm == 250)  // trim 1 of 4 from each end: (200 + 300)/2
    for interval in [evaluation.mean, evaluation.median, evaluation.iqm] {
      #expect(interval.lower <= interval.estimate && interval.estimate <= interval.upper)
      #expect(interval.lower >= 100 && interval.upper <= 400)
      #expect(interval.lower < interval.upper)
    }
    #expect(try #require(cell.lastHundred).values == [99, 199, 299, 399])
    let anchors = try ScoreAnchors.forEnvironment("CartPole-v1")
    let normalized = try #require(cell.normalizedScores)
    for (value, score) in zip(normalized, [100.0, 200, 300, 400]) {
      #expect(abs(value - (score - 22.597) / (499.903 - 22.597)) < 1e-12)
      #expect(value == anchors.normalize(score))
    }
    #expect(cell.evaluationEpisodes == 1200)
    // The catalog reads each run's timing.json (4 seeds × 1.5 s); the aggregate holds no timing.
    let timings = catalog.runs(environment: "CartPole-v1", algorithm: .a2c).compactMap(\.timing)
    #expect(timings.count == 4 && timings.reduce(0) { $0 + $1.trainingSeconds } == 6)
  }

  @Test("Algorithms: rliable aggregates of normalised scores over the environments")
  func algorithms() throws {
    let (_, aggregate) = try aggregate()
    // Both algorithms ran both environments: only the "all" task set is reported.
    #expect(aggregate.algorithms.map(\.taskSet) == [.all, .all])
    let a2c = try #require(aggregate.algorithms.first { $0.algorithm == .a2c })
    #expect(a2c.environments == ["CartPole-v1", "Acrobot-v1"])
    #expect(a2c.seeds == [0, 1, 2, 3])
    let cartPole = [100.0, 200, 300, 400].map {
      (try! ScoreAnchors.forEnvironment("CartPole-v1")).normalize($0)
    }
    let acrobot = [-100.0, -90, -80, -70].map {
      (try! ScoreAnchors.forEnvironment("Acrobot-v1")).normalize($0)
    }
    let pooled = (cartPole + acrobot).sorted()
    #expect(abs(a2c.iqm.estimate - pooled[2..<6].reduce(0, +) / 4) < 1e-12)
    let means = [cartPole.reduce(0, +) / 4, acrobot.reduce(0, +) / 4]
    #expect(abs(a2c.mean.estimate - (means[0] + means[1]) / 2) < 1e-12)
    #expect(abs(a2c.median.estimate - (means[0] + means[1]) / 2) < 1e-12)
    let gap = 1 - pooled.map { min($0, 1) }.reduce(0, +) / 8
    #expect(abs(a2c.optimalityGap.estimate - gap) < 1e-12)
    for interval in [a2c.iqm, a2c.mean, a2c.median, a2c.optimalityGap] {
      #expect(interval.lower <= interval.estimate && interval.estimate <= interval.upper)
    }
  }

  @Test("Pairs: probability of improvement and Welch's t-test")
  func pairs() throws {
    let (_, aggregate) = try aggregate()
    let improvement = try #require(aggregate.improvement.first)
    #expect(improvement.x == .a2c && improvement.y == .acktr)
    #expect(improvement.environments == ["CartPole-v1", "Acrobot-v1"])
    // CartPole: every a2c run beats every acktr run (1); Acrobot: 6 of 16 pairs (0.375).
    #expect(improvement.probability.estimate == (1 + 0.375) / 2)
    #expect(improvement.probability.lower <= 0.6875 && improvement.probability.upper <= 1)
    let welch = try #require(aggregate.welch.first { $0.environment == "CartPole-v1" })
    let vx = 50_000.0 / 3 / 4
    let vy = 500.0 / 3 / 4
    #expect(welch.meanDifference == 185)
    #expect(abs(welch.statistic! - 185 / (vx + vy).squareRoot()) < 1e-9)
    let nu = (vx + vy) * (vx + vy) / (vx * vx / 3 + vy * vy / 3)
    #expect(abs(welch.degreesOfFreedom! - nu) < 1e-9)
    #expect(welch.pValue! > 0 && welch.pValue! < 0.1)
  }

  @Test("The same runs and settings give the same file, byte for byte")
  func deterministic() throws {
    let (_, first) = try aggregate()
    let (_, second) = try aggregate()
    #expect(first == second)
    #expect(try JSONCoding.encoder.encode(first) == JSONCoding.encoder.encode(second))
    let other = try Aggregator(settings: BootstrapSettings(repetitions: 2_000, seed: 8)).aggregate(
      try ResultsCatalog(store: try FakeResults.small(), suite: "classic"))
    #expect(other.cells[0].evaluation!.mean.estimate == first.cells[0].evaluation!.mean.estimate)
    #expect(other.cells[0].evaluation!.mean != first.cells[0].evaluation!.mean)
  }

  @Test("Uneven seeds: the algorithm aggregate uses the seeds every environment has")
  func unevenSeeds() throws {
    let store = try FakeResults.small()
    try FileManager.default.removeItem(
      at: store.runsFolder.appendingPathComponent("classic/Acrobot-v1/a2c/seed-3"))
    try FakeResults.writeRun(
      store, environment: "MountainCar-v0", algorithm: .acer, seed: 0, evaluation: nil, lastHundred: -150)
    let aggregate = try Aggregator(settings: settings).aggregate(
      try ResultsCatalog(store: store, suite: "classic"))
    let a2c = try #require(aggregate.algorithms.first { $0.algorithm == .a2c && $0.taskSet == .all })
    #expect(a2c.seeds == [0, 1, 2])
    // ACER has no environment in common with the others, so there is no shared set.
    #expect(!aggregate.algorithms.contains { $0.taskSet == .shared })
    let acer = try #require(aggregate.cell(environment: "MountainCar-v0", algorithm: .acer))
    #expect(acer.evaluation == nil)
    #expect(acer.scores == [-150])
    #expect(acer.notes == ["1 of 1 runs have no evaluation; scores are last-100 means"])
  }

  @Test("Every algorithm pair is estimated or listed with why not: no shared environment, no seed on all shared ones")
  func unestimatedPairs() throws {
    let store = try FakeResults.small()
    // ACER only on MountainCar-v0: it shares no environment with A2C or ACKTR.
    try FakeResults.writeRun(store, environment: "MountainCar-v0", algorithm: .acer, seed: 0, evaluation: -150, lastHundred: -150)
    // ACKTR's seed 0 only on CartPole-v1 and seeds 1–3 only on Acrobot-v1: no ACKTR seed on both.
    try FileManager.default.removeItem(at: store.runsFolder.appendingPathComponent("classic/Acrobot-v1/acktr/seed-0"))
    for seed in 1...3 {
      try FileManager.default.removeItem(at: store.runsFolder.appendingPathComponent("classic/CartPole-v1/acktr/seed-\(seed)"))
    }
    let partial = try Aggregator(settings: settings).aggregate(try ResultsCatalog(store: store, suite: "classic"))
    #expect(partial.improvement.isEmpty)
    #expect(
      partial.unestimatedImprovement == [
        UnestimatedImprovement(
          x: .a2c, y: .acktr, reason: "no seed of ACKTR's ran on every environment both ran (CartPole-v1, Acrobot-v1)"),
        UnestimatedImprovement(x: .a2c, y: .acer, reason: "no environment where both ran"),
        UnestimatedImprovement(x: .acktr, y: .acer, reason: "no environment where both ran"),
      ])
    // The Welch tests need no shared seed and are still there.
    #expect(partial.welch.map(\.environment) == ["CartPole-v1", "Acrobot-v1"])
    // The file says so, and the small folder (every pair estimated) lists none.
    let json = String(decoding: try JSONCoding.encoder.encode(partial), as: UTF8.self)
    #expect(json.contains("\"unestimatedImprovement\""), "\(json)")
    #expect(try aggregate().1.unestimatedImprovement.isEmpty)
  }

  @Test("Learning curves: interpolated mean over seeds with a band")
  func learningCurve() throws {
    let catalog = try ResultsCatalog(store: try FakeResults.small(), suite: "classic")
    let curve = try #require(
      try LearningCurve.summarize(
        catalog.runs(environment: "CartPole-v1", algorithm: .a2c), settings: settings))
    #expect(curve.timesteps.count == 100)
    #expect(curve.timesteps.first == 50_000 && curve.timesteps.last == 500_000)
    // Final checkpoint: last-100 means 99, 199, 299, 399 → mean 249.
    #expect(abs(curve.mean.last! - 249) < 1e-9)
    for k in curve.timesteps.indices {
      #expect(curve.lower[k] <= curve.mean[k] && curve.mean[k] <= curve.upper[k])
    }
  }

  @Test("An empty results folder names the problem")
  func emptyFolder() throws {
    let store = ResultsStore(root: FakeResults.folder())
    #expect(throws: BenchmarkError.self) { try ResultsCatalog(store: store, suite: "classic") }
    do {
      _ = try ResultsCatalog(store: try FakeResults.small(), suite: "smoke")
    } catch {
      #expect("\(error)".hasPrefix("invalid --suite 'smoke'; allowed: classic (the suites with runs in"))
    }
  }
}

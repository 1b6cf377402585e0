import Foundation
import Testing

@testable import BenchmarkSuite

/// The abstract says why an algorithm of the suite has no probability of improvement, instead of
/// leaving it out: MinAtar's ACKTR part-way through its seeds had no seed in common to all five games.
@Suite struct UncomparedAlgorithmTests {
  @Test func anAlgorithmWithOtherSeedsPerEnvironmentIsNamedWithTheReason() throws {
    let store = ResultsStore(root: FakeResults.folder("uncompared"))
    for environment in ["CartPole-v1", "Acrobot-v1"] {
      for seed in 0..<3 {
        for algorithm in [AlgorithmID.a2c, .acer] {
          try FakeResults.writeRun(
            store, environment: environment, algorithm: algorithm, seed: seed, evaluation: Double(10 * seed),
            lastHundred: 1)
        }
      }
    }
    // ACKTR: seeds 0–2 on CartPole, seed 3 only on Acrobot: no seed on both.
    for seed in 0..<3 {
      try FakeResults.writeRun(store, environment: "CartPole-v1", algorithm: .acktr, seed: seed, evaluation: 5, lastHundred: 1)
    }
    try FakeResults.writeRun(store, environment: "Acrobot-v1", algorithm: .acktr, seed: 3, evaluation: 5, lastHundred: 1)
    try FakeResults.writeManifest(store)
    let catalog = try ResultsCatalog(store: store, suite: "classic")
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(catalog)
    let writer = try PaperWriter(catalog: catalog, aggregate: aggregate, resultsPath: "results")
    #expect(aggregate.improvement.map { "\($0.x.rawValue)-\($0.y.rawValue)" } == ["a2c-acer"])
    let findings = try #require(writer.findingsBody)
    #expect(
      findings.contains(
        "ACKTR is not compared yet (the probability of improvement takes the seeds an algorithm ran on every "
          + "environment, and no seed of ACKTR's ran on all of them)"), "\(findings)")
    #expect(!findings.contains("A2C is not compared") && !findings.contains("ACER is not compared"))
  }

  @Test func everyAlgorithmComparedAddsNothing() throws {
    let store = ResultsStore(root: FakeResults.folder("all-compared"))
    for seed in 0..<3 {
      for algorithm in [AlgorithmID.a2c, .acktr] {
        try FakeResults.writeRun(
          store, environment: "CartPole-v1", algorithm: algorithm, seed: seed, evaluation: 5, lastHundred: 1)
      }
    }
    try FakeResults.writeManifest(store)
    let catalog = try ResultsCatalog(store: store, suite: "classic")
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(catalog)
    let writer = try PaperWriter(catalog: catalog, aggregate: aggregate, resultsPath: "results")
    #expect(writer.uncomparedText == nil)
    #expect(writer.findingsBody?.contains("not compared") == false)
  }
}

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
    let writer = try FakeResults.paperWriter(store)
    #expect(writer.aggregate.improvement.map { "\($0.x.rawValue)-\($0.y.rawValue)" } == ["a2c-acer"])
    let findings = try #require(writer.findingsBody)
    #expect(
      findings.contains(
        "ACKTR is not compared yet (the probability of improvement takes the seeds an algorithm ran on every "
          + "environment it shares with another, and no seed of ACKTR's ran on all of them)"), "\(findings)")
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
    let writer = try FakeResults.paperWriter(store)
    #expect(writer.uncomparedText == nil)
    #expect(writer.findingsBody?.contains("not compared") == false)
  }

  /// Two algorithms and no estimate at all: the abstract still says why, for each.
  @Test func withNoEstimateAtAllBothAreNamed() throws {
    let store = ResultsStore(root: FakeResults.folder("none-compared"))
    for environment in ["CartPole-v1", "Acrobot-v1"] {
      for seed in 0..<3 {
        try FakeResults.writeRun(
          store, environment: environment, algorithm: .a2c, seed: seed, evaluation: 5, lastHundred: 1)
      }
    }
    try FakeResults.writeRun(store, environment: "CartPole-v1", algorithm: .acktr, seed: 0, evaluation: 5, lastHundred: 1)
    try FakeResults.writeRun(store, environment: "Acrobot-v1", algorithm: .acktr, seed: 1, evaluation: 5, lastHundred: 1)
    // An algorithm alone on its environment: nothing to compare it with.
    try FakeResults.writeRun(store, environment: "Pendulum-v1", algorithm: .acer, seed: 0, evaluation: 5, lastHundred: 1)
    try FakeResults.writeManifest(store)
    let writer = try FakeResults.paperWriter(store)
    #expect(writer.aggregate.improvement.isEmpty)
    let findings = try #require(writer.findingsBody)
    #expect(
      findings
        == "A2C is not compared (each algorithm it shares environments with lacks a seed run on all of them); "
        + "ACKTR is not compared yet (the probability of improvement takes the seeds an algorithm ran on every "
        + "environment it shares with another, and no seed of ACKTR's ran on all of them); "
        + "ACER is not compared (it shares no environment with another algorithm)")
  }
}

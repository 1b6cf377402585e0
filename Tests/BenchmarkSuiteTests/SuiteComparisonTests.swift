import BenchmarkSuite
import Foundation
import Statistics
import Testing

/// `bench compare`: one suite against another per (environment, algorithm), with Welch's t-test.
@Suite("Suite comparison")
struct SuiteComparisonTests {
  let settings = BootstrapSettings(repetitions: 2_000, seed: 3)

  /// `pomdp` vs `pomdp-mlp`:
  /// ```
  /// CartPoleNoVel-v1  a2c    pomdp 400 450 500 480 470   pomdp-mlp 40 50 45 55 60
  ///                   acktr  pomdp 100 200 300 400       pomdp-mlp 50 60 70 80
  ///                   acer   pomdp only
  /// AcrobotNoVel-v1   a2c    pomdp-mlp only
  /// ```
  /// Evaluation scores as listed, last-100 means one lower (same differences, same tests).
  static func folder() throws -> ResultsStore {
    let store = ResultsStore(root: FakeResults.folder())
    let cells: [(String, String, AlgorithmID, [Double])] = [
      ("pomdp", "CartPoleNoVel-v1", .a2c, [400, 450, 500, 480, 470]),
      ("pomdp-mlp", "CartPoleNoVel-v1", .a2c, [40, 50, 45, 55, 60]),
      ("pomdp", "CartPoleNoVel-v1", .acktr, [100, 200, 300, 400]),
      ("pomdp-mlp", "CartPoleNoVel-v1", .acktr, [50, 60, 70, 80]),
      ("pomdp", "CartPoleNoVel-v1", .acer, [10, 20]),
      ("pomdp-mlp", "AcrobotNoVel-v1", .a2c, [-100, -90]),
    ]
    for (suite, environment, algorithm, scores) in cells {
      for (seed, score) in scores.enumerated() {
        try FakeResults.writeRun(
          store, suite: suite, environment: environment, algorithm: algorithm, seed: seed, evaluation: score,
          lastHundred: score - 1)
      }
    }
    try FakeResults.writeManifest(store, suite: "pomdp")
    return store
  }

  func compare(_ store: ResultsStore) throws -> SuiteComparison {
    try SuiteComparison(
      ResultsCatalog(store: store, suite: "pomdp"), against: ResultsCatalog(store: store, suite: "pomdp-mlp"),
      settings: settings)
  }

  @Test("Only cells present in both suites are compared; the others are listed as unmatched")
  func matching() throws {
    let comparison = try compare(try Self.folder())
    #expect(comparison.cells.map { "\($0.environment)/\($0.algorithm.rawValue)" } == [
      "CartPoleNoVel-v1/a2c", "CartPoleNoVel-v1/acktr",
    ])
    #expect(comparison.unmatched == ["AcrobotNoVel-v1/a2c", "CartPoleNoVel-v1/acer"])
    #expect(comparison.suite == "pomdp" && comparison.baseline == "pomdp-mlp")
  }

  @Test("Welch's t and p equal SciPy's ttest_ind(equal_var=False) on both measures")
  func welchMatchesSciPy() throws {
    let comparison = try compare(try Self.folder())
    // scipy 1.13.1: stats.ttest_ind(x, y, equal_var=False)
    let expected: [(AlgorithmID, Double, Double, Double)] = [
      (.a2c, 23.573342557618826, 9.452667332039236e-06, 410),
      (.acktr, 2.8517842252398293, 0.06351249398437288, 185),
    ]
    for measure in SuiteComparison.Measure.allCases {
      for (algorithm, t, p, difference) in expected {
        let entry = try #require(
          comparison.comparison(environment: "CartPoleNoVel-v1", algorithm: algorithm, measure: measure))
        #expect(abs(entry.welch.statistic! - t) < 1e-9 * t)
        #expect(abs(entry.welch.pValue! - p) < 1e-6 * p)
        #expect(abs(entry.welch.meanDifference - difference) < 1e-9)
      }
    }
    let a2c = try #require(comparison.comparison(environment: "CartPoleNoVel-v1", algorithm: .a2c, measure: .lastHundred))
    #expect(a2c.suite.values == [399, 449, 499, 479, 469])
    #expect(a2c.baseline.values == [39, 49, 44, 54, 59])
  }

  @Test("Holm: the smaller p is doubled, the larger kept (not below the first)")
  func holm() throws {
    let comparison = try compare(try Self.folder())
    let a2c = try #require(comparison.comparison(environment: "CartPoleNoVel-v1", algorithm: .a2c, measure: .evaluation))
    let acktr = try #require(
      comparison.comparison(environment: "CartPoleNoVel-v1", algorithm: .acktr, measure: .evaluation))
    #expect(abs(a2c.holmAdjustedPValue! - 2 * a2c.welch.pValue!) < 1e-15)
    #expect(acktr.holmAdjustedPValue! == acktr.welch.pValue!)
  }

  @Test("P(X > Y) is 1 when every run of X beats every run of Y, and its interval too")
  func improvement() throws {
    let store = try Self.folder()
    let comparison = try compare(store)
    // Both cells: every run of pomdp beats every run of pomdp-mlp (acktr: 100…400 against 50…80),
    // so every bootstrap replicate gives 1 as well.
    for algorithm in [AlgorithmID.a2c, .acktr] {
      let entry = try #require(
        comparison.comparison(environment: "CartPoleNoVel-v1", algorithm: algorithm, measure: .evaluation))
      let probability = try #require(entry.probabilityOfImprovement)
      #expect(probability.estimate == 1 && probability.lower == 1 && probability.upper == 1)
    }
    // The reverse direction has P = 0.
    let reverse = try SuiteComparison(
      ResultsCatalog(store: store, suite: "pomdp-mlp"), against: ResultsCatalog(store: store, suite: "pomdp"),
      settings: settings)
    let a2c = try #require(reverse.comparison(environment: "CartPoleNoVel-v1", algorithm: .a2c, measure: .evaluation))
    #expect(a2c.probabilityOfImprovement?.estimate == 0)
    #expect(a2c.welch.meanDifference == -410)
  }

  @Test("The same runs and settings give the same comparison; another bootstrap seed other intervals")
  func deterministic() throws {
    let store = try Self.folder()
    #expect(try compare(store) == compare(store))
    let other = try SuiteComparison(
      ResultsCatalog(store: store, suite: "pomdp"), against: ResultsCatalog(store: store, suite: "pomdp-mlp"),
      settings: BootstrapSettings(repetitions: 2_000, seed: 4))
    // a2c: five distinct values per side, so the resampled means' quantiles move with the stream.
    let a = try #require(try compare(store).comparison(environment: "CartPoleNoVel-v1", algorithm: .a2c, measure: .evaluation))
    let b = try #require(other.comparison(environment: "CartPoleNoVel-v1", algorithm: .a2c, measure: .evaluation))
    #expect(a.welch == b.welch)
    #expect(a.suite.mean != b.suite.mean || a.baseline.mean != b.baseline.mean)
  }

  @Test("No cell in common: a typed error naming --against and both suites' cells")
  func nothingInCommon() throws {
    let store = try Self.folder()
    let full = try ResultsCatalog(store: store, suite: "pomdp")
    let acerOnly = ResultsCatalog(
      suite: "pomdp", runs: full.runs.filter { $0.algorithm == .acer }, provenance: nil, store: store)
    #expect {
      try SuiteComparison(
        acerOnly,
        against: ResultsCatalog(store: store, suite: "pomdp-mlp"), settings: settings)
    } throws: { error in
      guard case BenchmarkError.invalidOption(let name, let value, let allowed) = error else { return false }
      return name == "--against" && value == "pomdp-mlp" && allowed.contains("CartPoleNoVel-v1/acer")
        && allowed.contains("AcrobotNoVel-v1/a2c")
    }
  }

  @Test("bench compare prints both tables and writes aggregate/compare-<suite>-vs-<against>.json")
  func command() throws {
    try BenchBinary.require()
    let store = try Self.folder()
    let outcome = try BenchBinary.run([
      "compare", "--suite", "pomdp", "--against", "pomdp-mlp", "--results", store.root.path,
      "--bootstrap-reps", "500",
    ])
    #expect(outcome.status == 0, "\(outcome.error)")
    #expect(outcome.output.contains("evaluation mean return, pomdp vs pomdp-mlp:"))
    #expect(outcome.output.contains("last-100 training mean return, pomdp vs pomdp-mlp:"))
    #expect(outcome.output.contains("| CartPoleNoVel-v1 | a2c |"))
    #expect(outcome.output.contains("In one suite only (not compared): AcrobotNoVel-v1/a2c, CartPoleNoVel-v1/acer."))
    let file = store.root.appendingPathComponent("aggregate/compare-pomdp-vs-pomdp-mlp.json")
    let decoded = try JSONCoding.decoder.decode(SuiteComparison.self, from: Data(contentsOf: file))
    #expect(decoded.cells.count == 2)
    let same = try BenchBinary.run(["compare", "--suite", "pomdp", "--against", "pomdp", "--results", store.root.path])
    #expect(same.status == 64)
    #expect(same.error.contains("--against names the same suite as --suite"))
  }

  @Test("bench report on a folder with pomdp and pomdp-mlp adds the comparison section with a verdict per cell")
  func reportSection() throws {
    try BenchBinary.require()
    let store = try Self.folder()
    let paper = FakeResults.folder("paper")
    let outcome = try BenchBinary.run([
      "report", "--results", store.root.path, "--out", paper.path, "--bootstrap-reps", "500",
    ])
    #expect(outcome.status == 0, "\(outcome.error)")
    let text = try String(contentsOf: paper.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(text.contains("\n## Suites compared\n"))
    #expect(text.contains("\n### `pomdp` against `pomdp-mlp`\n"))
    // a2c: p = 9.45e-6, Holm ×2; acktr: p = 0.064 is the larger of two, kept.
    #expect(text.contains("- CartPoleNoVel-v1, A2C: last-100 mean 459.0 ["))
    #expect(text.contains("with `pomdp-mlp`: higher (Holm-adjusted p < 0.001)."))
    #expect(text.contains("- CartPoleNoVel-v1, ACKTR: last-100 mean"))
    #expect(text.contains("not different at the 5% level (Holm-adjusted p 0.064)."))
    #expect(text.contains("| CartPoleNoVel-v1 | acktr |"))
    let file = store.root.appendingPathComponent("aggregate/compare-pomdp-vs-pomdp-mlp.json")
    #expect(FileManager.default.fileExists(atPath: file.path))
  }
}

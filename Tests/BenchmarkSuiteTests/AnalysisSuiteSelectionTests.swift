import BenchmarkSuite
import Foundation
import Testing

/// Which suites the analysis commands cover without `--suite`.
@Suite("Analysis suite selection")
struct AnalysisSuiteSelectionTests {
  /// `classic` (two A2C seeds) and `smoke` (one) in one folder, as the committed results/.
  func folder() throws -> ResultsStore {
    let store = ResultsStore(root: FakeResults.folder())
    for (seed, score) in [480.0, 490].enumerated() {
      try FakeResults.writeRun(store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: score, lastHundred: score)
    }
    try FakeResults.writeRun(
      store, suite: "smoke", environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 20, lastHundred: 20)
    try FakeResults.writeManifest(store)
    return store
  }

  @Test("Without --suite, smoke is left out beside other suites; named, or alone, it is analysed")
  func smokeOnlyWhenNamedOrAlone() throws {
    try BenchBinary.require()
    let store = try folder()
    let all = try BenchBinary.run(["check", "--results", store.root.path, "--bootstrap-reps", "200"])
    #expect(all.output.contains("suite classic: ") && !all.output.contains("suite smoke"), "\(all.output)")
    let named = try BenchBinary.run(["check", "--results", store.root.path, "--suite", "smoke", "--bootstrap-reps", "200"])
    #expect(named.output.contains("suite smoke"), "\(named.output)")
    let paper = FakeResults.folder("paper")
    let report = try BenchBinary.run(["report", "--results", store.root.path, "--out", paper.path, "--bootstrap-reps", "200"])
    #expect(report.status == 0 && report.output.contains("(1 suite, "), "\(report.output)")
    let alone = ResultsStore(root: FakeResults.folder("smoke-only"))
    try FakeResults.writeRun(
      alone, suite: "smoke", environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 20, lastHundred: 20)
    try FakeResults.writeManifest(alone, suite: "smoke")
    let only = try BenchBinary.run(["aggregate", "--results", alone.root.path, "--bootstrap-reps", "200"])
    #expect(only.status == 0 && only.output.contains("smoke.json"), "\(only.output) \(only.error)")
  }
}

import BenchmarkSuite
import Foundation
import Testing

@Suite("bench report and bench plot")
struct ReportTests {
  /// The small folder plus a CartPole ACER cell far below its published score (a worse verdict).
  func results() throws -> ResultsStore {
    let store = try FakeResults.small()
    for (seed, score) in [150.0, 160, 170].enumerated() {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .acer, seed: seed, evaluation: score,
        lastHundred: score - 5,
        start: 20)
    }
    return store
  }

  func write(_ store: ResultsStore) throws -> (String, [String: Data]) {
    let catalog = try ResultsCatalog(store: store, suite: "classic")
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 1_000)).aggregate(catalog)
    let out = FakeResults.folder("paper")
    let writer = try PaperWriter(catalog: catalog, aggregate: aggregate, resultsPath: "results")
    try writer.write(to: out)
    let figures = out.appendingPathComponent("figures")
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: figures.path) {
      files[name] = try Data(contentsOf: figures.appendingPathComponent(name))
    }
    return (try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8), files)
  }

  @Test("The same results give the same report and figure bytes")
  func stableBytes() throws {
    let store = try results()
    let (first, firstFigures) = try write(store)
    let (second, secondFigures) = try write(store)
    #expect(first == second)
    #expect(firstFigures == secondFigures)
    #expect(
      firstFigures.keys.sorted() == [
        "classic-aggregate-iqm.png", "classic-curves-Acrobot-v1.png", "classic-curves-CartPole-v1.png",
        "classic-performance-profile.png",
      ])
    for data in firstFigures.values { #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47])) }
  }

  @Test("The report has every section, the published rows and evidence for the worse row")
  func content() throws {
    let (text, _) = try write(try results())
    for heading in [
      "## Abstract", "## 1. Methods", "### 1.2 Hyperparameters", "### 1.5 Statistics and the verdict rule",
      "## 2. Results", "### 2.2 Evidence for every *worse* verdict", "## 3. Reproducibility",
      "## 4. Limitations",
    ] {
      #expect(text.contains("\n" + heading + "\n"), "missing \(heading)")
    }
    #expect(text.contains("https://arxiv.org/abs/1708.05144"))
    #expect(text.contains("| CartPole-v1 | ACER | 3 | 160.0 [150.0, 170.0] | 150.0 … 170.0 |"))
    #expect(text.contains("| 498.6 ± 2.7 | 0/3 | **worse** |"))
    #expect(text.contains("**CartPole-v1, ACER** — published 498.6"))
    #expect(text.contains("Our 3 seeds score 150.0 (seed 0), 160.0 (seed 1), 170.0 (seed 2) in evaluation"))
    #expect(text.contains("![") && text.contains("](figures/classic-curves-CartPole-v1.png)"))
    #expect(text.contains("| git revision | abc1234 |"))
    #expect(!text.contains("No row is *worse*."))
  }
}

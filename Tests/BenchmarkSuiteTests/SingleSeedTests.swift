import BenchmarkSuite
import Foundation
import Testing

@Suite("Single-seed suites: plot and report")
struct SingleSeedTests {
  /// The committed results (the smoke suite has one seed per cell).
  var committed: ResultsStore { ResultsStore(root: BenchBinary.packageRoot.appendingPathComponent("results")) }

  @Test("bench plot and bench report work on the committed single-seed smoke suite, every band ordered")
  func committedSmoke() throws {
    let catalog = try ResultsCatalog(store: committed, suite: "smoke")
    #expect(catalog.runs.count == 3 && Set(catalog.runs.map(\.seed)) == [0])
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 1_000)).aggregate(catalog)
    for cell in aggregate.cells {
      for measure in [cell.evaluation, cell.lastHundred].compactMap({ $0 }) {
        for estimate in [measure.mean, measure.median, measure.iqm] {
          #expect(estimate.lower <= estimate.upper, "\(cell.environment) \(cell.algorithm)")
          #expect(estimate.lower == measure.values[0] && estimate.upper == measure.values[0])
        }
      }
    }
    for algorithm in catalog.algorithms {
      let curve = try #require(
        try LearningCurve.summarize(
          catalog.runs(environment: "CartPole-v1", algorithm: algorithm), settings: aggregate.bootstrap))
      #expect(zip(curve.lower, curve.upper).allSatisfy { $0 <= $1 })
      #expect(curve.lower == curve.mean && curve.upper == curve.mean)
    }
    let plots = FakeResults.folder("plots")
    #expect(try FigureSet(catalog: catalog, aggregate: aggregate).write(to: plots).count >= 3)
    let paper = FakeResults.folder("paper")
    let writer = try PaperWriter(catalog: catalog, aggregate: aggregate, resultsPath: "results", referenceRuns: [])
    _ = try writer.write(to: paper)
    #expect(FileManager.default.fileExists(atPath: paper.appendingPathComponent("README.md").path))
  }
}

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

  /// rliable's score matrix needs one algorithm's seeds on each of its environments; runs still
  /// missing leave no aggregate, and the report names that cause, not missing anchors.
  @Test("A suite whose cells share no seed reports why it has no aggregate")
  func disjointSeedsAreNamedAsTheCause() throws {
    let store = ResultsStore(root: FakeResults.folder())
    try FakeResults.writeRun(store, environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 400, lastHundred: 400)
    try FakeResults.writeRun(store, environment: "Acrobot-v1", algorithm: .a2c, seed: 1, evaluation: -90, lastHundred: -95)
    let catalog = try ResultsCatalog(store: store, suite: "classic")
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(catalog)
    #expect(aggregate.algorithms.isEmpty)
    #expect(aggregate.cells.allSatisfy { $0.normalizedScores != nil })
    let markdown = try PaperWriter(catalog: catalog, aggregate: aggregate, resultsPath: "results", referenceRuns: []).markdown
    #expect(markdown.contains("No algorithm has a seed present on every environment it ran"))
    #expect(!markdown.contains("No environment with score anchors"))
    // §2.3 sets the last-100 training mean beside the evaluation mean; one seed has no sd and no
    // interval (every resample is that seed), so the value stands alone.
    let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| Acrobot-v1 | A2C | 1 |") })
    #expect(row.contains("| -90.00 (1 seed) | – | -90.00 (1 seed) | -95.00 (1 seed) |"), "\(row)")
    // Writing the figures removes this suite's figures the results no longer give, and nothing else.
    let figures = FakeResults.folder("stale-figures")
    try FileManager.default.createDirectory(at: figures, withIntermediateDirectories: true)
    let stale = ["classic-aggregate-iqm.png", "classic-performance-profile.png", "classic-curves-Gone-v0.png"]
    let others = ["classic-mlp-curves-CartPole-v1.png", "mujoco-aggregate-iqm.png", "notes.txt"]
    for name in stale + others { try Data([1]).write(to: figures.appendingPathComponent(name)) }
    let written = try FigureSet(catalog: catalog, aggregate: aggregate).write(to: figures)
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: figures.path))
    #expect(left == Set(others + written.map(\.lastPathComponent)))
    #expect(written.map(\.lastPathComponent).sorted() == ["classic-curves-Acrobot-v1.png", "classic-curves-CartPole-v1.png"])
    // One shared seed is enough for the aggregate.
    try FakeResults.writeRun(store, environment: "Acrobot-v1", algorithm: .a2c, seed: 0, evaluation: -88, lastHundred: -88)
    let joined = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(
      try ResultsCatalog(store: store, suite: "classic"))
    #expect(joined.algorithms.map(\.seeds) == [[0]])
    // Two seeds: intervals and the sd.
    let two = try PaperWriter(
      catalog: try ResultsCatalog(store: store, suite: "classic"), aggregate: joined, resultsPath: "results",
      referenceRuns: []
    ).markdown
    let twoRow = try #require(two.split(separator: "\n").first { $0.hasPrefix("| Acrobot-v1 | A2C | 2 |") })
    #expect(twoRow.contains("| -89.00 [-90.00, -88.00] | 1.41 | -89.00 [-90.00, -88.00] |"), "\(twoRow)")
  }
}

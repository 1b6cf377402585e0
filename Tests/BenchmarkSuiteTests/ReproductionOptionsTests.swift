import Foundation
import Plotting
import Testing

@testable import BenchmarkSuite

/// The report's `bench run` line regenerates the folder's runs, not the suite's defaults.
@Suite struct ReproductionOptionsTests {
  private let suiteEntry = SuiteEntry(
    environment: "CartPole-v1", algorithm: .a2c, environmentCount: 8, timesteps: 500_000,
    hyperparameters: ["gamma": 0.99], source: "test")

  private func run(
    seed: Int = 0, timesteps: Int? = nil, evaluation: Int? = nil, set: [String: HyperparameterValue] = [:]
  ) -> RunSpec {
    var entry = suiteEntry
    if let timesteps { entry.timesteps = timesteps }
    if let evaluation { entry.evaluationTimesteps = evaluation }
    for (name, value) in set { entry.hyperparameters[name] = value }
    return RunSpec(suite: "test", entry: entry, seed: seed)
  }

  private func options(_ runs: [RunSpec], entries: Int = 1) -> ReproductionOptions {
    ReproductionOptions(runs: runs, entries: entries) { [suiteEntry] _ in suiteEntry }
  }

  @Test func runsAtTheSuiteSettingsNeedOnlyTheirSeeds() {
    let defaults = options([run(seed: 0), run(seed: 1), run(seed: 2)])
    #expect(defaults.options == ["--seeds", "3"] && defaults.unexpressed.isEmpty && defaults.extraRuns == 0)
    // Seeds 2 and 4: the range 2…4, not two seeds from 0; the line also makes seed 3.
    let gap = options([run(seed: 4), run(seed: 2)])
    #expect(gap.options == ["--seeds", "3", "--start-seed", "2"] && gap.extraRuns == 1)
    // A part-filled grid: 2 entries × 3 seeds, 4 runs held.
    #expect(options([run(seed: 0), run(seed: 1), run(seed: 2), run(seed: 0)], entries: 2).extraRuns == 3)
  }

  @Test func otherBudgetsAndSetsBecomeOptions() {
    let net = HyperparameterValue.json(.object(["policy": .array([.number(32)])]))
    let runs = [0, 1].map { run(seed: $0, timesteps: 10_000, evaluation: 5_000, set: ["gamma": 0.9, "net_arch": net]) }
    let made = options(runs)
    #expect(made.unexpressed.isEmpty)
    #expect(
      made.options == [
        "--seeds", "2", "--timesteps", "10000", "--evaluation-timesteps", "5000", "--set", "gamma=0.9", "--set",
        "'net_arch={\"policy\":[32]}'",
      ])
  }

  @Test func settingsNoOneCommandMakesAreNamedNotDropped() {
    let budgets = options([run(seed: 0, timesteps: 400), run(seed: 1, timesteps: 800)])
    #expect(!budgets.options.contains("--timesteps"))
    #expect(budgets.unexpressed == ["training budgets that differ between runs (400, 800)"])
    let sets = options([run(seed: 0, set: ["gamma": 0.9]), run(seed: 1)])
    #expect(!sets.options.contains("--set"))
    #expect(sets.unexpressed.count == 1 && sets.unexpressed[0].hasPrefix("hyperparameters that differ"))
    // A run without a hyperparameter its entry now has: no --set removes it.
    var stripped = run()
    stripped.entry.hyperparameters = [:]
    #expect(options([stripped]).unexpressed == ["runs without hyperparameters their suite entry now sets (gamma)"])
    // Values --set would read back as another value: a string that looks like a number, a boolean or JSON.
    for text in ["1e-3", "true", "null", "[1]", ""] {
      let made = options([run(set: ["lr_schedule": .string(text)])])
      #expect(!made.options.contains("--set"), "\(text)")
      #expect(made.unexpressed == ["lr_schedule = \"\(text)\", which --set would read back as another value"])
    }
    #expect(options([run(set: ["lr_schedule": "linear"])]).options.suffix(2) == ["--set", "lr_schedule=linear"])
    let gone = ReproductionOptions(runs: [run()], entries: 1) { _ in nil }
    #expect(gone.unexpressed == ["1 run(s) of entries the suite no longer has (e.g. test/CartPole-v1/a2c/seed-0)"])
  }

  @Test func valuesAreQuotedForTheShell() {
    #expect(ReproductionOptions.shellQuoted("lr_schedule=linear") == "lr_schedule=linear")
    #expect(ReproductionOptions.shellQuoted("a b") == "'a b'")
    #expect(ReproductionOptions.shellQuoted("it's") == "'it'\\''s'")
    #expect(ReproductionOptions.shellQuoted("") == "''")
  }

  @Test func theReportPrintsTheOptionsAndSaysWhatNoCommandMakes() throws {
    let store = ResultsStore(root: FakeResults.folder("reproduction-options"))
    func addRun(seed: Int, timesteps: Int) throws {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: 400, lastHundred: 400,
        timesteps: timesteps, evaluationTimesteps: 5_000)
    }
    for seed in 0..<2 { try addRun(seed: seed, timesteps: 10_000) }
    try FakeResults.writeManifest(store)
    func paper() throws -> String { try FakeResults.paperWriter(store).markdown }
    var text = try paper()
    #expect(
      text.contains(
        "bench run --suite classic --environments CartPole-v1 --algorithms a2c --seeds 2 --timesteps 10000 "
          + "--evaluation-timesteps 5000 --jobs 2"), "\(text)")
    #expect(!text.contains("No one `bench run` line makes") && !text.contains("also makes the"))
    try addRun(seed: 2, timesteps: 20_000)
    text = try paper()
    #expect(text.contains("--seeds 3 --evaluation-timesteps 5000 --jobs 2"))
    #expect(
      text.contains(
        "No one `bench run` line makes all of this folder's runs: it holds training budgets that differ between "
          + "runs (10000, 20000)."))
    // Seed 4 without seed 3: the line's range makes one run more than the folder holds.
    try addRun(seed: 4, timesteps: 20_000)
    text = try paper()
    #expect(text.contains("--seeds 5 --evaluation-timesteps 5000 --jobs 2"))
    #expect(
      text.contains(
        "The `bench run` line also makes the 1 run of these environments, algorithms and seeds that the folder "
          + "does not hold yet."))
  }

  @Test func theAdHocSuiteNamesItsEnvironmentsAndNonDefaultAlgorithms() throws {
    let store = ResultsStore(root: FakeResults.folder("reproduction-gymnasium"))
    try FakeResults.writeRun(
      store, suite: "gymnasium", environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 400,
      lastHundred: 400)
    try FakeResults.writeManifest(store, suite: "gymnasium")
    let text = try FakeResults.paperWriter(store, suite: "gymnasium").markdown
    // Without --environments, `bench run --suite gymnasium` is refused; without --algorithms it runs A2C and ACKTR.
    #expect(text.contains("bench run --suite gymnasium --environments CartPole-v1 --algorithms a2c --seeds 1"), "\(text)")
  }
}

/// §2.6 names the environments without a learning curve instead of leaving the section empty.
@Suite struct MissingCurveTests {
  @Test func anEnvironmentWhoseRunsCompletedNoEpisodeIsNamed() throws {
    let store = ResultsStore(root: FakeResults.folder("no-curve"))
    try FakeResults.writeRun(
      store, environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 400, lastHundred: 400)
    try FakeResults.writeRun(store, environment: "Acrobot-v1", algorithm: .a2c, seed: 0, evaluation: -90, lastHundred: -90)
    // Acrobot's run completed no training episode: its curve has no finite last-100 mean.
    try Self.writeEpisodeLessCurve(store, environment: "Acrobot-v1", algorithm: .a2c, seed: 0)
    try FakeResults.writeManifest(store)
    let paper = try FakeResults.paperWriter(store).markdown
    let section = try #require(paper.split(separator: "### 2.6 Learning curves").last)
    #expect(section.contains("No learning curve for Acrobot-v1: no run there completed a training episode"))
    #expect(section.contains("classic-curves-CartPole-v1.png"))
  }

  /// Replaces a run's curve with the one a run that completed no training episode writes: every
  /// last-100 mean `nan`.
  private static func writeEpisodeLessCurve(_ store: ResultsStore, environment: String, algorithm: AlgorithmID, seed: Int)
    throws
  {
    var curve = FakeResults.curveHeader + "\n"
    for k in 1...10 { curve += "\(k * 1000),\(k),0,nan,nan,0.5,1.5,0.69,0.1,0.0007\n" }
    try store.write(
      Data(curve.utf8), to: "runs/classic/\(environment)/\(algorithm.rawValue)/seed-\(seed)/curve.csv")
  }

  @Test func anAlgorithmWithoutACurveOnAnEnvironmentWithCurvesIsNamedInTheCaption() throws {
    let store = ResultsStore(root: FakeResults.folder("no-curve-one-algorithm"))
    try FakeResults.writeRun(
      store, environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 400, lastHundred: 400)
    try FakeResults.writeRun(
      store, environment: "CartPole-v1", algorithm: .acer, seed: 0, evaluation: 20, lastHundred: 20)
    try Self.writeEpisodeLessCurve(store, environment: "CartPole-v1", algorithm: .acer, seed: 0)
    try FakeResults.writeManifest(store)
    let catalog = try ResultsCatalog(store: store, suite: "classic")
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(catalog)
    let figures = try FigureSet(catalog: catalog, aggregate: aggregate)
    let curves = try #require(figures.entries.first { $0.fileName == "classic-curves-CartPole-v1.png" })
    #expect(curves.caption.contains("No curve for ACER: none of its runs here completed a training episode."))
    #expect(!curves.caption.contains("No curve for A2C"))
  }

  @Test func aCurvesSeedsAreTheRunsWithAFiniteLastHundredMean() throws {
    let store = ResultsStore(root: FakeResults.folder("no-curve-one-seed"))
    for seed in 0..<3 {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: 400, lastHundred: 400)
    }
    try Self.writeEpisodeLessCurve(store, environment: "CartPole-v1", algorithm: .a2c, seed: 1)
    try FakeResults.writeManifest(store)
    let catalog = try ResultsCatalog(store: store, suite: "classic")
    let curve = try #require(
      try LearningCurve.summarize(
        catalog.runs(environment: "CartPole-v1", algorithm: .a2c), settings: BootstrapSettings(repetitions: 200)))
    #expect(curve.seeds == [0, 2])
    let aggregate = try Aggregator(settings: BootstrapSettings(repetitions: 200)).aggregate(catalog)
    let figures = try FigureSet(catalog: catalog, aggregate: aggregate)
    let curves = try #require(figures.entries.first { $0.fileName == "classic-curves-CartPole-v1.png" })
    let plot = try #require(curves.figure as? LinePlot)
    #expect(plot.series.map(\.name) == ["A2C (2 seeds)"])
  }
}

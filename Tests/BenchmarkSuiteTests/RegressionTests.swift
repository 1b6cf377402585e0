import BenchmarkSuite
import Foundation
import Testing

@Suite("bench regress")
struct RegressionTests {
  /// A tiny suite: A2C on CartPole for 2,000 steps, evaluated for 500.
  let suite = Suite(
    name: "tiny", summary: "test",
    entries: [
      SuiteEntry(
        environment: "CartPole-v1", algorithm: .a2c, environmentCount: 4, timesteps: 2_000,
        hyperparameters: ["ent_coef": 0.0], evaluationTimesteps: 500, source: "test")
    ])

  func committed() throws -> ResultsStore {
    let store = ResultsStore(root: FakeResults.folder("committed"))
    for run in suite.runs(seeds: 2, startSeed: 3) { try RunExecutor.execute(run, store: store) }
    return store
  }

  func curveURL(_ store: ResultsStore, seed: Int) -> URL {
    store.runsFolder.appendingPathComponent("tiny/CartPole-v1/a2c/seed-\(seed)/curve.csv")
  }

  @Test("A replay of unchanged code is identical; the committed seeds are found")
  func identical() throws {
    let store = try committed()
    let check = ReplayCheck(committed: store, suite: suite)
    #expect(try check.committedSeeds() == [3, 4])
    let results = try check.run(scratch: FakeResults.folder("replay"))
    #expect(results.map(\.identifier) == ["tiny/CartPole-v1/a2c/seed-3", "tiny/CartPole-v1/a2c/seed-4"])
    #expect(results.allSatisfy { $0.differences.isEmpty })
  }

  @Test("A changed learning-curve value is a difference; a changed timing.json is not")
  func changedCurve() throws {
    let store = try committed()
    // timing.json holds wall-clock numbers: rewriting it is not a difference.
    let timing = store.runsFolder.appendingPathComponent("tiny/CartPole-v1/a2c/seed-3/timing.json")
    var record = try JSONCoding.decoder.decode(RunTiming.self, from: Data(contentsOf: timing))
    record.trainingSeconds *= 1000
    try JSONCoding.encoder.encode(record).write(to: timing)
    #expect(
      try ReplayCheck(committed: store, suite: suite).run(scratch: FakeResults.folder("replay"))
        .allSatisfy { $0.differences.isEmpty })
    // The last row: change the last digit of mean_return_last100.
    let url = curveURL(store, seed: 3)
    var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    let last = lines.count - 1
    var fields = lines[last].split(separator: ",").map(String.init)
    let original = fields[3]
    fields[3] = String(original.dropLast()) + (original.last == "1" ? "2" : "1")
    lines[last] = fields.joined(separator: ",")
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    let results = try ReplayCheck(committed: store, suite: suite).run(scratch: FakeResults.folder("replay"))
    #expect(
      results[0].differences == [
        "curve.csv row \(last), column mean_return_last100: \(original) (committed \(fields[3]))"
      ])
    #expect(results[1].differences.isEmpty)
  }

  @Test("curve.csv ends at the last update and holds no wall-clock column; timing.json has its rows and the counted arithmetic")
  func curveEndsWithTraining() throws {
    // 10,030 steps: a row every 50 steps (budget / 200) and 20 steps per update, so the updates
    // cross checkpoints at 60, 100, 160, 200, … and training ends between two checkpoints, after a
    // last update that does not cross one: only the end-of-training row shows it.
    var long = suite
    long.entries[0].timesteps = 10_030
    let store = ResultsStore(root: FakeResults.folder("long"))
    try RunExecutor.execute(long.runs(seeds: 1, startSeed: 0)[0], store: store)
    let folder = store.runsFolder.appendingPathComponent("tiny/CartPole-v1/a2c/seed-0")
    let curve = try CurveTable(contentsOf: folder.appendingPathComponent("curve.csv"))
    let summary = try JSONCoding.decoder.decode(
      RunSummary.self, from: Data(contentsOf: folder.appendingPathComponent("summary.json")))
    #expect(!curve.header.contains("steps_per_second"))
    let timesteps = try curve.column("timesteps")
    #expect(timesteps.last == Double(summary.timesteps))
    #expect(summary.timesteps % 100 != 0 && summary.timesteps % 100 != 60, "the end must fall between checkpoints")
    let timing = try JSONCoding.decoder.decode(
      RunTiming.self, from: Data(contentsOf: folder.appendingPathComponent("timing.json")))
    #expect(timing.checkpoints.map { Double($0.timesteps) } == timesteps)
    #expect(timing.trainingSeconds > 0 && timing.stepsPerSecond > 0)
    // The training's BLAS arithmetic is counted over (a part of) its training time.
    let arithmetic = try #require(timing.arithmetic)
    #expect(arithmetic.floatingPointOperations > 0)
    #expect(arithmetic.trainingSeconds > 0 && arithmetic.trainingSeconds <= timing.trainingSeconds)
  }

  @Test("A changed summary or suite definition is a difference")
  func changedSummary() throws {
    let store = try committed()
    var changed = suite
    changed.entries[0].hyperparameters["gamma"] = 0.9
    let results = try ReplayCheck(committed: store, suite: changed).run(scratch: FakeResults.folder("replay"))
    let differences = results[0].differences
    #expect(
      differences.contains("spec.json differs: the suite definition changed since the results were committed")
    )
    #expect(differences.contains { $0.hasPrefix("configuration.json differs") })
    #expect(differences.contains { $0.hasPrefix("summary.json hyperparameters:") })
  }

  @Test("Nothing committed is an error that says how to commit")
  func nothingCommitted() throws {
    let check = ReplayCheck(committed: ResultsStore(root: FakeResults.folder()), suite: suite)
    do {
      _ = try check.run(scratch: FakeResults.folder("replay"))
      Issue.record("a replay without committed runs succeeded")
    } catch {
      #expect(
        "\(error)".contains(
          "no committed runs of suite 'tiny' to replay; create them with 'bench run --suite tiny"))
    }
  }

  @Test("callgrind's total is parsed from either summary line")
  func parseCount() {
    let collected =
      "==123== Events    : Ir\n==123== Collected : 923191106\n==123==\n==123== I   refs:      923,191,106\n"
    #expect(CallgrindCounter.parseCount(collected) == 923_191_106)
    #expect(CallgrindCounter.parseCount("==9== I   refs:      1,234,567\n") == 1_234_567)
    #expect(CallgrindCounter.parseCount("valgrind: command not found") == nil)
  }

  @Test("More work than the tolerance allows is a regression; less never is")
  func tolerance() throws {
    let baseline = PerfBaseline(
      valgrindVersion: "valgrind-3.19.0", swiftVersion: "6.3.1", openBLASConfiguration: "OpenBLAS",
      gitRevision: "x",
      workloads: [
        PerfBaseline.Workload(name: .a2c, description: "", timesteps: 8000, instructions: 1_000_000)
      ])
    #expect(baseline.tolerance == 0.02)
    #expect(baseline.compare(.a2c, measured: 1_019_999)?.isRegression == false)
    #expect(baseline.compare(.a2c, measured: 1_020_001)?.isRegression == true)
    #expect(baseline.compare(.a2c, measured: 2_000_000)?.change == 1)
    #expect(baseline.compare(.a2c, measured: 500_000)?.isRegression == false)
    #expect(baseline.compare(.acer, measured: 1) == nil)
    let data = try JSONCoding.encoder.encode(baseline)
    #expect(try JSONCoding.decoder.decode(PerfBaseline.self, from: data) == baseline)
  }
}

import BenchmarkSuite
import Foundation
import Testing

@Suite struct SuiteRunnerTests {
  @Test func runningIntoAFolderAgainKeepsEarlierProvenance() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "acb-manifest-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let store = ResultsStore(root: root)
    func run(seed: Int, label: String) throws {
      let plan = try RunPlan(
        suiteName: "smoke", algorithms: [.a2c], environments: [], seeds: 1, startSeed: seed, timesteps: 400,
        shard: nil)
      var runner = SuiteRunner(plan: plan, store: store, jobs: 1, commandLine: ["bench", label])
      runner.progressOutput = { _ in }
      _ = try runner.run()
    }
    try run(seed: 0, label: "first")
    var manifest = try JSONCoding.decoder.decode(Provenance.self, from: store.read("manifest.json"))
    #expect(manifest.shards == nil)
    #expect(manifest.commandLine == ["bench", "first"])
    try run(seed: 1, label: "second")
    manifest = try JSONCoding.decoder.decode(Provenance.self, from: store.read("manifest.json"))
    #expect(manifest.commandLine == ["bench", "second"])
    #expect(manifest.shards?.map(\.commandLine) == [["bench", "first"], ["bench", "second"]])
    #expect(manifest.shards?.allSatisfy { $0.shards == nil } == true)
  }

  @Test func aCompleteRunWithOtherSettingsIsRefusedNotReused() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "acb-respec-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let store = ResultsStore(root: root)
    func runner(timesteps: Int, overrides: [String: HyperparameterValue] = [:]) throws -> SuiteRunner {
      let plan = try RunPlan(
        suiteName: "smoke", algorithms: [.a2c], environments: [], seeds: 1, startSeed: 0, timesteps: timesteps,
        shard: nil, overrides: overrides)
      var runner = SuiteRunner(plan: plan, store: store, jobs: 1, commandLine: ["bench"])
      runner.progressOutput = { _ in }
      return runner
    }
    _ = try runner(timesteps: 400).run()
    #expect(try runner(timesteps: 400).run().skipped == 1)
    do {
      _ = try runner(timesteps: 800).run()
      Issue.record("a run with another budget was reused")
    } catch let error as BenchmarkError {
      #expect("\(error)".contains("timesteps 400 vs 800"))
      #expect("\(error)".hasSuffix("use another --results folder"))
    }
    do {
      _ = try runner(timesteps: 400, overrides: ["lr_schedule": "linear"]).run()
      Issue.record("a run with another schedule was reused")
    } catch let error as BenchmarkError {
      #expect("\(error)".contains("lr_schedule default vs linear"))
    }
  }

  @Test func overridesAreCheckedWhenThePlanIsBuilt() {
    #expect(throws: BenchmarkError.self) {
      _ = try RunPlan(
        suiteName: "smoke", algorithms: [.a2c], environments: [], seeds: 1, startSeed: 0, timesteps: nil,
        shard: nil, overrides: ["no_such_knob": 1])
    }
    do {
      _ = try RunPlan(
        suiteName: "smoke", algorithms: [.a2c], environments: [], seeds: 1, startSeed: 0, timesteps: nil,
        shard: nil, overrides: ["lr_schedule": "linear", "learning_rate": 0.001])
    } catch {
      Issue.record("valid overrides were refused: \(error)")
    }
  }
}

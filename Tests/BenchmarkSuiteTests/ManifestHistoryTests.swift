import BenchmarkSuite
import Foundation
import Testing

@Suite struct ManifestHistoryTests {
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
}

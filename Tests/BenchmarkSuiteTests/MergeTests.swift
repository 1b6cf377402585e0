import BenchmarkSuite
import Foundation
import Testing

@Suite("bench merge")
struct MergeTests {
  func shard(
    _ seeds: [Int], score: (Int) -> Double = { Double(100 + $0) }, seconds: Double = 1.5,
    gitRevision: String = "abc1234", createdAt: String = "2026-01-01T00:00:00Z", suite: String = "classic"
  ) throws -> ResultsStore {
    let store = ResultsStore(root: FakeResults.folder("shard"))
    for seed in seeds {
      try FakeResults.writeRun(
        store, suite: suite, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: score(seed),
        lastHundred: score(seed), trainingSeconds: seconds)
    }
    try FakeResults.writeManifest(store, suite: suite, gitRevision: gitRevision, createdAt: createdAt)
    return store
  }

  func runs(_ store: ResultsStore) throws -> [String] {
    try FileManager.default.contentsOfDirectory(
      atPath: store.runsFolder.appendingPathComponent("classic/CartPole-v1/a2c").path
    ).sorted()
  }

  @Test("Disjoint shards and identical duplicates join into the union")
  func union() throws {
    let a = try shard([0, 1])
    // Seed 1 again with another wall-clock time: a duplicate, not a conflict.
    let b = try shard([1, 2], seconds: 9.0, createdAt: "2026-01-02T00:00:00Z")
    let target = ResultsStore(root: FakeResults.folder("merged"))
    let outcome = try ResultsMerger(target: target, sources: [a, b]).merge(commandLine: ["bench", "merge"])
    #expect(outcome.copied == [0, 1, 2].map { "classic/CartPole-v1/a2c/seed-\($0)" })
    #expect(outcome.duplicates == ["classic/CartPole-v1/a2c/seed-1"])
    #expect(try runs(target) == ["seed-0", "seed-1", "seed-2"])
    for seed in 0...2 {
      let folder = target.runsFolder.appendingPathComponent("classic/CartPole-v1/a2c/seed-\(seed)")
      for file in ["spec.json", "configuration.json", "curve.csv", "episodes.csv", "summary.json", "timing.json"] {
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path))
      }
    }
    let manifest = try JSONCoding.decoder.decode(Provenance.self, from: try target.read("manifest.json"))
    #expect(manifest.shards?.count == 2)
    #expect(manifest.createdAt == "2026-01-02T00:00:00Z")
    #expect(manifest.commandLine == ["bench", "merge"])
    // Merging again changes nothing.
    let again = try ResultsMerger(target: target, sources: [a, b]).merge(commandLine: ["bench", "merge"])
    #expect(again.copied.isEmpty)
    let remerged = try JSONCoding.decoder.decode(Provenance.self, from: try target.read("manifest.json"))
    #expect(remerged.shards?.count == 2)
    #expect(try ResultsCatalog(store: target, suite: "classic").runs.count == 3)
  }

  @Test("Conflicting duplicates are refused and nothing is written")
  func conflict() throws {
    let a = try shard([0, 1])
    let b = try shard([1, 2], score: { Double(200 + $0) })
    let target = ResultsStore(root: FakeResults.folder("merged"))
    do {
      try ResultsMerger(target: target, sources: [a, b]).merge(commandLine: ["bench", "merge"])
      Issue.record("a conflicting merge succeeded")
    } catch {
      let text = "\(error)"
      #expect(text.hasPrefix("cannot merge into \(target.root.path): 1 conflicting run(s), nothing merged:"))
      #expect(
        text.contains(
          "classic/CartPole-v1/a2c/seed-1: \(a.root.path) and \(b.root.path) hold different summaries"))
    }
    #expect(!FileManager.default.fileExists(atPath: target.runsFolder.path))
    #expect(!FileManager.default.fileExists(atPath: target.root.appendingPathComponent("manifest.json").path))
  }

  @Test("Results of different builds are not pooled unless asked")
  func provenance() throws {
    let a = try shard([0])
    let b = try shard([1], gitRevision: "def5678")
    let target = ResultsStore(root: FakeResults.folder("merged"))
    #expect(throws: BenchmarkError.self) {
      try ResultsMerger(target: target, sources: [a, b]).merge(commandLine: ["bench", "merge"])
    }
    let outcome = try ResultsMerger(target: target, sources: [a, b], allowMixedProvenance: true)
      .merge(commandLine: ["bench", "merge"])
    #expect(outcome.copied.count == 2)
  }

  @Test("Folders of different suites made by different builds merge; the manifest keeps each suite's build")
  func provenancePerSuite() throws {
    let a = try shard([0])
    let b = try shard([0], gitRevision: "def5678", suite: "smoke")
    let target = ResultsStore(root: FakeResults.folder("merged"))
    let outcome = try ResultsMerger(target: target, sources: [a, b]).merge(commandLine: ["bench", "merge"])
    #expect(outcome.copied == ["classic/CartPole-v1/a2c/seed-0", "smoke/CartPole-v1/a2c/seed-0"])
    let manifest = try JSONCoding.decoder.decode(Provenance.self, from: try target.read("manifest.json"))
    #expect(manifest.sessions(suite: "classic").map(\.gitRevision) == ["abc1234"])
    #expect(manifest.sessions(suite: "smoke").map(\.gitRevision) == ["def5678"])
    // A third folder with classic runs of the smoke build conflicts with the classic sessions only.
    let c = try shard([1], gitRevision: "def5678")
    #expect(throws: BenchmarkError.self) {
      try ResultsMerger(target: target, sources: [c]).merge(commandLine: ["bench", "merge"])
    }
    do { try ResultsMerger(target: target, sources: [c]).merge(commandLine: ["bench", "merge"]) } catch {
      #expect("\(error)".contains("suite classic: gitRevision is 'def5678'"))
    }
    #expect(try runs(target) == ["seed-0"])
  }

  @Test("Half-written runs in a shard are not merged")
  func partial() throws {
    let a = try shard([0])
    let partial = a.runsFolder.appendingPathComponent("classic/CartPole-v1/a2c/seed-1.partial-123")
    try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
    try Data("{}".utf8).write(to: partial.appendingPathComponent("summary.json"))
    let target = ResultsStore(root: FakeResults.folder("merged"))
    let outcome = try ResultsMerger(target: target, sources: [a]).merge(commandLine: ["bench", "merge"])
    #expect(outcome.copied == ["classic/CartPole-v1/a2c/seed-0"])
    #expect(try runs(target) == ["seed-0"])
  }

  @Test("A folder without runs/ is refused by name")
  func notAResultsFolder() throws {
    let empty = ResultsStore(root: FakeResults.folder("empty"))
    let target = ResultsStore(root: FakeResults.folder("merged"))
    do {
      try ResultsMerger(target: target, sources: [empty]).merge(commandLine: [])
      Issue.record("merging an empty folder succeeded")
    } catch {
      #expect("\(error)" == "\(empty.root.path): not a results folder (no runs/ folder inside)")
    }
  }
}

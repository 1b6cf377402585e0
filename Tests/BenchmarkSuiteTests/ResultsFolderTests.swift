import BenchmarkSuite
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A pid no process can have (above Linux's largest `pid_max`, 2²²), for leftovers of a dead
/// process.
let deadPid = 2_147_483_000

@Suite("Results folder: lock, cleanup, consistent run folders, confined paths")
struct ResultsFolderTests {
  func smokePlan() throws -> RunPlan {
    try RunPlan(
      suiteName: "smoke", algorithms: [.a2c], environments: [], seeds: 1, startSeed: 0, timesteps: 400, shard: nil)
  }

  // MARK: - Lock

  @Test("A second writer is refused, naming the holder's pid, host and start time; release frees it")
  func secondWriterRefused() throws {
    let root = FakeResults.folder()
    let first = try ResultsLock(root: root, commandLine: ["bench", "run"])
    let error = #expect(throws: BenchmarkError.self) { _ = try ResultsLock(root: root, commandLine: ["bench", "merge"]) }
    if case .resultsLocked(let path, let holder)? = error {
      #expect(path == root.path)
      #expect(holder.hasPrefix("pid \(getpid()) on host \(ProcessInfo.processInfo.hostName), started 20"))
      #expect(holder.hasSuffix("(bench run)"))
    } else {
      Issue.record("expected resultsLocked, got \(String(describing: error))")
    }
    #expect(error.map { "\($0)" }?.hasSuffix("; wait for it to finish, or pass --wait") == true)
    first.release()
    let again = try ResultsLock(root: root, commandLine: ["bench", "merge"])
    again.release()
  }

  @Test("A checkpoint folder left beside its complete run (killed between commit and cleanup) is removed; one of a pending run is kept")
  func checkpointOfCompleteRunIsALeftover() throws {
    let root = FakeResults.folder()
    let store = ResultsStore(root: root)
    try FakeResults.writeRun(store, environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 500, lastHundred: 480)
    let complete = root.appendingPathComponent("runs/classic/CartPole-v1/a2c/seed-0.checkpoint")
    let pending = root.appendingPathComponent("runs/classic/CartPole-v1/a2c/seed-1.checkpoint")
    for folder in [complete, pending] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data([1, 2, 3]).write(to: folder.appendingPathComponent("update-5.acbc"))
    }
    #expect(store.removeLeftovers() == 1)
    #expect(!FileManager.default.fileExists(atPath: complete.path))
    #expect(FileManager.default.fileExists(atPath: pending.appendingPathComponent("update-5.acbc").path))
    #expect(store.isComplete(RunSpec(suite: "classic", entry: FakeResults.entry("CartPole-v1", .a2c), seed: 0)))
  }

  @Test("bench run's runner refuses a locked folder before writing anything")
  func runnerRefusesLockedFolder() throws {
    let store = ResultsStore(root: FakeResults.folder())
    let lock = try ResultsLock(root: store.root, commandLine: ["other"])
    defer { lock.release() }
    var runner = SuiteRunner(plan: try smokePlan(), store: store, jobs: 1, commandLine: ["bench"])
    runner.progressOutput = { _ in }
    #expect(throws: BenchmarkError.self) { try runner.run() }
    #expect(!FileManager.default.fileExists(atPath: store.root.appendingPathComponent("manifest.json").path))
    #expect(!FileManager.default.fileExists(atPath: store.runsFolder.path))
  }

  @Test("With wait, a merge blocks until the holder releases the lock, then merges")
  func mergeWaits() throws {
    let source = ResultsStore(root: FakeResults.folder("shard"))
    try FakeResults.writeRun(source, environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 1, lastHundred: 1)
    let target = ResultsStore(root: FakeResults.folder("merged"))
    let lock = try ResultsLock(root: target.root, commandLine: ["holder"])
    let released = Date().addingTimeInterval(0.3)
    Thread.detachNewThread {
      Thread.sleep(until: released)
      lock.release()
    }
    let told = Told()
    var merger = ResultsMerger(target: target, sources: [source])
    merger.waitForLock = true
    merger.waiting = { told.set($0) }
    let outcome = try merger.merge(commandLine: ["bench", "merge"])
    #expect(Date() >= released)
    #expect(outcome.copied == ["classic/CartPole-v1/a2c/seed-0"])
    #expect(told.value?.contains("(holder)") == true)
  }

  @Test("bench run and bench merge on a locked folder exit 1 naming the holder; merge --wait finishes after release")
  func mergeCommandLine() throws {
    try BenchBinary.require()
    let source = ResultsStore(root: FakeResults.folder("shard"))
    try FakeResults.writeRun(source, environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 1, lastHundred: 1)
    let target = FakeResults.folder("merged")
    let lock = try ResultsLock(root: target, commandLine: ["test-holder"])
    let refused = try BenchBinary.run(["merge", "--into", target.path, source.root.path])
    let run = try BenchBinary.run(
      ["run", "--suite", "smoke", "--algorithms", "a2c", "--seeds", "1", "--timesteps", "40", "--results", target.path])
    for outcome in [refused, run] {
      #expect(outcome.status == 1)
      #expect(outcome.error.hasPrefix("Error: results folder \(target.path) is in use by pid \(getpid()) on host "))
      #expect(outcome.error.hasSuffix("(test-holder); wait for it to finish, or pass --wait\n"))
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: target.path) == [".lock"])
    let logs = FakeResults.folder("logs")
    let waiting = try BenchBinary.start(["merge", "--wait", "--into", target.path, source.root.path], logs: logs)
    Thread.sleep(forTimeInterval: 0.5)
    #expect(waiting.isRunning)
    lock.release()
    waiting.waitUntilExit()
    #expect(waiting.terminationStatus == 0)
    let stderr = try String(contentsOf: logs.appendingPathComponent("stderr"), encoding: .utf8)
    #expect(stderr.hasPrefix("Waiting for \(target.path), in use by pid \(getpid())"))
  }

  // MARK: - Cleanup

  @Test("Cleanup deletes only this tool's leftovers of dead processes")
  func cleanupIsExact() throws {
    let store = ResultsStore(root: FakeResults.folder())
    let fm = FileManager.default
    let cell = store.runsFolder.appendingPathComponent("smoke/CartPole-v1/a2c")
    let deadPartial = cell.appendingPathComponent("seed-3.partial-\(deadPid)")
    let livePartial = cell.appendingPathComponent("seed-4.partial-1")  // pid 1 always exists
    let userFolders = [
      store.runsFolder.appendingPathComponent("smoke/CartPole-v1/my.partial-backup"),
      store.root.appendingPathComponent("my.partial-backup"),
    ]
    let deadManifest = store.root.appendingPathComponent("manifest.json.tmp-\(deadPid)")
    let deadAggregate = store.root.appendingPathComponent("aggregate/classic.json.tmp-\(deadPid)")
    let userFiles = [
      store.root.appendingPathComponent("notes.tmp-abc"), store.root.appendingPathComponent("notes.tmp-0\(deadPid)"),
    ]
    for folder in [deadPartial, livePartial] + userFolders { try fm.createDirectory(at: folder, withIntermediateDirectories: true) }
    try fm.createDirectory(at: store.root.appendingPathComponent("aggregate"), withIntermediateDirectories: true)
    for file in [deadManifest, deadAggregate] + userFiles { try Data("x".utf8).write(to: file) }

    #expect(store.removeLeftovers() == 3)
    for url in [deadPartial, deadManifest, deadAggregate] { #expect(!fm.fileExists(atPath: url.path), "\(url.path)") }
    for url in [livePartial] + userFolders + userFiles { #expect(fm.fileExists(atPath: url.path), "\(url.path)") }
  }

  @Test("Writes leave no temporary file behind")
  func writeIsClean() throws {
    let store = ResultsStore(root: FakeResults.folder())
    try store.write(Data("{}".utf8), to: "manifest.json")
    try store.write(Data("{\"a\":1}".utf8), to: "manifest.json")
    #expect(try FileManager.default.contentsOfDirectory(atPath: store.root.path) == ["manifest.json"])
    #expect(try store.read("manifest.json") == Data("{\"a\":1}".utf8))
  }

  // MARK: - Consistent run folders

  /// A folder with CartPole A2C seeds 0, 1, 2.
  func threeSeeds() throws -> ResultsStore {
    let store = ResultsStore(root: FakeResults.folder())
    for seed in 0..<3 {
      try FakeResults.writeRun(
        store, environment: "CartPole-v1", algorithm: .a2c, seed: seed, evaluation: Double(seed), lastHundred: 0)
    }
    try FakeResults.writeManifest(store)
    return store
  }

  func cell(_ store: ResultsStore) -> URL { store.runsFolder.appendingPathComponent("classic/CartPole-v1/a2c") }

  /// The error every reader gives: the catalog (aggregate, check, report, plot) and the merge.
  func refusals(_ store: ResultsStore) -> [String] {
    var messages: [String] = []
    do { _ = try ResultsCatalog(store: store, suite: "classic") } catch { messages.append("\(error)") }
    do {
      try ResultsMerger(target: ResultsStore(root: FakeResults.folder("merged")), sources: [store]).merge(commandLine: [])
    } catch { messages.append("\(error)") }
    return messages
  }

  @Test("A copied seed-0.bak folder is refused by path in the catalog and the merge")
  func copiedFolder() throws {
    let store = try threeSeeds()
    let copy = cell(store).appendingPathComponent("seed-0.bak")
    try FileManager.default.copyItem(at: cell(store).appendingPathComponent("seed-0"), to: copy)
    let expected = "\(copy.path): not a run folder (allowed: seed-<n>, n a non-negative integer)"
    #expect(refusals(store) == [expected, expected])
  }

  @Test("A renamed seed-1 → seed-9 is refused: the summary names another run")
  func renamedFolder() throws {
    let store = try threeSeeds()
    try FileManager.default.moveItem(
      at: cell(store).appendingPathComponent("seed-1"), to: cell(store).appendingPathComponent("seed-9"))
    let expected =
      "\(cell(store).path)/seed-9/summary.json: the summary is of run classic/CartPole-v1/a2c/seed-1, the "
      + "folder is classic/CartPole-v1/a2c/seed-9; folder name, spec.json and summary.json must agree (one folder per seed)"
    #expect(refusals(store) == [expected, expected])
  }

  @Test("A spec.json that disagrees with its summary is refused")
  func specMismatch() throws {
    let store = try threeSeeds()
    let url = cell(store).appendingPathComponent("seed-2/spec.json")
    var spec = try JSONCoding.decoder.decode(RunSpec.self, from: Data(contentsOf: url))
    spec.entry.timesteps = 1234
    try JSONCoding.encoder.encode(spec).write(to: url)
    let messages = refusals(store)
    #expect(messages.count == 2)
    #expect(messages.allSatisfy { $0.hasPrefix("\(url.path): spec.json disagrees with summary.json (timesteps 1234 vs ") })
  }

  @Test("The unmodified folder reads back with unique seeds")
  func consistentFolderReads() throws {
    let store = try threeSeeds()
    #expect(try ResultsCatalog(store: store, suite: "classic").runs.map(\.seed) == [0, 1, 2])
  }

  // MARK: - Confined paths

  @Test("Paths that would leave the results folder are refused")
  func confinedPaths() throws {
    let store = try threeSeeds()
    for path in ["../x.json", "aggregate/../../x.json", "/etc/passwd", "aggregate//x.json", "./x", ""] {
      #expect(throws: BenchmarkError.pathOutsideResults(path: path, root: store.root.path)) {
        try store.write(Data(), to: path)
      }
    }
    #expect(throws: BenchmarkError.pathOutsideResults(path: "runs/../runs/smoke", root: store.root.path)) {
      _ = try ResultsCatalog(store: store, suite: "../runs/smoke")
    }
    #expect(!FileManager.default.fileExists(atPath: store.root.deletingLastPathComponent().appendingPathComponent("x.json").path))
  }

  @Test("A summary naming environment ../../../../etc is refused; a run of it cannot be committed")
  func environmentOutside() throws {
    let store = try threeSeeds()
    let url = cell(store).appendingPathComponent("seed-0/summary.json")
    var summary = try JSONCoding.decoder.decode(RunSummary.self, from: Data(contentsOf: url))
    summary.run.entry.environment = "../../../../etc"
    try JSONCoding.encoder.encode(summary).write(to: url)
    #expect(refusals(store).allSatisfy { $0.hasPrefix("\(url.path): the summary is of run classic/../../../../etc/a2c/seed-0") })
    #expect(throws: BenchmarkError.pathOutsideResults(path: "runs/classic/../../../../etc/a2c/seed-0", root: store.root.path)) {
      try store.commit(run: summary.run, files: ["summary.json": Data()])
    }
  }
}

/// A value set from another thread.
final class Told: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: String?
  func set(_ value: String) { lock.withLock { stored = value } }
  var value: String? { lock.withLock { stored } }
}

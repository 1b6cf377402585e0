import BenchmarkSuite
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Checkpointed runs through the built executable: killed (SIGKILL) between updates, during a
/// checkpoint write and during the evaluation, stopped by SIGTERM, resumed from damaged
/// checkpoints — every rerun ends with run files byte-identical to an uninterrupted run.
@Suite("Checkpoints and resume (the built executable)", .serialized)
struct CheckpointTests {
  init() throws { try BenchBinary.require() }

  /// The deterministic files of a run folder (all but timing.json).
  static let files = ["configuration.json", "curve.csv", "episodes.csv", "spec.json", "summary.json"]

  static func arguments(_ algorithm: String, results: URL, timesteps: Int = 6_000, extra: [String] = []) -> [String] {
    [
      "run", "--suite", "smoke", "--algorithms", algorithm, "--seeds", "1", "--timesteps", "\(timesteps)", "--results",
      results.path,
    ] + extra
  }

  /// Runs uninterrupted, checkpoints off: the reference.
  static func reference(_ algorithm: String, timesteps: Int = 6_000, extra: [String] = []) throws -> URL {
    let root = FakeResults.folder("reference-\(algorithm)-\(timesteps)-\(extra.joined().hashValue)")
    let result = try BenchBinary.run(
      arguments(algorithm, results: root, timesteps: timesteps, extra: extra + ["--checkpoint-every", "off"]))
    try #require(result.status == 0, "\(result.error)")
    return root
  }

  /// Expects every deterministic file of `a` and `b`'s run (`<suite>/<environment>`, the smoke
  /// suite's CartPole by default) to be the same bytes.
  static func expectSameRun(
    _ a: URL, _ b: URL, _ algorithm: String, in entry: String = "smoke/CartPole-v1",
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let folder = "runs/\(entry)/\(algorithm)/seed-0/"
    for file in files {
      let x = try Data(contentsOf: a.appendingPathComponent(folder + file))
      let y = try Data(contentsOf: b.appendingPathComponent(folder + file))
      #expect(x == y, "\(file) differs from the uninterrupted run", sourceLocation: sourceLocation)
    }
    let leftovers = try FileManager.default.contentsOfDirectory(
      atPath: b.appendingPathComponent("runs/\(entry)/\(algorithm)").path)
    #expect(leftovers == ["seed-0"], "the checkpoint folder is removed once the run is complete", sourceLocation: sourceLocation)
  }

  static func checkpointFolder(_ root: URL, _ algorithm: String) -> URL {
    root.appendingPathComponent("runs/smoke/CartPole-v1/\(algorithm)/seed-0.checkpoint")
  }

  @Test(
    "SIGKILL after a checkpoint, halfway through writing one, and during the evaluation: the rerun resumes and is bit-identical",
    arguments: [
      ("a2c", "kill-after-checkpoint:3", [String]()),
      ("acktr", "kill-during-checkpoint:4", ["--set", "async_eigen_decomp=true"]),
      ("acer", "kill-after-checkpoint:2", []),
      ("acer", "kill-during-evaluation", []),
    ])
  func killedAndResumed(algorithm: String, fault: String, extra: [String]) throws {
    let reference = try Self.reference(algorithm, extra: extra)
    let root = FakeResults.folder("killed-\(algorithm)-\(fault)")
    let arguments = Self.arguments(algorithm, results: root, extra: extra + ["--checkpoint-every", "5updates"])
    let killed = try BenchBinary.run(arguments + ["--fault", fault])
    #expect(killed.status == 9 || killed.error.contains("SIGKILL"), "the fault hook killed the process: \(killed.error)")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("runs/smoke/CartPole-v1/\(algorithm)/seed-0").path))
    let names = try FileManager.default.contentsOfDirectory(atPath: Self.checkpointFolder(root, algorithm).path)
    #expect(names.contains { $0.hasSuffix(".acbc") })
    if fault.hasPrefix("kill-during-checkpoint") { #expect(names.contains { $0.contains(".acbc.tmp-") }) }

    let resumed = try BenchBinary.run(arguments)
    #expect(resumed.status == 0, "\(resumed.error)")
    #expect(resumed.error.contains("Resuming smoke/CartPole-v1/\(algorithm)/seed-0 from its checkpoint after update"))
    if fault == "kill-during-evaluation" { #expect(resumed.error.contains("training complete")) }
    try Self.expectSameRun(reference, root, algorithm)

    // timing.json's counted arithmetic is the last session's: part of the uninterrupted run's
    // operations over part of the training time, and none when that session trained nothing.
    func timing(_ results: URL) throws -> RunTiming {
      try JSONCoding.decoder.decode(
        RunTiming.self,
        from: Data(contentsOf: results.appendingPathComponent("runs/smoke/CartPole-v1/\(algorithm)/seed-0/timing.json")))
    }
    let whole = try #require(try timing(reference).arithmetic)
    let resumedTiming = try timing(root)
    if fault == "kill-during-evaluation" {
      #expect(resumedTiming.arithmetic == nil)
    } else {
      let last = try #require(resumedTiming.arithmetic)
      #expect(last.floatingPointOperations > 0 && last.floatingPointOperations < whole.floatingPointOperations)
      #expect(last.trainingSeconds > 0 && last.trainingSeconds < resumedTiming.trainingSeconds)
    }
  }

  @Test("kill -9 from outside at an arbitrary moment between checkpoints: the rerun is bit-identical")
  func killedFromOutside() throws {
    let reference = try Self.reference("a2c", timesteps: 40_000)
    let root = FakeResults.folder("outside-kill")
    let arguments = Self.arguments("a2c", results: root, timesteps: 40_000, extra: ["--checkpoint-every", "5updates"])
    let process = try BenchBinary.start(arguments, logs: root.deletingLastPathComponent().appendingPathComponent("outside-logs"))
    let folder = Self.checkpointFolder(root, "a2c")
    let deadline = Date().addingTimeInterval(120)
    func checkpoints() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".acbc") }
    }
    while checkpoints().isEmpty && process.isRunning && Date() < deadline { usleep(1_000) }
    let running = process.isRunning
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try #require(running, "bench finished before it could be killed; raise --timesteps")
    let resumed = try BenchBinary.run(arguments)
    #expect(resumed.status == 0, "\(resumed.error)")
    #expect(resumed.error.contains("Resuming"))
    try Self.expectSameRun(reference, root, "a2c")
  }

  @Test("SIGTERM: each run in progress checkpoints and bench exits within seconds with status 143 and a message")
  func sigtermCheckpointsAndExits() throws {
    for jobs in ["1", "2"] {
      let root = FakeResults.folder("sigterm-\(jobs)")
      let process = try BenchBinary.start(
        [
          "run", "--suite", "smoke", "--algorithms", "a2c", "acktr", "--seeds", "1", "--timesteps", "50000000",
          "--jobs", jobs, "--results", root.path,
        ], logs: root.appendingPathComponent("logs"))
      // Wait until training runs (the manifest is written just before), then a little more.
      let deadline = Date().addingTimeInterval(60)
      while !FileManager.default.fileExists(atPath: root.appendingPathComponent("manifest.json").path)
        && process.isRunning && Date() < deadline
      {
        usleep(2_000)
      }
      usleep(700_000)
      try #require(process.isRunning)
      let signalled = Date()
      kill(process.processIdentifier, SIGTERM)
      process.waitUntilExit()
      let seconds = Date().timeIntervalSince(signalled)
      #expect(seconds < 5, "bench took \(seconds) s to stop")
      #expect(process.terminationReason == .exit && process.terminationStatus == 143)
      let output = try String(contentsOf: root.appendingPathComponent("logs/stdout"), encoding: .utf8)
      #expect(output.contains("Interrupted by SIGTERM: run the same command again to resume"))
      let runs = jobs == "1" ? ["a2c"] : ["a2c", "acktr"]
      for algorithm in runs {
        #expect(output.contains("smoke/CartPole-v1/\(algorithm)/seed-0 checkpointed after update"), "\(output)")
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.checkpointFolder(root, algorithm).path)
        #expect(names.count == 1 && names[0].hasSuffix(".acbc"))
      }
      let status = try BenchBinary.run(["status", "--suite", "smoke", "--algorithms", "a2c", "acktr", "--seeds", "1",
        "--timesteps", "50000000", "--results", root.path])
      #expect(status.status == 0)
      #expect(status.output.contains("smoke/CartPole-v1/a2c/seed-0    checkpointed"))
      #expect(status.output.contains("2 runs: 0 complete, \(runs.count) checkpointed, \(2 - runs.count) missing."))
    }
  }

  @Test("A corrupt or truncated newest checkpoint is detected by its checksum; the run falls back to the previous one or its start")
  func damagedCheckpointsFallBack() throws {
    let reference = try Self.reference("acktr")
    let root = FakeResults.folder("damaged")
    let arguments = Self.arguments("acktr", results: root, extra: ["--checkpoint-every", "5updates"])
    let folder = Self.checkpointFolder(root, "acktr")
    // A checkpoint after update 10; a resumed session then writes update 15 and dies.
    _ = try BenchBinary.run(arguments + ["--fault", "kill-after-checkpoint:2"])
    let older = try Data(contentsOf: folder.appendingPathComponent("update-10.acbc"))
    _ = try BenchBinary.run(arguments + ["--fault", "kill-after-checkpoint:1"])
    let newest = folder.appendingPathComponent("update-15.acbc")
    var bytes = try Data(contentsOf: newest)
    bytes[bytes.count / 2] ^= 0x40
    try bytes.write(to: newest)
    try older.write(to: folder.appendingPathComponent("update-10.acbc"))

    let fellBack = try BenchBinary.run(arguments)
    #expect(fellBack.status == 0, "\(fellBack.error)")
    #expect(fellBack.error.contains("update-15.acbc is damaged (checksum mismatch"))
    #expect(fellBack.error.contains("Resuming smoke/CartPole-v1/acktr/seed-0 from its checkpoint after update 10"))
    try Self.expectSameRun(reference, root, "acktr")

    // Truncated, and no older checkpoint: the run starts over, with a message.
    let again = FakeResults.folder("truncated")
    let arguments2 = Self.arguments("acktr", results: again, extra: ["--checkpoint-every", "5updates"])
    _ = try BenchBinary.run(arguments2 + ["--fault", "kill-after-checkpoint:2"])
    let file = Self.checkpointFolder(again, "acktr").appendingPathComponent("update-10.acbc")
    try Data(try Data(contentsOf: file).prefix(1000)).write(to: file)
    let restarted = try BenchBinary.run(arguments2)
    #expect(restarted.status == 0, "\(restarted.error)")
    #expect(restarted.error.contains("update-10.acbc is damaged ("))
    #expect(!restarted.error.contains("Resuming"))
    try Self.expectSameRun(reference, again, "acktr")
  }

  @Test("A checkpoint of other settings is refused, not discarded: the run fails naming it and the file stays; the right settings resume it")
  func otherSettingsAreRefused() throws {
    let root = FakeResults.folder("other-settings")
    let arguments = Self.arguments("a2c", results: root, extra: ["--checkpoint-every", "5updates"])
    _ = try BenchBinary.run(arguments + ["--fault", "kill-after-checkpoint:2"])
    let folder = Self.checkpointFolder(root, "a2c")
    let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(before == ["update-10.acbc"])
    let other = try BenchBinary.run(arguments + ["--set", "gamma=0.98"])
    #expect(other.status != 0)
    #expect(other.error.contains("a checkpoint of smoke/CartPole-v1/a2c/seed-0 with other settings than this command's"))
    #expect(other.error.contains("delete \(folder.path) to start this run over"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
    let resumed = try BenchBinary.run(arguments)
    #expect(resumed.status == 0, "\(resumed.error)")
    #expect(resumed.error.contains("Resuming smoke/CartPole-v1/a2c/seed-0 from its checkpoint after update 10"))
  }

  /// `(state, parent pid)` of a process from `/proc/<pid>/stat`; nil once it is gone.
  static func processState(_ pid: Int32) -> (state: Character, parent: Int32)? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
    guard fields.count > 1, let state = fields[0].first, let parent = Int32(fields[1]) else { return nil }
    return (state, parent)
  }

  @Test("bench run --jobs 2 killed with SIGKILL: its run-one children end within seconds instead of training on unlocked")
  func childrenDieWithTheirParent() throws {
    let root = FakeResults.folder("orphans")
    let logs = FakeResults.folder("orphans-logs")
    let parent = try BenchBinary.start(
      [
        "run", "--suite", "smoke", "--algorithms", "a2c", "acktr", "--seeds", "1", "--timesteps", "50000000",
        "--jobs", "2", "--checkpoint-every", "off", "--results", root.path,
      ], logs: logs)
    let pid = parent.processIdentifier
    func children() -> [Int32] {
      ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
        .filter { Self.processState($0)?.parent == pid }
    }
    var found: [Int32] = []
    for _ in 0..<300 where found.count < 2 {
      Thread.sleep(forTimeInterval: 0.1)
      found = children()
    }
    #expect(found.count == 2, "two run-one children")
    kill(pid, SIGKILL)
    parent.waitUntilExit()
    let clock = ContinuousClock()
    let start = clock.now
    // Gone, or a zombie waiting for whoever adopted it to reap it: either way no longer training.
    func running(_ child: Int32) -> Bool { Self.processState(child).map { $0.state != "Z" } ?? false }
    while found.contains(where: running) && clock.now - start < .seconds(10) {
      Thread.sleep(forTimeInterval: 0.1)
    }
    #expect(!found.contains(where: running), "the orphaned children stopped")
    for child in found where running(child) { kill(child, SIGKILL) }
  }

  @Test("--checkpoint-every takes off, durations and update counts; anything else is a usage error naming the option")
  func intervalParsing() throws {
    #expect(try CheckpointInterval(parsing: "5m") == .wallClock(seconds: 300))
    #expect(try CheckpointInterval(parsing: "90s").description == "90s")
    #expect(try CheckpointInterval(parsing: "2h").description == "2h")
    #expect(try CheckpointInterval(parsing: "12updates") == .updates(12))
    #expect(try CheckpointInterval(parsing: "off") == .off)
    for bad in ["0m", "5", "-3s", "169h", "0updates", "m", "5 m"] {
      #expect(throws: BenchmarkError.self) { try CheckpointInterval(parsing: bad) }
    }
    let result = try BenchBinary.run(["run", "--suite", "smoke", "--checkpoint-every", "5minutes"])
    #expect(result.status == 64)
    #expect(result.error.contains("invalid --checkpoint-every '5minutes'; allowed: off, a duration"))
  }

  @Test("Checkpoint folders beside run folders are not runs: listing, aggregation and merge skip them")
  func checkpointFoldersAreNotRuns() throws {
    let root = FakeResults.folder("listing")
    let store = ResultsStore(root: root)
    try FakeResults.writeRun(store, environment: "CartPole-v1", algorithm: .a2c, seed: 0, evaluation: 500, lastHundred: 480)
    let checkpoint = root.appendingPathComponent("runs/classic/CartPole-v1/a2c/seed-1.checkpoint")
    try FileManager.default.createDirectory(at: checkpoint, withIntermediateDirectories: true)
    try Data([1, 2, 3]).write(to: checkpoint.appendingPathComponent("update-5.acbc"))
    #expect(try store.runFolders(suite: "classic").map(\.identifier) == ["classic/CartPole-v1/a2c/seed-0"])
  }
}

import BenchmarkSuite
import Foundation
import Testing

/// `scripts/carried-runs.sh`, the steps that carry a run from one session to the next (README,
/// "Runs longer than a session"), run on a copy of the script in a scratch checkout: which
/// revision it would build, and the recorded command it would resume, with this checkout's paths.
@Suite struct CarriedRunsScriptTests {
  /// A scratch checkout with the script, one in-progress results folder of two sessions (the newer
  /// one's build and command count) and one stable-baselines reference checkpoint.
  private static func checkout() throws -> URL {
    let fm = FileManager.default
    let root = fm.temporaryDirectory.appendingPathComponent("carried-runs-\(UUID().uuidString)")
    try fm.createDirectory(at: root.appendingPathComponent("scripts"), withIntermediateDirectories: true)
    try fm.copyItem(
      at: BenchBinary.packageRoot.appendingPathComponent("scripts/carried-runs.sh"),
      to: root.appendingPathComponent("scripts/carried-runs.sh"))
    let folder = root.appendingPathComponent("results/in-progress/atari-a2c")
    try fm.createDirectory(
      at: folder.appendingPathComponent("runs/atari/atari:Pong/a2c/seed-0.checkpoint"), withIntermediateDirectories: true)
    func session(_ revision: String, _ results: String, coreType: String?) -> [String: Any] {
      [
        "gitRevision": revision, "suite": "atari", "openBLASThreads": 1,
        "openBLASCoreTypeEnvironment": coreType.map { $0 as Any } ?? NSNull(),
        "commandLine": [
          "/elsewhere/bench-old", "run", "--results", results, "--wait", "--suite", "atari",
          "--environments", "atari:Pong", "--algorithms", "a2c", "--seeds", "1",
        ],
      ]
    }
    let manifest: [String: Any] = [
      "gitRevision": "0123456789ab", "suite": "atari",
      "shards": [
        session("0123456789ab", "/old/machine/a", coreType: "Haswell"),
        session("4d159fec66e2", "/old/machine/results/in-progress/atari-a2c", coreType: nil),
      ],
    ]
    try JSONSerialization.data(withJSONObject: manifest).write(to: folder.appendingPathComponent("manifest.json"))
    try Data(repeating: 7, count: 1234).write(
      to: folder.appendingPathComponent("runs/atari/atari:Pong/a2c/seed-0.checkpoint/update-42.acbc"))
    let reference = root.appendingPathComponent(
      "results/reference/stable-baselines-2.10.2/minatar:Breakout/acktr/seed-2.checkpoint")
    try fm.createDirectory(at: reference, withIntermediateDirectories: true)
    let state: [String: Any] = [
      "algorithm": "acktr", "environment": "minatar:Breakout", "seed": 2, "timesteps": 5_000_000,
      "num_timesteps": 430_080, "segments": 1, "trainingSeconds": 5004.0, "written": "2026-12-02T17:01:57Z",
    ]
    try JSONSerialization.data(withJSONObject: state).write(to: reference.appendingPathComponent("state.json"))
    return root
  }

  private static func script(_ arguments: [String], in root: URL, environment: [String: String] = [:]) throws
    -> (status: Int32, output: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.arguments = [root.appendingPathComponent("scripts/carried-runs.sh").path] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func resumeRunsTheNewestSessionsCommandAtItsRevisionWithThisCheckoutsFolder() throws {
    let root = try Self.checkout()
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, output) = try Self.script(["resume", "--dry-run"], in: root)
    #expect(status == 0, "\(output)")
    let path = root.path
    #expect(
      output.contains(
        "resuming results/in-progress/atari-a2c: \(path)/.build-carried/4d159fec66e2/.build/release/bench run "
          + "--results \(path)/results/in-progress/atari-a2c --wait --suite atari --environments atari:Pong "
          + "--algorithms a2c --seeds 1 "),
      "\(output)")
    #expect(!output.contains("0123456789ab"), "the older session's build is not the one to resume with")
    #expect(!output.contains("/old/machine"), "the recorded folder is rewritten to this checkout's")
    #expect(output.contains("GAME=Breakout ALGORITHMS=acktr SEEDS=2 bash scripts/sb2-minatar-reference.sh"), "\(output)")
    // A dry run builds nothing.
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".build-carried").path))
  }

  @Test func statusNamesEachCarriedRunsBuildCheckpointAndProgress() throws {
    let root = try Self.checkout()
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, output) = try Self.script(["status"], in: root)
    #expect(status == 0, "\(output)")
    #expect(output.contains("results/in-progress/atari-a2c: build 4d159fec66e2, suite atari"), "\(output)")
    #expect(output.contains("seed-0.checkpoint/update-42.acbc  1234 bytes"), "\(output)")
    #expect(
      output.contains("stable-baselines 2.10.2 acktr minatar:Breakout seed 2, 430,080 of 5,000,000 steps, 1 segment(s)"),
      "\(output)")
  }

  @Test func finishMergesTheCompleteFolderIntoResultsRemovesItAndLeavesTheOneStillTraining() throws {
    try BenchBinary.require()
    let root = try Self.checkout()
    defer { try? FileManager.default.removeItem(at: root) }
    // atari-acer: complete (its run folder with a summary, no checkpoint left); atari-a2c (from the
    // checkout) still has its checkpoint.
    let complete = ResultsStore(root: root.appendingPathComponent("results/in-progress/atari-acer", isDirectory: true))
    try FakeResults.writeRun(
      complete, suite: "atari", environment: "atari:Pong", algorithm: .acer, seed: 0, evaluation: 20.5,
      lastHundred: 20.25, start: -21, timesteps: 10_000_000)
    try FakeResults.writeManifest(complete, suite: "atari", gitRevision: "4d159fec66e2")
    try Data("lock".utf8).write(to: complete.root.appendingPathComponent(".lock"))
    let merged = root.appendingPathComponent("results/runs/atari/atari:Pong/acer/seed-0/summary.json")

    let (dryStatus, dryOutput) = try Self.script(["finish", "--dry-run"], in: root)
    #expect(dryStatus == 0, "\(dryOutput)")
    #expect(dryOutput.contains("results/in-progress/atari-a2c: still training"), "\(dryOutput)")
    #expect(dryOutput.contains("results/in-progress/atari-acer: complete;"), "\(dryOutput)")
    #expect(!FileManager.default.fileExists(atPath: merged.path), "a dry run merges nothing")
    #expect(FileManager.default.fileExists(atPath: complete.root.path))

    let (status, output) = try Self.script(["finish"], in: root, environment: ["BENCH": BenchBinary.url.path])
    #expect(status == 0, "\(output)")
    #expect(FileManager.default.fileExists(atPath: merged.path), "\(output)")
    let manifest = try JSONCoding.decoder.decode(
      Provenance.self, from: Data(contentsOf: root.appendingPathComponent("results/manifest.json")))
    #expect(manifest.shards?.map(\.gitRevision) == ["4d159fec66e2"])
    #expect(!FileManager.default.fileExists(atPath: complete.root.path))
    #expect(
      FileManager.default.fileExists(
        atPath: root.appendingPathComponent(
          "results/in-progress/atari-a2c/runs/atari/atari:Pong/a2c/seed-0.checkpoint/update-42.acbc"
        ).path))
    #expect(output.contains("merged; now: "), "\(output)")
  }

  @Test func withoutACommandItPrintsItsUsageAndFails() throws {
    let root = try Self.checkout()
    defer { try? FileManager.default.removeItem(at: root) }
    let (status, output) = try Self.script([], in: root)
    #expect(status == 2)
    #expect(output.contains("bash scripts/carried-runs.sh resume"))
  }
}

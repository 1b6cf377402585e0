import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Kill -9 and resume through the built executable for the runs whose checkpoints hold more than
/// a native environment: a bridged MinAtar run (its workers' game state through GET_STATE /
/// SET_STATE) and recurrent policies (the LSTM state carried across rollouts, ACER's replay with
/// per-segment masks and starting states). Each rerun ends byte-identical to an uninterrupted run
/// in every file but timing.json. Also: the fault hook is a hidden option, not an environment
/// variable. The MinAtar test needs the project's Python environment (scripts/setup.sh).
@Suite("Kill and resume: bridged MinAtar and recurrent policies (the built executable)", .serialized)
struct BridgedAndRecurrentResumeTests {
  init() throws { try BenchBinary.require() }

  /// `bench run --suite gymnasium` of one entry, seed 0.
  static func arguments(
    _ environment: String, _ algorithm: String, timesteps: Int, results: URL, extra: [String] = []
  ) -> [String] {
    [
      "run", "--suite", "gymnasium", "--environments", environment, "--algorithms", algorithm, "--seeds", "1",
      "--timesteps", "\(timesteps)", "--results", results.path,
    ] + extra
  }

  /// Runs uninterrupted (checkpoints off), then killed by `fault` and resumed; expects the same
  /// files. Returns the killed process's id and the resumed run's standard error.
  static func killAndResume(
    _ environment: String, _ algorithm: String, timesteps: Int, fault: String, extra: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (killedPID: Int32, resumedLog: String, summary: String) {
    let name = "\(environment)-\(algorithm)".replacingOccurrences(of: ":", with: "-")
    let reference = FakeResults.folder("reference-\(name)")
    let uninterrupted = try BenchBinary.run(
      arguments(environment, algorithm, timesteps: timesteps, results: reference, extra: extra + ["--checkpoint-every", "off"]))
    try #require(uninterrupted.status == 0, "\(uninterrupted.error)", sourceLocation: sourceLocation)

    let root = FakeResults.folder("killed-\(name)")
    let run = arguments(environment, algorithm, timesteps: timesteps, results: root, extra: extra + ["--checkpoint-every", "5updates"])
    let logs = root.deletingLastPathComponent().appendingPathComponent("\(name)-killed-logs")
    let killed = try BenchBinary.start(run + ["--fault", fault], logs: logs)
    killed.waitUntilExit()
    let killedError = (try? String(contentsOf: logs.appendingPathComponent("stderr"), encoding: .utf8)) ?? ""
    #expect(
      killed.terminationReason == .uncaughtSignal && killed.terminationStatus == SIGKILL, "the fault hook killed bench: \(killedError)",
      sourceLocation: sourceLocation)
    let runFolder = "runs/gymnasium/\(environment)/\(algorithm)/seed-0"
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(runFolder).path), sourceLocation: sourceLocation)
    let checkpoints = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(runFolder + ".checkpoint").path)
    #expect(checkpoints.contains { $0.hasSuffix(".acbc") }, sourceLocation: sourceLocation)

    let resumed = try BenchBinary.run(run)
    #expect(resumed.status == 0, "\(resumed.error)", sourceLocation: sourceLocation)
    #expect(resumed.error.contains("Resuming gymnasium/\(environment)/\(algorithm)/seed-0 from its checkpoint after update"), sourceLocation: sourceLocation)
    #expect(!resumed.error.contains("not bit-identical"), "\(resumed.error)", sourceLocation: sourceLocation)
    try CheckpointTests.expectSameRun(reference, root, algorithm, in: "gymnasium/\(environment)", sourceLocation: sourceLocation)
    let summary = try String(contentsOf: root.appendingPathComponent(runFolder + "/summary.json"), encoding: .utf8)
    return (killed.processIdentifier, resumed.error, summary)
  }

  /// Bridge workers still alive (not zombies) whose parent was `parent`.
  static func workers(startedBy parent: Int32) -> [Int32] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
      guard let pid = Int32(entry),
        let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
      else { return nil }
      let arguments = command.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      guard arguments.contains(where: { $0.hasSuffix("acb_worker.py") }),
        let flag = arguments.firstIndex(of: "--parent"), flag + 1 < arguments.count, arguments[flag + 1] == "\(parent)",
        !BridgedRunTests.hasExited(pid)
      else { return nil }
      return pid
    }
  }

  @Test("A bridged MinAtar run killed after a checkpoint resumes its games exactly; the killed run's workers exit")
  func bridgedMinAtarKilledAndResumed() throws {
    // 16 copies × n_steps 5 = 80 steps per update; checkpoints after updates 5 and 10, killed after the second.
    let outcome = try Self.killAndResume("minatar:Breakout", "a2c", timesteps: 2_400, fault: "kill-after-checkpoint:2")
    let deadline = Date().addingTimeInterval(2)
    while !Self.workers(startedBy: outcome.killedPID).isEmpty && Date() < deadline { usleep(20_000) }
    #expect(Self.workers(startedBy: outcome.killedPID).isEmpty, "workers of the killed bench still run 2 s later")
    #expect(!outcome.summary.contains("episodeRestarts"), "an exact resume records no episode restart")
  }

  /// SB2 `MlpLstmPolicy`'s layout with a small LSTM (32 units) so the test takes seconds.
  static let lstm =
    #"net_arch={"shared":[64,64],"policy":[],"value":[],"activation":"tanh","recurrent":{"units":32,"layerNormalized":false}}"#

  @Test(
    "Recurrent A2C and ACER on CartPoleNoVel-v1 killed after a checkpoint resume bit-identically",
    arguments: [("a2c", 2_000, "kill-after-checkpoint:2"), ("acer", 4_000, "kill-during-checkpoint:3")])
  func recurrentKilledAndResumed(algorithm: String, timesteps: Int, fault: String) throws {
    _ = try Self.killAndResume(
      "CartPoleNoVel-v1", algorithm, timesteps: timesteps, fault: fault, extra: ["--set", Self.lstm, "--set", "ent_coef=0"])
  }

  @Test("The fault hook is a hidden option: absent from --help, checked, and ACBENCH_FAULT no longer kills a run")
  func faultHookIsTestOnly() throws {
    let help = try BenchBinary.run(["run", "--help"])
    #expect(help.status == 0)
    #expect(!help.output.contains("--fault"))
    let bad = try BenchBinary.run(["run", "--suite", "smoke", "--fault", "kill-sometime"])
    #expect(bad.status == 64)
    #expect(bad.error.contains("--fault") && bad.error.contains("kill-after-checkpoint:<n>"), "\(bad.error)")

    let root = FakeResults.folder("stray-fault-variable")
    let result = try BenchBinary.run(
      CheckpointTests.arguments("a2c", results: root, timesteps: 2_000, extra: ["--checkpoint-every", "2updates"]),
      environment: ["ACBENCH_FAULT": "kill-after-checkpoint:1"])
    #expect(result.status == 0, "a stray ACBENCH_FAULT variable killed the run: \(result.error)")
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("runs/smoke/CartPole-v1/a2c/seed-0/summary.json").path))
  }
}

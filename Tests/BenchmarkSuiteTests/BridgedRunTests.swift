import Foundation
import Testing

/// `bench` with Gymnasium bridge environments, end to end through the built executable. Needs
/// the project's Python environment (`scripts/setup.sh`); without it these tests fail with the
/// bridge's "run scripts/setup.sh" message.
@Suite("bench with bridged environments (the built executable)", .serialized)
struct BridgedRunTests {
  init() throws { try BenchBinary.require() }

  /// The ids of `parent`'s children that run the bridge worker.
  static func workers(of parent: Int32) -> Set<Int32> {
    var found: Set<Int32> = []
    for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
      guard let pid = Int32(entry), let stat = Self.stat(pid), Int32(stat[1]) == parent else { continue }
      let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
      if String(decoding: command, as: UTF8.self).contains("acb_worker.py") { found.insert(pid) }
    }
    return found
  }

  /// `/proc/<pid>/stat` after the command name: state, ppid, …
  static func stat(_ pid: Int32) -> [Substring]? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    return text[text.index(after: close)...].split(separator: " ")
  }

  /// Gone, or a zombie waiting for whoever adopted it.
  static func hasExited(_ pid: Int32) -> Bool { stat(pid).map { $0[0] == "Z" } ?? true }

  /// Starts `bench run` of A2C on `gym:CartPole-v1` (8 copies in 2 workers) into a fresh results
  /// folder and waits (up to 30 s) until both workers run.
  static func startCartPoleRun(timesteps: Int) throws -> (bench: Process, workers: Set<Int32>, results: String) {
    let results = FakeResults.folder().path
    let bench = Process()
    bench.executableURL = BenchBinary.url
    bench.arguments = [
      "run", "--suite", "gymnasium", "--environments", "gym:CartPole-v1", "--algorithms", "a2c", "--seeds", "1",
      "--timesteps", "\(timesteps)", "--results", results,
    ]
    bench.standardOutput = FileHandle.nullDevice
    bench.standardError = FileHandle.nullDevice
    try bench.run()
    let deadline = Date().addingTimeInterval(30)
    var found = workers(of: bench.processIdentifier)
    while found.count < 2, Date() < deadline {
      usleep(50_000)
      found = workers(of: bench.processIdentifier)
    }
    return (bench, found, results)
  }

  @Test("bench list environments shows every provider and which need Python")
  func listEnvironments() throws {
    let outcome = try BenchBinary.run(["list", "environments"])
    #expect(outcome.status == 0)
    let lines = outcome.output.split(separator: "\n")
    #expect(lines.first?.hasPrefix("CartPole-v1") == true)
    #expect(lines.first?.contains("no Python") == true)
    for name in ["gym:<id>", "atari:<Game>", "minatar:Breakout"] {
      let line = lines.first { $0.hasPrefix(name) }
      #expect(line?.contains("needs Python (scripts/setup.sh)") == true, "\(name)")
    }
  }

  @Test("kill -9 of bench: every worker exits within 2 s")
  func workersExitWhenBenchIsKilled() throws {
    let (bench, workers, _) = try Self.startCartPoleRun(timesteps: 50_000_000)
    defer { if bench.isRunning { bench.terminate() } }
    #expect(workers.count == 2)
    kill(bench.processIdentifier, SIGKILL)
    bench.waitUntilExit()
    let killed = Date()
    while Date().timeIntervalSince(killed) < 2, !workers.allSatisfy(Self.hasExited) { usleep(20_000) }
    for pid in workers { #expect(Self.hasExited(pid), "worker \(pid) still runs 2 s after bench was killed") }
  }

  @Test("kill -9 of a worker mid-run: the run finishes, the restart is in summary.json, episodes.csv marks the cut episodes")
  func killedWorkerIsRecordedInTheRun() throws {
    let (bench, workers, results) = try Self.startCartPoleRun(timesteps: 150_000)
    try #require(workers.count == 2)
    usleep(1_000_000)  // while starting, resetting or training: each is restarted the same way
    let victim = workers.sorted()[0]
    kill(victim, SIGKILL)
    bench.waitUntilExit()
    #expect(bench.terminationStatus == 0)
    let folder = URL(fileURLWithPath: results).appendingPathComponent("runs/gymnasium/gym:CartPole-v1/a2c/seed-0")
    let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("summary.json")))
    let restarts = (summary as? [String: Any])?["workerRestarts"] as? [[String: Any]]
    #expect(restarts?.count == 1)
    #expect((restarts?.first?["reason"] as? String)?.contains("signal 9") == true)
    let episodes = try String(contentsOf: folder.appendingPathComponent("episodes.csv"), encoding: .utf8)
    let rows = episodes.split(separator: "\n")
    #expect(rows.first == "timesteps,return,length,environment,interrupted")
    // Killed while training, the 4 copies of the killed worker (8 copies, 2 workers) end their
    // episodes interrupted; killed while starting or resetting, no episode was under way.
    let step = restarts?.first?["step"] as? Int ?? 0
    #expect(rows.filter { $0.hasSuffix(",1") }.count == (step > 0 ? 4 : 0), "restart at step \(step)")
  }
}

import BenchmarkSuite
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Kill and resume (the built executable)")
struct ResumeTests {
  init() throws { try BenchBinary.require() }

  static let files = ["configuration.json", "curve.csv", "episodes.csv", "spec.json", "summary.json", "timing.json"]

  /// Every entry below `runs/` (relative paths), sorted.
  func listing(_ root: URL) -> [String] {
    let runs = root.appendingPathComponent("runs")
    let walker = FileManager.default.enumerator(atPath: runs.path)
    return (walker?.allObjects as? [String] ?? []).sorted()
  }

  func completed(_ root: URL) -> Int {
    listing(root).filter { $0.hasSuffix("/summary.json") && !$0.contains(".partial-") }.count
  }

  @Test("SIGKILL in the middle of bench run, run again: every run complete exactly once, no partial folder")
  func killAndResume() throws {
    let root = FakeResults.folder()
    let seeds = 6
    let arguments = [
      "run", "--suite", "smoke", "--algorithms", "a2c", "--seeds", "\(seeds)", "--timesteps", "60000",
      "--results", root.path,
    ]
    let process = try BenchBinary.start(
      arguments, logs: root.deletingLastPathComponent().appendingPathComponent("logs"))
    // Wait for the first complete run, then kill the process while it works on the next.
    let deadline = Date().addingTimeInterval(120)
    while completed(root) < 1 && process.isRunning && Date() < deadline { usleep(2_000) }
    let killed = process.isRunning
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    try #require(killed, "bench finished before it could be killed; raise --timesteps")
    #expect(process.terminationReason == .uncaughtSignal)
    let before = completed(root)
    #expect(before >= 1 && before < seeds)
    // A half-written run folder as an interruption during the write would leave it.
    let stale = root.appendingPathComponent("runs/smoke/CartPole-v1/a2c/seed-\(seeds - 1).partial-2147483000")
    try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
    try Data("{\"truncated\":".utf8).write(to: stale.appendingPathComponent("summary.json"))

    let resumed = try BenchBinary.run(arguments)
    #expect(resumed.status == 0)
    #expect(resumed.output.contains("\(seeds - before) runs completed, \(before) already complete, 0 failed"))
    #expect(resumed.error.contains("Discarded"))
    let entries = listing(root)
    #expect(!entries.contains { $0.contains(".partial-") })
    let expected =
      (0..<seeds).flatMap { seed in
        ["smoke/CartPole-v1/a2c/seed-\(seed)"] + Self.files.map { "smoke/CartPole-v1/a2c/seed-\(seed)/\($0)" }
      } + ["smoke", "smoke/CartPole-v1", "smoke/CartPole-v1/a2c"]
    #expect(entries == expected.sorted())
    // Each run exactly once, and every summary is a complete, decodable file of its own seed.
    let summaries = try ResultsStore(root: root).completedSummaries(suite: "smoke")
    #expect(summaries.map(\.run.seed).sorted() == Array(0..<seeds))
    #expect(summaries.allSatisfy { $0.timesteps == 60_000 && $0.evaluation != nil })
  }
}

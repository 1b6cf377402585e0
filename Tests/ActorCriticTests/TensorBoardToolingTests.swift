import Environments
import Foundation
import Randomness
import Testing

@testable import ActorCritic

/// Our event files as the tools read them: short A2C (a curve continued in a second file), ACKTR
/// (Box actions) and ACER runs write TensorBoard runs and, beside them, every summary as JSON
/// lines; `Python/tests/check_tensorboard_runs.py` reads the runs with tensorboard 2.21's
/// `EventAccumulator` and with tbparse 0.0.9 and checks every tag, step and value against the
/// JSON lines. Needs the project's `.venv` (`scripts/setup.sh` installs
/// `Python/requirements/tensorboard.txt`); fails, never skips, without it.
@Suite struct TensorBoardToolingTests {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  @Test func tensorBoardAndTbparseReadEveryScalarWeWrote() throws {
    let python = Self.packageRoot.appendingPathComponent(".venv/bin/python")
    guard FileManager.default.isExecutableFile(atPath: python.path) else {
      Issue.record("\(python.path) is missing: run scripts/setup.sh (it installs Python/requirements/*.txt)")
      return
    }
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("tb-tooling-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: log) }
    try FileManager.default.createDirectory(at: log, withIntermediateDirectories: true)
    var runs: [String] = []
    func mirror(_ name: String) throws -> JSONLinesWriter {
      runs.append("\(name)=\(log.appendingPathComponent("\(name).jsonl").path)")
      return try JSONLinesWriter(url: log.appendingPathComponent("\(name).jsonl"), stepKey: "step")
    }

    let a2c = try A2C(environment: try cartPole(count: 4, seed: 1), seed: 1, tensorboardLog: log)
    a2c.state.summaryWriters = [try mirror("A2C_1")]
    try a2c.learn(totalTimesteps: 600)
    try a2c.learn(totalTimesteps: 600, resetNumTimesteps: false)  // a second event file in A2C_1

    let pendulum = try VectorEnvironment(id: "Pendulum-v1", count: 4, seeds: SeedSequence(runSeed: 2))
    let acktr = try ACKTR(environment: pendulum, seed: 2, tensorboardLog: log)
    acktr.state.summaryWriters = [try mirror("ACKTR_1")]
    try acktr.learn(totalTimesteps: 1_600)

    let acer = try ACER(environment: try cartPole(count: 2, seed: 3), seed: 3, tensorboardLog: log)
    acer.state.summaryWriters = [try mirror("ACER_1")]
    try acer.learn(totalTimesteps: 800)

    let process = Process()
    process.executableURL = python
    process.arguments =
      [Self.packageRoot.appendingPathComponent("Python/tests/check_tensorboard_runs.py").path, "--logdir", log.path]
      + runs
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    // One line per run: its tags and the number of points both readers matched.
    #expect(text.contains("A2C_1: 8 tags"), "\(text)")
    #expect(text.contains("ACKTR_1: 10 tags"), "\(text)")
    #expect(text.contains("ACER_1: 9 tags"), "\(text)")
  }
}

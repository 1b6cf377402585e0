import Environments
import Foundation
import GymnasiumBridge
import Randomness

/// Shared helpers of the bridge tests. They need the project's Python environment: when it is
/// missing, ``PythonRuntime/locate(for:filePath:)`` throws a failure that says to run
/// `scripts/setup.sh`, and the test fails with it (it never skips).
enum BridgeTestSupport {
  /// A bridged vector environment with the given workers and timeouts.
  static func make(
    _ environment: BridgedEnvironment, count: Int, seed: UInt64 = 0, workers: Int? = nil, stepTimeout: Double = 60,
    renderable: Bool = false
  ) throws -> SubprocessVectorEnvironment {
    try SubprocessVectorEnvironment(
      environment, count: count, seeds: SeedSequence(runSeed: seed),
      configuration: .init(workerCount: workers, stepTimeout: stepTimeout, renderable: renderable))
  }

  /// The project's interpreter (fails with "run scripts/setup.sh" when missing).
  static func python() throws -> PythonRuntime { try PythonRuntime.locate(for: "bridge tests") }

  /// Runs `Python/tests/<script>` with the project's interpreter and returns its standard output.
  static func runPythonTool(_ script: String, arguments: [String]) throws -> Data {
    let runtime = try python()
    let root = URL(fileURLWithPath: runtime.workerScript).deletingLastPathComponent().deletingLastPathComponent()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: runtime.python)
    process.arguments = [root.appendingPathComponent("tests/\(script)").path] + arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ToolFailure(message: "\(script) exited with status \(process.terminationStatus)")
    }
    return data
  }

  struct ToolFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  /// The process ids of this process's children running the bridge worker.
  static func workerChildren() -> Set<Int32> {
    let me = getpid()
    var found: Set<Int32> = []
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return found }
    for entry in entries {
      guard let pid = Int32(entry),
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      else { continue }
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 2, Int32(fields[1]) == me else { continue }
      let command = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
      if String(decoding: command, as: UTF8.self).contains("acb_worker.py") { found.insert(pid) }
    }
    return found
  }

  /// Whether a process with this id exists (a zombie counts as existing).
  static func exists(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }
}

import Foundation

/// Counts the instructions a command executes with valgrind's callgrind: a deterministic measure
/// of CPU work, unlike wall-clock time on a shared machine (style-anchors.md §4.3–§4.4).
///
/// ```
/// OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell SWIFT_DETERMINISTIC_HASHING=1 \
///   setarch -R valgrind --tool=callgrind --callgrind-out-file=/dev/null \
///     --toggle-collect='$s14BenchmarkSuite12PerfWorkloadO3run9timesteps*' <command>
/// instructions = N from callgrind's "Collected : N" line on standard error
/// ```
/// `setarch -R` turns address-space randomisation off, which makes the count exactly
/// repeatable; the pinned BLAS kernel and deterministic hashing remove the other variations.
public struct CallgrindCounter: Sendable {
  /// The environment the measured command runs with (added to the current one).
  public static let pinnedEnvironment: [String: String] = [
    "OPENBLAS_NUM_THREADS": "1", "OPENBLAS_CORETYPE": "Haswell", "SWIFT_DETERMINISTIC_HASHING": "1",
  ]

  /// The tool prefix. Only `PerfWorkload.run(timesteps:)` is counted (building the model and
  /// training it): process start-up and command-line parsing, which grow with every command and
  /// option `bench` gains, are not training work.
  public static let prefix = [
    "setarch", "-R", "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
    "--toggle-collect=\(workloadSymbol)",
  ]

  /// The mangled name of `PerfWorkload.run(timesteps:)`, the function whose instructions count.
  public static let workloadSymbol = "$s14BenchmarkSuite12PerfWorkloadO3run9timesteps*"

  /// A counter (stateless).
  public init() {}

  /// The path of an executable on `PATH`, or nil.
  public static func locate(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// valgrind's version (`valgrind-3.19.0`).
  /// - Throws: ``BenchmarkError/runFailed(run:reason:)`` when valgrind or setarch is missing.
  public func version() throws(BenchmarkError) -> String {
    try requireTools()
    return Provenance.shell(["valgrind", "--version"]) ?? "unknown"
  }

  func requireTools() throws(BenchmarkError) {
    for tool in ["valgrind", "setarch"] where Self.locate(tool) == nil {
      throw .runFailed(
        run: "bench regress",
        reason:
          "\(tool) is not installed, so the CPU work cannot be counted; install it with "
          + "'bash scripts/setup.sh' (installs valgrind) or 'apt-get install valgrind', "
          + "or pass --skip-perf to check learning only")
    }
  }

  /// Runs `executable arguments` under callgrind and returns the instruction count.
  /// - Throws: ``BenchmarkError/runFailed(run:reason:)`` when a tool is missing, the command
  ///   fails, or the count cannot be found in callgrind's output.
  public func count(executable: String, arguments: [String]) throws(BenchmarkError) -> UInt64 {
    try requireTools()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = Self.prefix + [executable] + arguments
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in Self.pinnedEnvironment { environment[key] = value }
    process.environment = environment
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    let label = ([executable] + arguments).joined(separator: " ")
    do { try process.run() } catch {
      throw .runFailed(run: label, reason: "cannot start valgrind: \(error)")
    }
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw .runFailed(
        run: label, reason: "exit \(process.terminationStatus): \(text.suffix(2000))")
    }
    guard let count = Self.parseCount(text) else {
      throw .runFailed(
        run: label, reason: "no 'Collected : N' line in callgrind's output: \(text.suffix(2000))")
    }
    return count
  }

  /// The total from callgrind's `==pid== Collected : 923191106` line (or `I   refs: 923,191,106`).
  public static func parseCount(_ text: String) -> UInt64? {
    for line in text.split(separator: "\n") {
      if let range = line.range(of: "Collected :") {
        if let n = UInt64(line[range.upperBound...].trimmingCharacters(in: .whitespaces)) { return n }
      }
    }
    for line in text.split(separator: "\n") {
      if let range = line.range(of: "I   refs:") {
        let digits = line[range.upperBound...].filter(\.isNumber)
        if let n = UInt64(digits) { return n }
      }
    }
    return nil
  }
}

import Foundation

/// The built `bench` executable, run as a child process by the end-to-end tests.
///
/// Found from this file's path: `<package>/.build/<configuration>/bench`, the configuration the
/// tests were built with (`swift build -c release --build-tests` builds it beside the tests).
enum BenchBinary {
  static var packageRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }

  static var url: URL {
    #if DEBUG
      let configuration = "debug"
    #else
      let configuration = "release"
    #endif
    return packageRoot.appendingPathComponent(".build/\(configuration)/bench")
  }

  /// Whether the executable exists (build it with `swift build --product bench` in the tests'
  /// configuration).
  static var exists: Bool { FileManager.default.isExecutableFile(atPath: url.path) }

  /// The end-to-end suites fail, not skip, without the executable: a missing binary would
  /// otherwise turn every command-line test green.
  struct Missing: Error, CustomStringConvertible {
    var path: String
    var description: String {
      "the bench executable is missing at \(path); build it in the tests' configuration "
        + "(swift build -c release --build-tests) before running these tests"
    }
  }

  /// Throws ``Missing`` unless the executable at `path` exists.
  static func require(at path: String = url.path) throws {
    guard FileManager.default.isExecutableFile(atPath: path) else { throw Missing(path: path) }
  }

  /// A started bench process whose standard output and error go to files in `folder`; bench
  /// pins OpenBLAS itself (it re-executes with its default kernel unless the tests' environment
  /// sets one).
  ///
  /// - Parameters:
  ///   - environment: variables to set (a nil value removes the variable).
  ///   - directory: the working directory (default: this process's).
  static func start(
    _ arguments: [String], logs folder: URL, environment changes: [String: String?] = [:], directory: URL? = nil
  ) throws -> Process {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    for (name, value) in changes { environment[name] = value }
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let out = folder.appendingPathComponent("stdout")
    let err = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    return process
  }

  /// Runs bench to completion: exit status, standard output, standard error.
  static func run(
    _ arguments: [String], environment: [String: String?] = [:], directory: URL? = nil
  ) throws -> (status: Int32, output: String, error: String) {
    let logs = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bench-logs-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: logs) }
    let process = try start(arguments, logs: logs, environment: environment, directory: directory)
    process.waitUntilExit()
    return (
      process.terminationStatus,
      try String(contentsOf: logs.appendingPathComponent("stdout"), encoding: .utf8),
      try String(contentsOf: logs.appendingPathComponent("stderr"), encoding: .utf8)
    )
  }
}

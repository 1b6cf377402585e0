import Environments
import Foundation

/// Where the bridge finds Python and its worker program, without the user activating anything.
///
/// The worker is `Python/worker/acb_worker.py` in the package; the interpreter is the project's
/// virtual environment `<package root>/.venv/bin/python` (made by `scripts/setup.sh`). The package
/// root is searched, first match wins:
/// 1. `$ACB_PACKAGE_ROOT`, when set;
/// 2. upwards from the running executable (`.build/release/bench` → the package root);
/// 3. upwards from the current directory;
/// 4. the package this file was compiled from (`#filePath`; covers tests and library users who
///    build from a checkout).
/// `$ACB_PYTHON` overrides the interpreter (any Python with the packages of
/// `Python/requirements/bridge.txt`).
public struct PythonRuntime: Equatable, Sendable {
  /// The interpreter that runs workers.
  public var python: String
  /// `Python/worker/acb_worker.py`.
  public var workerScript: String

  /// Creates a runtime from explicit paths.
  public init(python: String, workerScript: String) {
    self.python = python
    self.workerScript = workerScript
  }

  /// The worker program's path inside a package root.
  static let workerPath = "Python/worker/acb_worker.py"

  /// The runtime of this package, found as the type's documentation says.
  ///
  /// Throws ``EnvironmentError/hosted(_:)`` of kind `pythonUnavailable`, naming `environment`
  /// and saying to run `scripts/setup.sh`, when the worker or the virtual environment is missing.
  public static func locate(for environment: String, filePath: String = #filePath) throws(EnvironmentError) -> PythonRuntime {
    let variables = ProcessInfo.processInfo.environment
    var roots: [URL] = []
    if let root = variables["ACB_PACKAGE_ROOT"], !root.isEmpty { roots.append(URL(fileURLWithPath: root)) }
    if let executable = Bundle.main.executableURL {
      roots.append(contentsOf: ancestors(of: executable.deletingLastPathComponent()))
    }
    roots.append(contentsOf: ancestors(of: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)))
    // #filePath = <root>/Sources/GymnasiumBridge/Process/PythonRuntime.swift
    var source = URL(fileURLWithPath: filePath)
    for _ in 0..<4 { source.deleteLastPathComponent() }
    roots.append(source)

    let files = FileManager.default
    guard let root = roots.first(where: { files.fileExists(atPath: $0.appendingPathComponent(workerPath).path) }) else {
      throw .hosted(
        HostedEnvironmentFailure(
          kind: .pythonUnavailable, environment: environment,
          message: "the bridge's worker program \(workerPath) was not found above the executable, the current "
            + "directory or the package; set ACB_PACKAGE_ROOT to the ActorCriticBench checkout"))
    }
    let script = root.appendingPathComponent(workerPath).path
    if let python = variables["ACB_PYTHON"], !python.isEmpty {
      return PythonRuntime(python: python, workerScript: script)
    }
    let python = root.appendingPathComponent(".venv/bin/python").path
    guard files.isExecutableFile(atPath: python) else {
      throw .hosted(
        HostedEnvironmentFailure(
          kind: .pythonUnavailable, environment: environment,
          message: "\(environment) runs in Python, but the project's Python environment \(python) is missing: "
            + "run scripts/setup.sh (it creates .venv with Python/requirements/*.txt), or set ACB_PYTHON"))
    }
    return PythonRuntime(python: python, workerScript: script)
  }

  private static func ancestors(of directory: URL) -> [URL] {
    var result: [URL] = []
    var current = directory.standardizedFileURL
    for _ in 0..<8 {
      result.append(current)
      let parent = current.deletingLastPathComponent()
      if parent.path == current.path { break }
      current = parent
    }
    return result
  }
}

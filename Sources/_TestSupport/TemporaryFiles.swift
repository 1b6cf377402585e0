import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Scratch paths for tests. Every path lies in one folder per test process,
/// `<tmp>/ActorCriticBenchTests-<pid>/`, which is removed when the process exits, so a test run
/// leaves nothing behind in the temporary directory (and a crashed one leaves one folder).
public enum TemporaryFiles {
  /// The process's scratch folder, created on first use and removed at exit.
  public static let root: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ActorCriticBenchTests-\(getpid())", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: TemporaryFiles.root) }
    return url
  }()

  /// A fresh path `<root>/<name>-<UUID>`; nothing is created there.
  public static func path(_ name: String) -> URL {
    root.appendingPathComponent("\(name)-\(UUID().uuidString)")
  }

  /// A fresh, empty folder `<root>/<name>-<UUID>/`.
  public static func folder(_ name: String) -> URL {
    let url = path(name)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

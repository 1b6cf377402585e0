import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The exclusive lock of a results folder: one writer (`bench run`, `bench merge`) at a time.
///
/// ```
/// <results>/.lock       flock(2) LOCK_EX on an open descriptor, held until release or exit
///                       content: the holder — pid, host, start time, command line (JSON)
/// second writer         LOCK_EX|LOCK_NB fails → ``BenchmarkError/resultsLocked(path:holder:)``
///                       naming the holder, or (wait) blocks until the holder is done
/// ```
/// The kernel drops an `flock` lock when its holder exits, however it exits (kill -9 included),
/// so a crashed writer never leaves the folder locked; the holder record left in the file is
/// only information. The descriptor is close-on-exec, so the `bench run-one` children of a
/// `--jobs N` run work under their parent's lock without holding it themselves.
public final class ResultsLock: @unchecked Sendable {  // `descriptor` is guarded by `mutex`
  /// The lock file's name inside the results folder.
  public static let fileName = ".lock"

  /// Who holds (or last held) a lock.
  public struct Holder: Codable, Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    public var host: String
    public var startedAt: String
    public var commandLine: [String]

    /// The holder of this process.
    public static func current(commandLine: [String]) -> Holder {
      Holder(
        pid: getpid(), host: ProcessInfo.processInfo.hostName,
        startedAt: ISO8601DateFormatter().string(from: Date()), commandLine: commandLine)
    }

    public var description: String {
      "pid \(pid) on host \(host), started \(startedAt)"
        + (commandLine.isEmpty ? "" : " (\(commandLine.joined(separator: " ")))")
    }
  }

  private var descriptor: Int32
  private let mutex = NSLock()
  /// The lock file.
  public let url: URL

  /// Takes the lock of `root` (creating the folder if needed).
  ///
  /// - Parameters:
  ///   - wait: block until the current holder releases the lock instead of failing.
  ///   - waiting: called once with the holder when `wait` is set and the lock is taken.
  /// - Throws: ``BenchmarkError/resultsLocked(path:holder:)`` when another process holds the lock
  ///   and `wait` is false; ``BenchmarkError/io(path:reason:)`` when the file cannot be opened.
  public init(
    root: URL, commandLine: [String], wait: Bool = false, waiting: ((String) -> Void)? = nil
  ) throws(BenchmarkError) {
    url = root.appendingPathComponent(Self.fileName)
    do { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) } catch {
      throw .io(path: root.path, reason: error.localizedDescription)
    }
    descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw .io(path: url.path, reason: "cannot open the lock file: \(String(cString: strerror(errno)))")
    }
    if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      let holder = Self.readHolder(url)
      guard wait else {
        close(descriptor)
        throw .resultsLocked(path: root.path, holder: holder)
      }
      waiting?(holder)
      while flock(descriptor, LOCK_EX) != 0 {
        guard errno == EINTR else {
          let reason = String(cString: strerror(errno))
          close(descriptor)
          throw .io(path: url.path, reason: "cannot lock: \(reason)")
        }
      }
    }
    let record = (try? JSONCoding.encoder.encode(Holder.current(commandLine: commandLine))) ?? Data()
    _ = ftruncate(descriptor, 0)
    _ = record.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
  }

  /// Releases the lock (also done when the object is freed or the process exits).
  public func release() {
    mutex.withLock {
      guard descriptor >= 0 else { return }
      _ = flock(descriptor, LOCK_UN)
      close(descriptor)
      descriptor = -1
    }
  }

  deinit { release() }

  /// The holder recorded in the lock file, in words (or why it cannot be read).
  static func readHolder(_ url: URL) -> String {
    guard let data = try? Data(contentsOf: url), !data.isEmpty else { return "another process (no holder record yet)" }
    guard let holder = try? JSONCoding.decoder.decode(Holder.self, from: data) else {
      return "another process (unreadable holder record)"
    }
    return holder.description
  }
}

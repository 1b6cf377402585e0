import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes that are on the device when they return (`fsync`), for files whose loss after a crash
/// would be silent: a run's files before its checkpoint is deleted, `manifest.json`, aggregates.
///
/// A rename is atomic against a crash of the process, not of the machine: without `fsync` of the
/// file and then of the folder, a power loss can leave the new name with no data behind it.
enum DurableFile {
  /// Writes `data` to `path` (created or truncated) and flushes it to the device.
  /// - Throws: ``BenchmarkError/io(path:reason:)`` naming the failing call.
  static func write(_ data: Data, to path: String) throws(BenchmarkError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .io(path: path, reason: "open: " + String(cString: strerror(errno))) }
    var failure: String?
    data.withUnsafeBytes { raw in
      var written = 0
      while written < raw.count {
        let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
        if n < 0 {
          if errno == EINTR { continue }
          failure = "write: " + String(cString: strerror(errno))
          return
        }
        written += n
      }
    }
    if failure == nil && fsync(fd) != 0 { failure = "fsync: " + String(cString: strerror(errno)) }
    if close(fd) != 0 && failure == nil { failure = "close: " + String(cString: strerror(errno)) }
    if let failure {
      unlink(path)
      throw .io(path: path, reason: failure)
    }
  }

  /// Flushes a folder's entries (names created, renamed or removed in it) to the device; best
  /// effort, as a folder that cannot be opened has nothing this process could flush.
  static func syncFolder(_ path: String) {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
  }
}

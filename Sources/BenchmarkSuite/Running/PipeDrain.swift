import Foundation

/// Reads a pipe to its end on its own thread, keeping the last `limit` bytes.
///
/// A `bench run --jobs N` child writes progress on standard output and errors (and its bridge
/// workers' warnings) on standard error. Reading standard error only after standard output ends
/// would let a child that writes more than a pipe's buffer (64 KiB on Linux) to standard error
/// block in `write`, and its parent with it; draining both at once cannot.
final class PipeDrain: @unchecked Sendable {
  private let lock = NSLock()
  private var tail = Data()
  private let done = DispatchSemaphore(value: 0)

  /// Starts reading `handle` until end of file.
  init(_ handle: FileHandle, limit: Int = 65_536) {
    Thread.detachNewThread { [self] in
      while true {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        lock.withLock {
          tail.append(chunk)
          if tail.count > limit { tail = Data(tail.suffix(limit)) }
        }
      }
      done.signal()
    }
  }

  /// Waits for end of file and returns the last bytes read.
  func finish() -> Data {
    done.wait()
    return lock.withLock { tail }
  }
}

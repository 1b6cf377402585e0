import Foundation

/// Where a text writer's output goes: standard output (through `print`, so it interleaves with
/// the program's own prints) or a file it creates.
final class TextSink {
  private let handle: FileHandle?
  /// The file, `nil` for standard output.
  let url: URL?

  /// Standard output.
  init() {
    handle = nil
    url = nil
  }

  /// A new (truncated) file at `url`; its folder is made if needed.
  init(url: URL) throws(LoggingError) {
    self.url = url
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
        throw LoggingError.cannotWrite(path: url.path, reason: "the file cannot be created")
      }
      handle = try FileHandle(forWritingTo: url)
    } catch let error as LoggingError {
      throw error
    } catch {
      throw .wrapping(error, url: url)
    }
  }

  deinit { try? handle?.close() }

  func write(_ text: String) throws(LoggingError) {
    guard let handle, let url else {
      print(text, terminator: "")
      return
    }
    do { try handle.write(contentsOf: Data(text.utf8)) } catch { throw .wrapping(error, url: url) }
  }

  /// Replaces the whole file with `text` (the CSV writer's header rewrite).
  func replace(with text: String) throws(LoggingError) {
    guard let handle, let url else { return try write(text) }
    do {
      try handle.truncate(atOffset: 0)
      try handle.write(contentsOf: Data(text.utf8))
    } catch { throw .wrapping(error, url: url) }
  }
}

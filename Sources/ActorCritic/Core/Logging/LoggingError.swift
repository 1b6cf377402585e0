import Foundation

/// A log could not be written or its folder not be made; names the path and the reason.
public enum LoggingError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file or folder at `path` could not be created or written.
  case cannotWrite(path: String, reason: String)
  /// A run name that cannot be a folder name (SB2 `tb_log_name`): empty, or with `/`.
  case invalidRunName(String)

  public var description: String {
    switch self {
    case .cannotWrite(let path, let reason): return "cannot write the log \(path): \(reason)"
    case .invalidRunName(let name):
      return "invalid tb_log_name '\(name)': allowed is a non-empty folder name without '/' or NUL, not '.' or '..'"
    }
  }

  /// Wraps a Foundation error for `url`.
  static func wrapping(_ error: any Error, url: URL) -> LoggingError {
    .cannotWrite(path: url.path, reason: (error as NSError).localizedDescription)
  }
}

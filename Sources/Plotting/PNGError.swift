/// A PNG could not be encoded, decoded or written; the message says which file and why.
public enum PNGError: Error, Equatable, Sendable, CustomStringConvertible {
  /// libpng rejected the image; `message` is libpng's own.
  case encodingFailed(message: String)
  /// The bytes are not a PNG libpng can read; `message` is libpng's own.
  case decodingFailed(message: String)
  /// The temporary file next to the destination could not be created.
  case cannotCreateFile(path: String, reason: String)
  /// Writing or flushing the temporary file failed.
  case writeFailed(path: String, reason: String)
  /// Moving the temporary file onto the destination failed.
  case renameFailed(from: String, to: String, reason: String)

  public var description: String {
    switch self {
    case .encodingFailed(let message): return "PNG encoding failed: \(message)"
    case .decodingFailed(let message): return "PNG decoding failed: \(message)"
    case .cannotCreateFile(let path, let reason): return "cannot create \(path): \(reason)"
    case .writeFailed(let path, let reason): return "cannot write \(path): \(reason)"
    case .renameFailed(let from, let to, let reason):
      return "cannot rename \(from) to \(to): \(reason)"
    }
  }
}

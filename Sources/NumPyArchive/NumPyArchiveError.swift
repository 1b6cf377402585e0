/// A `.npy` or `.npz` file that cannot be read or written, with the member and the field at fault.
public enum NumPyArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
  case cannotRead(path: String, reason: String)
  case cannotWrite(path: String, reason: String)
  /// The bytes are not a zip archive.
  case notZip(reason: String)
  /// The zip structure is damaged (a size or offset outside the file, a missing record).
  case corruptArchive(reason: String)
  /// A member uses a zip feature this reader does not support (encryption, another compression).
  case unsupportedMember(member: String, reason: String)
  /// A member's data does not decompress.
  case corruptMember(member: String, reason: String)
  /// A member's CRC-32 differs from the directory's.
  case checksumMismatch(member: String, expected: UInt32, actual: UInt32)
  /// A member or the archive exceeds a size limit.
  case tooLarge(member: String, bytes: Int, limit: Int)
  /// A member is not a `.npy` file.
  case notNPY(member: String, reason: String)
  /// A `.npy` header field is missing or malformed.
  case invalidHeader(member: String, field: String, reason: String)
  /// A `.npy` dtype that is not one of the plain numeric ones.
  case unsupportedDType(member: String, descr: String, supported: String)
  /// A `.npy` data section whose size does not match its header.
  case sizeMismatch(member: String, expectedBytes: Int, actualBytes: Int)
  /// An array built in Swift whose shape and data disagree.
  case invalidArray(reason: String)
  /// The archive has no member of that name.
  case missingArray(name: String, available: [String])

  public var description: String {
    switch self {
    case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .notZip(let reason): return "not a .npz (zip) archive: \(reason)"
    case .corruptArchive(let reason): return "corrupt .npz archive: \(reason)"
    case .unsupportedMember(let member, let reason): return "member \(member) cannot be read: \(reason)"
    case .corruptMember(let member, let reason): return "member \(member) is corrupt: \(reason)"
    case .checksumMismatch(let member, let expected, let actual):
      return "member \(member) is corrupt: CRC-32 \(String(actual, radix: 16)), the directory says \(String(expected, radix: 16))"
    case .tooLarge(let member, let bytes, let limit): return "\(member) is too large: \(bytes) bytes (limit \(limit))"
    case .notNPY(let member, let reason): return "member \(member) is not a .npy array: \(reason)"
    case .invalidHeader(let member, let field, let reason): return "member \(member): .npy header field \(field) is invalid: \(reason)"
    case .unsupportedDType(let member, let descr, let supported):
      return "member \(member) has dtype \(descr), which is not supported (supported: \(supported))"
    case .sizeMismatch(let member, let expected, let actual):
      return "member \(member): the header's shape needs \(expected) data bytes, the file has \(actual)"
    case .invalidArray(let reason): return "invalid array: \(reason)"
    case .missingArray(let name, let available):
      return "the archive has no array '\(name)' (it has: \(available.joined(separator: ", ")))"
    }
  }
}

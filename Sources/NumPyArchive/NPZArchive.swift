import Foundation

/// A `.npz` archive: named arrays, each stored as the zip member `<name>.npy` (`np.savez`,
/// `np.savez_compressed`, `np.load`; `numpy/lib/npyio.py`).
///
/// ```swift
/// let archive = try NPZArchive(contentsOf: URL(fileURLWithPath: "expert_cartpole.npz"))
/// let obs = try archive.array("obs")                      // NumPyArray, e.g. float32 (N, 4)
/// try NPZArchive(arrays: [("obs", obs)]).write(to: url)   // what np.savez writes, byte for byte per member
/// ```
/// Reading accepts stored and deflated members (see ``ZipContainer``); writing stores them, each
/// `.npy` member as ``NPYFormat/encode(_:)`` gives it.
public struct NPZArchive: Sendable {
  /// The arrays, in archive order.
  public private(set) var arrays: [(name: String, array: NumPyArray)]

  /// The default bound on one member's decompressed size, 4 GiB.
  public static let defaultMaximumMemberBytes = 1 << 32

  /// An archive of `arrays`, in that order.
  public init(arrays: [(name: String, array: NumPyArray)]) { self.arrays = arrays }

  /// Parses the bytes of a `.npz` file.
  ///
  /// - Throws: ``NumPyArchiveError`` (see ``ZipContainer`` and ``NPYFormat/decode(_:name:)``);
  ///   members not named `*.npy` are refused.
  public init(bytes: [UInt8], maximumMemberBytes: Int = NPZArchive.defaultMaximumMemberBytes) throws(NumPyArchiveError) {
    var arrays: [(name: String, array: NumPyArray)] = []
    for member in try ZipContainer.read(bytes, maximumMemberBytes: maximumMemberBytes) {
      guard member.name.hasSuffix(".npy") else {
        throw .unsupportedMember(member: member.name, reason: "a .npz holds only .npy members")
      }
      let name = String(member.name.dropLast(4))
      arrays.append((name, try NPYFormat.decode(member.bytes, name: member.name)))
    }
    self.arrays = arrays
  }

  /// Reads a `.npz` file.
  public init(contentsOf url: URL, maximumMemberBytes: Int = NPZArchive.defaultMaximumMemberBytes) throws(NumPyArchiveError) {
    let data: Data
    do { data = try Data(contentsOf: url) } catch { throw .cannotRead(path: url.path, reason: error.localizedDescription) }
    try self.init(bytes: Array(data), maximumMemberBytes: maximumMemberBytes)
  }

  /// The names of the arrays, in archive order.
  public var names: [String] { arrays.map(\.name) }

  /// The array called `name`.
  public func array(_ name: String) throws(NumPyArchiveError) -> NumPyArray {
    guard let match = arrays.first(where: { $0.name == name }) else { throw .missingArray(name: name, available: names) }
    return match.array
  }

  /// The file's bytes: a stored zip of `<name>.npy` members.
  public func encoded() throws(NumPyArchiveError) -> [UInt8] {
    try ZipContainer.write(arrays.map { ZipContainer.Member(name: $0.name + ".npy", bytes: NPYFormat.encode($0.array)) })
  }

  /// Writes the archive atomically (temporary file, then rename).
  public func write(to url: URL) throws(NumPyArchiveError) {
    let bytes = try encoded()
    do { try Data(bytes).write(to: url, options: .atomic) } catch {
      throw .cannotWrite(path: url.path, reason: error.localizedDescription)
    }
  }
}

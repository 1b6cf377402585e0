/// The subset of the zip format (PKWARE APPNOTE 6.3.10) that `.npz` files use.
///
/// ```
/// per member:  local header  sig 0x04034b50 · version · flags · method · time · date · crc-32 ·
///                            compressed size · size · name length · extra length · name · extra
///              data          stored (method 0) or raw DEFLATE (method 8)
/// directory:   one entry per member, sig 0x02014b50 (sizes, crc, local header offset)
/// end record:  sig 0x06054b50 · entry count · directory size · directory offset · comment
///              (zip64: a locator 0x07064b50 before it points at a 0x06064b50 record)
/// ```
/// Reading takes sizes and offsets from the central directory (NumPy's `savez` forces zip64
/// local headers, whose size fields say 0xFFFFFFFF), handles zip64 extra fields and end records,
/// inflates DEFLATE members (`savez_compressed`) with zlib and checks every member's CRC-32.
/// Writing stores members uncompressed with a fixed timestamp (1980-01-01 00:00), so the same
/// arrays always give the same bytes, and without zip64 (each member and the whole archive
/// under 4 GiB).
enum ZipContainer {
  /// A member: its name and its uncompressed bytes.
  struct Member {
    var name: String
    var bytes: [UInt8]
  }

  /// The largest archive the writer produces (no zip64 records).
  static let maximumWriteBytes = Int(UInt32.max) - 1

  // MARK: - Writing

  /// The bytes of a stored (uncompressed) zip archive of `members`, in order.
  static func write(_ members: [Member]) throws(NumPyArchiveError) -> [UInt8] {
    var out: [UInt8] = []
    var directory: [UInt8] = []
    for member in members {
      let name = Array(member.name.utf8)
      guard name.count <= Int(UInt16.max) else { throw .tooLarge(member: member.name, bytes: name.count, limit: Int(UInt16.max)) }
      let offset = out.count
      guard member.bytes.count <= maximumWriteBytes, offset + 30 + name.count + member.bytes.count <= maximumWriteBytes else {
        throw .tooLarge(member: member.name, bytes: offset + member.bytes.count, limit: maximumWriteBytes)
      }
      let crc = Deflate.crc32(member.bytes)
      let size = UInt32(member.bytes.count)
      // Bit 11: the name is UTF-8 (only set when it is not plain ASCII, as Python's zipfile does).
      let flags: UInt16 = name.allSatisfy { $0 < 0x80 } ? 0 : 0x0800
      out.append(u32: 0x0403_4b50)
      out.append(u16: 20)  // version needed: 2.0
      out.append(u16: flags)
      out.append(u16: 0)  // stored
      out.append(u16: 0)  // time 00:00:00
      out.append(u16: 0x21)  // date 1980-01-01
      out.append(u32: crc)
      out.append(u32: size)
      out.append(u32: size)
      out.append(u16: UInt16(name.count))
      out.append(u16: 0)
      out += name
      out += member.bytes

      directory.append(u32: 0x0201_4b50)
      directory.append(u16: 0x0314)  // made by: Unix, 2.0
      directory.append(u16: 20)
      directory.append(u16: flags)
      directory.append(u16: 0)
      directory.append(u16: 0)
      directory.append(u16: 0x21)
      directory.append(u32: crc)
      directory.append(u32: size)
      directory.append(u32: size)
      directory.append(u16: UInt16(name.count))
      directory.append(u16: 0)  // extra
      directory.append(u16: 0)  // comment
      directory.append(u16: 0)  // disk
      directory.append(u16: 0)  // internal attributes
      directory.append(u32: 0o100644 << 16)  // external attributes: a regular file, rw-r--r--
      directory.append(u32: UInt32(offset))
      directory += name
    }
    guard members.count <= Int(UInt16.max), out.count + directory.count + 22 <= maximumWriteBytes else {
      throw .tooLarge(member: "(archive)", bytes: out.count + directory.count, limit: maximumWriteBytes)
    }
    let directoryOffset = out.count
    out += directory
    out.append(u32: 0x0605_4b50)
    out.append(u16: 0)
    out.append(u16: 0)
    out.append(u16: UInt16(members.count))
    out.append(u16: UInt16(members.count))
    out.append(u32: UInt32(directory.count))
    out.append(u32: UInt32(directoryOffset))
    out.append(u16: 0)
    return out
  }

  // MARK: - Reading

  /// A central-directory entry.
  struct Entry {
    var name: String
    var method: UInt16
    var flags: UInt16
    var crc: UInt32
    var compressedSize: Int
    var size: Int
    var localHeaderOffset: Int
  }

  /// Reads every member of a zip archive.
  ///
  /// - Parameter maximumMemberBytes: members that decompress to more are refused before anything
  ///   is allocated for them.
  /// - Throws: ``NumPyArchiveError`` for anything that is not a well-formed archive of stored or
  ///   deflated members with matching CRC-32s.
  static func read(_ bytes: [UInt8], maximumMemberBytes: Int) throws(NumPyArchiveError) -> [Member] {
    let entries = try centralDirectory(bytes)
    var members: [Member] = []
    for entry in entries {
      guard entry.flags & 0x0001 == 0 else { throw .unsupportedMember(member: entry.name, reason: "it is encrypted") }
      guard entry.size <= maximumMemberBytes else {
        throw .tooLarge(member: entry.name, bytes: entry.size, limit: maximumMemberBytes)
      }
      let o = entry.localHeaderOffset
      guard o <= bytes.count - 30, bytes.u32(at: o) == 0x0403_4b50 else {
        throw .corruptArchive(reason: "member \(entry.name): no local header at offset \(o)")
      }
      let dataStart = o + 30 + Int(bytes.u16(at: o + 26)) + Int(bytes.u16(at: o + 28))
      guard dataStart <= bytes.count, entry.compressedSize <= bytes.count - dataStart else {
        throw .corruptArchive(reason: "member \(entry.name): \(entry.compressedSize) bytes at offset \(dataStart) run past the end of the \(bytes.count)-byte file")
      }
      let raw = bytes[dataStart..<(dataStart + entry.compressedSize)]
      let data: [UInt8]
      switch entry.method {
      case 0:
        guard entry.compressedSize == entry.size else {
          throw .corruptArchive(reason: "member \(entry.name) is stored but its sizes differ (\(entry.compressedSize) and \(entry.size))")
        }
        data = Array(raw)
      case 8:
        // DEFLATE expands at most 1032-fold (258-byte matches coded in 2 bits): a larger declared
        // size is a damaged directory, refused before the output is allocated.
        guard entry.size / 1032 <= entry.compressedSize else {
          throw .corruptArchive(reason: "member \(entry.name) claims \(entry.size) bytes from \(entry.compressedSize) compressed bytes, more than DEFLATE can expand")
        }
        data = try Deflate.inflate(raw, expectedCount: entry.size, member: entry.name)
      default:
        throw .unsupportedMember(member: entry.name, reason: "compression method \(entry.method) (supported: 0 stored, 8 deflated)")
      }
      let crc = Deflate.crc32(data)
      guard crc == entry.crc else {
        throw .checksumMismatch(member: entry.name, expected: entry.crc, actual: crc)
      }
      members.append(Member(name: entry.name, bytes: data))
    }
    return members
  }

  /// Finds the end record and parses the central directory.
  static func centralDirectory(_ bytes: [UInt8]) throws(NumPyArchiveError) -> [Entry] {
    guard bytes.count >= 22 else { throw .notZip(reason: "\(bytes.count) bytes is shorter than an end-of-directory record") }
    // The end record is the last 22 bytes plus a comment of at most 65,535 bytes.
    var end = -1
    var i = bytes.count - 22
    let lowest = max(0, bytes.count - 22 - Int(UInt16.max))
    while i >= lowest {
      if bytes.u32(at: i) == 0x0605_4b50 && i + 22 + Int(bytes.u16(at: i + 20)) == bytes.count { end = i; break }
      i -= 1
    }
    guard end >= 0 else { throw .notZip(reason: "no end-of-central-directory record") }
    var count = Int(bytes.u16(at: end + 10))
    var directorySize = Int(bytes.u32(at: end + 12))
    var directoryOffset = Int(bytes.u32(at: end + 16))
    // Zip64: the locator sits just before the end record and points at the zip64 end record.
    if end >= 20, bytes.u32(at: end - 20) == 0x0706_4b50 {
      let record = bytes.u64(at: end - 12)
      guard bytes.count >= 56, record <= UInt64(bytes.count - 56), bytes.u32(at: Int(record)) == 0x0606_4b50 else {
        throw .corruptArchive(reason: "the zip64 locator points at \(record), where there is no zip64 end record")
      }
      let r = Int(record)
      guard let c = Int(exactly: bytes.u64(at: r + 32)), let s = Int(exactly: bytes.u64(at: r + 40)),
        let o = Int(exactly: bytes.u64(at: r + 48))
      else { throw .corruptArchive(reason: "zip64 end record sizes out of range") }
      (count, directorySize, directoryOffset) = (c, s, o)
    }
    guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
      throw .corruptArchive(reason: "the central directory (\(directorySize) bytes at \(directoryOffset)) lies outside the \(bytes.count)-byte file")
    }
    var entries: [Entry] = []
    var p = directoryOffset
    let directoryEnd = directoryOffset + directorySize
    for index in 0..<count {
      guard p <= directoryEnd - 46, bytes.u32(at: p) == 0x0201_4b50 else {
        throw .corruptArchive(reason: "central directory entry \(index) is missing or truncated")
      }
      let nameLength = Int(bytes.u16(at: p + 28)), extraLength = Int(bytes.u16(at: p + 30))
      let commentLength = Int(bytes.u16(at: p + 32))
      let next = p + 46 + nameLength + extraLength + commentLength
      guard next <= directoryEnd else { throw .corruptArchive(reason: "central directory entry \(index) runs past the directory") }
      let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
      var entry = Entry(
        name: name, method: bytes.u16(at: p + 10), flags: bytes.u16(at: p + 8), crc: bytes.u32(at: p + 16),
        compressedSize: Int(bytes.u32(at: p + 20)), size: Int(bytes.u32(at: p + 24)),
        localHeaderOffset: Int(bytes.u32(at: p + 42)))
      try applyZip64Extra(Array(bytes[(p + 46 + nameLength)..<(p + 46 + nameLength + extraLength)]), to: &entry)
      entries.append(entry)
      p = next
    }
    return entries
  }

  /// Replaces the 0xFFFFFFFF size and offset fields of `entry` by the zip64 extra field's values
  /// (header id 0x0001: size, compressed size, offset, in that order, each only when needed).
  static func applyZip64Extra(_ extra: [UInt8], to entry: inout Entry) throws(NumPyArchiveError) {
    var p = 0
    while p + 4 <= extra.count {
      let id = extra.u16(at: p), length = Int(extra.u16(at: p + 2))
      guard p + 4 + length <= extra.count else { throw .corruptArchive(reason: "member \(entry.name): extra field runs past its end") }
      if id == 0x0001 {
        var q = p + 4
        func next() throws(NumPyArchiveError) -> Int {
          guard q + 8 <= p + 4 + length, let value = Int(exactly: extra.u64(at: q)) else {
            throw .corruptArchive(reason: "member \(entry.name): zip64 extra field too short or out of range")
          }
          q += 8
          return value
        }
        if entry.size == 0xFFFF_FFFF { entry.size = try next() }
        if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next() }
        if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next() }
      }
      p += 4 + length
    }
  }
}

extension Array where Element == UInt8 {
  mutating func append(u16 value: UInt16) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
  mutating func append(u32 value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }

  func u16(at o: Int) -> UInt16 { UInt16(self[o]) | UInt16(self[o + 1]) << 8 }
  func u32(at o: Int) -> UInt32 { UInt32(u16(at: o)) | UInt32(u16(at: o + 2)) << 16 }
  func u64(at o: Int) -> UInt64 { UInt64(u32(at: o)) | UInt64(u32(at: o + 4)) << 32 }
}

import Foundation
import Testing

@testable import NumPyArchive

/// The arrays `Tools/numpy_archive_fixtures.py` wrote with NumPy 1.26.4, by the same formula.
enum NumPyFixture {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func value(_ i: Int) -> Double { Double(i * 7 % 11) - 5 + Double(i % 4) * 0.25 }

  /// (name, dtype, shape, little-endian C order as written by np.save)
  static let members: [(name: String, dtype: NumPyArray.DType, shape: [Int], canonical: Bool)] = [
    ("f4_3x4", .float32, [3, 4], true), ("f8_5", .float64, [5], true), ("i8_4x1", .int64, [4, 1], true),
    ("b1_6", .bool, [6], true), ("u1_2x2x3", .uint8, [2, 2, 3], true), ("i4_2x3", .int32, [2, 3], true),
    ("f8_scalar", .float64, [], true), ("f4_0x3", .float32, [0, 3], true),
    ("f4_big_endian_2x3", .float32, [2, 3], false), ("f4_fortran_3x2", .float32, [3, 2], false),
  ]

  /// The expected element values as Double, C order.
  static func expected(_ dtype: NumPyArray.DType, count: Int) -> [Double] {
    (0..<count).map { i in
      let v = value(i)
      switch dtype {
      case .bool: return v > 0 ? 1 : 0
      case .float32: return Double(Float(v))
      case .float64: return v
      case .uint8: return (v.rounded(.down) + 5)
      default: return v.rounded(.down)
      }
    }
  }

  static func array(_ dtype: NumPyArray.DType, shape: [Int]) throws -> NumPyArray {
    let values = expected(dtype, count: shape.reduce(1, *))
    switch dtype {
    case .float32: return try NumPyArray(float32: values.map { Float($0) }, shape: shape)
    case .float64: return try NumPyArray(float64: values, shape: shape)
    case .int64: return try NumPyArray(int64: values.map { Int64($0) }, shape: shape)
    case .bool: return try NumPyArray(bool: values.map { $0 != 0 }, shape: shape)
    case .uint8: return try NumPyArray(dtype: .uint8, shape: shape, bytes: values.map { UInt8($0) })
    case .int32:
      return try NumPyArray(dtype: .int32, shape: shape, bytes: NumPyArray.littleEndianBytes(values.map { Int32($0) }))
    default: fatalError("no fixture of dtype \(dtype)")
    }
  }
}

@Suite struct NumPyArchiveTests {
  @Test(arguments: ["savez.npz", "savez_compressed.npz"])
  func readsEveryNumPyWrittenMember(file: String) throws {
    let archive = try NPZArchive(contentsOf: NumPyFixture.directory.appendingPathComponent(file))
    #expect(archive.names == NumPyFixture.members.map(\.name))
    for member in NumPyFixture.members {
      let array = try archive.array(member.name)
      #expect(array.dtype == member.dtype, "\(member.name)")
      #expect(array.shape == member.shape, "\(member.name)")
      #expect(array.doubles() == NumPyFixture.expected(member.dtype, count: member.shape.reduce(1, *)), "\(member.name)")
    }
  }

  @Test func npyWriterMatchesNumPyByteForByte() throws {
    let stored = try ZipContainer.read(
      Array(Data(contentsOf: NumPyFixture.directory.appendingPathComponent("savez.npz"))), maximumMemberBytes: 1 << 20)
    var compared = 0
    for member in NumPyFixture.members where member.canonical {
      let numpy = try #require(stored.first { $0.name == member.name + ".npy" }).bytes
      let ours = NPYFormat.encode(try NumPyFixture.array(member.dtype, shape: member.shape))
      #expect(ours == numpy, "\(member.name): ours \(ours.count) bytes, NumPy \(numpy.count)")
      compared += 1
    }
    #expect(compared == 8)
  }

  @Test func writtenArchiveReadsBackAndIsDeterministic() throws {
    let arrays = try NumPyFixture.members.filter(\.canonical).map { ($0.name, try NumPyFixture.array($0.dtype, shape: $0.shape)) }
    let bytes = try NPZArchive(arrays: arrays).encoded()
    #expect(try NPZArchive(arrays: arrays).encoded() == bytes)
    let back = try NPZArchive(bytes: bytes)
    #expect(back.names == arrays.map(\.0))
    for (name, array) in arrays { #expect(try back.array(name) == array) }
    // Every member is stored at the offset its directory entry names, uncompressed.
    for entry in try ZipContainer.centralDirectory(bytes) { #expect(entry.method == 0 && entry.size == entry.compressedSize) }
  }

  @Test func headersLongerThanAU16UseVersion2() throws {
    // 30,000 dimensions of 1 make a header of ≈ 90,000 bytes.
    let shape = [Int](repeating: 1, count: 30_000)
    let array = try NumPyArray(float32: [1.5], shape: shape)
    let bytes = NPYFormat.encode(array)
    #expect(bytes[6] == 2)
    #expect((bytes.count - 4) % 64 == 0)
    #expect(try NPYFormat.decode(bytes) == array)
  }

  @Test func crc32AndDeflateAgreeWithZlibReferenceValues() throws {
    #expect(Deflate.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    // "hello hello hello" as raw DEFLATE (Python: zlib.compressobj(9, 8, -15)).
    let compressed: [UInt8] = [0xCB, 0x48, 0xCD, 0xC9, 0xC9, 0x57, 0xC8, 0x40, 0x90, 0x00]
    #expect(try Deflate.inflate(compressed[...], expectedCount: 17, member: "m") == Array("hello hello hello".utf8))
    #expect(throws: NumPyArchiveError.self) { try Deflate.inflate(compressed[...], expectedCount: 16, member: "m") }
    #expect(throws: NumPyArchiveError.self) { try Deflate.inflate(compressed.dropLast(3), expectedCount: 17, member: "m") }
  }

  @Test func corruptArchivesAreTypedErrorsNeverCrashes() throws {
    let good = Array(try Data(contentsOf: NumPyFixture.directory.appendingPathComponent("savez_compressed.npz")))
    #expect(throws: NumPyArchiveError.self) { try NPZArchive(bytes: []) }
    #expect(throws: NumPyArchiveError.self) { try NPZArchive(bytes: Array(good.prefix(good.count / 2))) }
    // A flipped data byte in the first member: the CRC-32 (or the inflater) refuses it.
    var flipped = good
    flipped[120] ^= 0x5A
    #expect(throws: NumPyArchiveError.self) { try NPZArchive(bytes: flipped) }
    // Every single-byte corruption at 200 spread positions: an error or a valid archive, no trap.
    for k in 0..<200 {
      var mutated = good
      let i = (k * 7919) % good.count
      mutated[i] = mutated[i] &+ UInt8(1 + k % 255)
      _ = try? NPZArchive(bytes: mutated)
    }
    // A member that claims more than the limit is refused before it is inflated.
    #expect(throws: NumPyArchiveError.tooLarge(member: "f4_3x4.npy", bytes: 176, limit: 100)) {
      try NPZArchive(bytes: good, maximumMemberBytes: 100)
    }
  }

  @Test func npyHeaderErrorsNameTheField() throws {
    func npy(_ header: String, data: [UInt8] = []) -> [UInt8] {
      var h = Array(header.utf8)
      h += [UInt8](repeating: 0x20, count: 63 - (10 + h.count) % 64) + [0x0A]
      return NPYFormat.magic + [1, 0, UInt8(h.count & 0xFF), UInt8(h.count >> 8)] + h + data
    }
    #expect(throws: NumPyArchiveError.unsupportedDType(member: "a", descr: "|O", supported: NPYFormat.HeaderParser.supportedDescrs)) {
      try NPYFormat.decode(npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"), name: "a")
    }
    #expect(throws: NumPyArchiveError.invalidHeader(member: "a", field: "shape", reason: "missing")) {
      try NPYFormat.decode(npy("{'descr': '<f4', 'fortran_order': False, }"), name: "a")
    }
    #expect(throws: NumPyArchiveError.sizeMismatch(member: "a", expectedBytes: 8, actualBytes: 4)) {
      try NPYFormat.decode(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: [0, 0, 0, 0]), name: "a")
    }
    #expect(throws: NumPyArchiveError.self) { try NPYFormat.decode(Array("not numpy at all".utf8)) }
    #expect(throws: NumPyArchiveError.invalidArray(reason: "a float32 array of shape [3] needs 3 × 4 bytes, got 8")) {
      try NumPyArray(float32: [1, 2], shape: [3])
    }
  }
}

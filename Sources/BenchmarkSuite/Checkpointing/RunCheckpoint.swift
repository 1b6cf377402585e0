import ActorCritic
import BuildInfo
import Environments
import Foundation
import LinearAlgebra

/// One checkpoint of a run in training (`update-<k>.acbc`), format version 1.
///
/// ```
/// offset    size  content
/// 0         8     magic "ACBCHKPT"
/// 8         4     format version, UInt32 little-endian (1)
/// 12        8     header length H, UInt64 little-endian
/// 20        H     header: UTF-8 JSON (RunCheckpoint.Header)
/// 20+H      P     payload: model section (CheckpointableModel.captureCheckpoint: parameters,
///                 optimiser state, streams, training state, algorithm state, environment), then
///                 curve section (CurveRecorder's rows and partial sums); each an Int length + bytes
/// 20+H+P    8     FNV-1a-64 of bytes 0 ..< 20+H+P, UInt64 little-endian
/// ```
/// Every later format version keeps the magic, the version field and the trailing checksum, so
/// that a file of another version can be told from a damaged one.
/// The header says which run and build wrote it and how far training got, so `bench status`
/// reads progress without the payload; the checksum covers everything, so a truncated or
/// damaged file is refused before any of it is used.
struct RunCheckpoint {
  static let magic = Array("ACBCHKPT".utf8)
  static let formatVersion: UInt32 = 1

  /// What the file says about itself.
  struct Header: Codable, Equatable {
    /// The run (entry, seed): a checkpoint resumes only the run it was taken of.
    var run: RunSpec
    /// The build that wrote it (git revision, Swift version, BLAS kernel): another build's
    /// training would not continue bit for bit, so its checkpoints are not resumed.
    var build: String
    /// Updates done.
    var updates: Int
    /// Environment steps trained.
    var timesteps: Int
    /// The run's training budget.
    var totalTimesteps: Int
    /// Whether training had finished (only the evaluation was left).
    var trainingComplete: Bool
    /// Whether the environment's state was captured exactly.
    var environmentExact: Bool
    /// Earlier resumes that restarted the episodes (carried into the summary).
    var episodeRestarts: [EpisodeRestart]
    /// Wall-clock training seconds so far (information only).
    var trainingSeconds: Double
    /// Payload bytes.
    var payloadBytes: Int
  }

  var header: Header
  /// The model section (``CheckpointableModel/captureCheckpoint(updates:totalTimesteps:)``); a
  /// decoded checkpoint's sections are slices of the file's bytes, not copies.
  var model: ArraySlice<UInt8>
  /// The curve recorder's section.
  var curve: ArraySlice<UInt8>

  init(header: Header, model: ArraySlice<UInt8>, curve: ArraySlice<UInt8>) {
    self.header = header
    self.model = model
    self.curve = curve
  }

  init(header: Header, model: [UInt8], curve: [UInt8]) {
    self.init(header: header, model: model[...], curve: curve[...])
  }

  /// The build identity written into and required of a checkpoint.
  static var currentBuild: String {
    "\(BuildInfo.gitDescription) · \(BuildInfo.compilerVersion) · OpenBLAS \(BLASRuntime.coreName)"
  }

  /// The file's bytes.
  func encoded() throws -> [UInt8] {
    try Self.encode(header: header, model: BinaryStateWriter(wrapping: Array(model)), curve: Array(curve)).flatMap { $0 }
  }

  /// The file as consecutive blocks, the model's shared blocks (a replay ring) not copied:
  /// ``CheckpointStore/write(_:update:)`` streams them to disk with the checksum computed on
  /// the way, so writing a checkpoint costs no second copy of the replay in memory.
  static func encode(header: Header, model: BinaryStateWriter, curve: [UInt8]) throws -> [[UInt8]] {
    var payload = BinaryStateWriter()
    payload.write(section: model)
    payload.write(bytes: curve)
    var header = header
    header.payloadBytes = payload.count
    let json = try JSONCoding.encoder.encode(header)
    var prefix = Self.magic
    withUnsafeBytes(of: Self.formatVersion.littleEndian) { prefix.append(contentsOf: $0) }
    withUnsafeBytes(of: UInt64(json.count).littleEndian) { prefix.append(contentsOf: $0) }
    prefix.append(contentsOf: json)
    var blocks = [prefix] + payload.blocks
    let checksum = blocks.reduce(fnvOffsetBasis) { fnv1a64($1[...], continuing: $0) }
    blocks.append(withUnsafeBytes(of: checksum.littleEndian) { Array($0) })
    return blocks
  }

  /// Reads only the header (for `bench status`): magic, version and header are checked, the
  /// payload and checksum are not.
  static func readHeader(_ bytes: [UInt8]) throws(CheckpointFileError) -> Header {
    try parse(bytes, verify: false).header
  }

  /// Decodes and verifies a whole file. The sections are slices of `bytes` (nothing is copied:
  /// resuming an Atari ACER run holds its 2.4 GB file once).
  static func decode(_ bytes: [UInt8]) throws(CheckpointFileError) -> RunCheckpoint {
    let parsed = try parse(bytes, verify: true)
    var reader = BinaryStateReader(bytes, offset: parsed.payloadOffset)
    do {
      let model = try reader.readByteSlice("model")
      let curve = try reader.readByteSlice("curve")
      guard reader.remaining == 8 else { throw CheckpointFileError.corrupt(reason: "payload length disagrees with its sections") }
      return RunCheckpoint(header: parsed.header, model: model, curve: curve)
    } catch let error as CheckpointFileError {
      throw error
    } catch {
      throw .corrupt(reason: "\(error)")
    }
  }

  private static func parse(_ bytes: [UInt8], verify: Bool) throws(CheckpointFileError) -> (header: Header, payloadOffset: Int) {
    guard bytes.count >= 28 else { throw .truncated(bytes: bytes.count) }
    guard Array(bytes[0..<8]) == magic else { throw .notACheckpoint }
    var reader = BinaryStateReader(bytes, offset: 8)
    let version: UInt32
    let headerLength: UInt64
    do {
      version = try reader.readUInt32("version")
      headerLength = try reader.readUInt64("header length")
    } catch { throw .truncated(bytes: bytes.count) }
    // The checksum before the version: a flipped bit in the version field is damage (set aside,
    // with a fall-back), while an intact file of another version is refused and kept. Every format
    // version ends with this checksum of all the bytes before it.
    if verify {
      let stored = bytes[(bytes.count - 8)...].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) }
      let actual = fnv1a64(bytes[0..<(bytes.count - 8)])
      guard stored == actual else {
        throw .checksumMismatch(stored: String(stored, radix: 16), actual: String(actual, radix: 16))
      }
    }
    guard version == formatVersion else { throw .unsupportedVersion(version) }
    guard headerLength <= UInt64(bytes.count - 28) else { throw .truncated(bytes: bytes.count) }
    let headerEnd = 20 + Int(headerLength)
    let header: Header
    do { header = try JSONCoding.decoder.decode(Header.self, from: Data(bytes[20..<headerEnd])) } catch {
      throw .corrupt(reason: "header: \(error)")
    }
    if verify, header.payloadBytes != bytes.count - 8 - headerEnd {
      throw .corrupt(reason: "header says \(header.payloadBytes) payload bytes, file has \(bytes.count - 8 - headerEnd)")
    }
    return (header, headerEnd)
  }

  static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

  /// FNV-1a, 64 bit (the model files' checksum, ``ActorCritic/ModelArchive``), continuing from
  /// the hash of the bytes before `bytes`.
  static func fnv1a64(_ bytes: ArraySlice<UInt8>, continuing start: UInt64 = fnvOffsetBasis) -> UInt64 {
    var h = start
    bytes.withUnsafeBufferPointer { buffer in
      for b in buffer {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01b3
      }
    }
    return h
  }
}

/// A checkpoint file that cannot be used.
enum CheckpointFileError: Error, Equatable, CustomStringConvertible {
  case truncated(bytes: Int)
  case notACheckpoint
  case unsupportedVersion(UInt32)
  case checksumMismatch(stored: String, actual: String)
  case corrupt(reason: String)

  var description: String {
    switch self {
    case .truncated(let bytes): return "truncated (\(bytes) bytes)"
    case .notACheckpoint: return "not a checkpoint file (magic bytes differ)"
    case .unsupportedVersion(let v): return "format version \(v), this build reads \(RunCheckpoint.formatVersion)"
    case .checksumMismatch(let stored, let actual): return "checksum mismatch (stored \(stored), computed \(actual))"
    case .corrupt(let reason): return "corrupt: \(reason)"
    }
  }
}

extension RunCheckpoint {
  /// Reads only the header of the checkpoint file at `url` (at most 20 + H bytes are read, so
  /// `bench status` stays fast next to multi-gigabyte replay buffers).
  static func readHeader(at url: URL) throws -> Header {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    let length = try readPrefix(handle)
    guard length <= 1 << 24 else { throw CheckpointFileError.corrupt(reason: "header length \(length)") }
    let json = try handle.read(upToCount: Int(length)) ?? Data()
    guard json.count == Int(length) else { throw CheckpointFileError.truncated(bytes: 20 + json.count) }
    do { return try JSONCoding.decoder.decode(Header.self, from: json) } catch {
      throw CheckpointFileError.corrupt(reason: "header: \(error)")
    }
  }

  /// Reads the 20-byte prefix at the handle's position (magic, format version) and returns the
  /// header length H that follows it.
  private static func readPrefix(_ handle: FileHandle) throws -> UInt64 {
    let prefix = Array(try handle.read(upToCount: 20) ?? Data())
    guard prefix.count == 20 else { throw CheckpointFileError.truncated(bytes: prefix.count) }
    guard Array(prefix[0..<8]) == magic else { throw CheckpointFileError.notACheckpoint }
    var reader = BinaryStateReader(prefix, offset: 8)
    let version = try reader.readUInt32("version")
    guard version == formatVersion else { throw CheckpointFileError.unsupportedVersion(version) }
    return try reader.readUInt64("header length")
  }

  /// Reads only the curve section of the checkpoint file at `url`: the prefix, then a seek past
  /// the header and the model section (an Atari ACER replay of gigabytes is skipped, not read).
  /// Not checksummed — for progress displays, never for resuming.
  static func readCurveSection(at url: URL) throws -> [UInt8] {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    let size = try handle.seekToEnd()
    try handle.seek(toOffset: 0)
    let headerLength = try readPrefix(handle)
    guard headerLength <= size else { throw CheckpointFileError.corrupt(reason: "header length \(headerLength)") }
    /// The UInt64 length at `offset`, checked to fit in the file after it.
    func length(at offset: UInt64) throws -> UInt64 {
      guard offset <= size, size - offset >= 8 else { throw CheckpointFileError.truncated(bytes: Int(size)) }
      try handle.seek(toOffset: offset)
      var lengthReader = BinaryStateReader(Array(try handle.read(upToCount: 8) ?? Data()))
      let value = try lengthReader.readUInt64("section length")
      guard value <= size - offset - 8 else { throw CheckpointFileError.corrupt(reason: "section length \(value)") }
      return value
    }
    let modelOffset = 20 + headerLength
    let curveOffset = modelOffset + 8 + (try length(at: modelOffset))
    let curveLength = try length(at: curveOffset)
    return Array(try handle.read(upToCount: Int(curveLength)) ?? Data())
  }
}

import Environments
import Foundation

/// The model file format (`.acbm`), version 1.
///
/// ```
/// offset  size  content
/// 0       8     magic "ACBMODEL"
/// 8       4     format version, UInt32 little-endian (1)
/// 12      8     header length H, UInt64 little-endian
/// 20      H     header: UTF-8 JSON (ModelArchive.Header)
/// 20+H    …     payload: every parameter as Float32 little-endian, then every optimiser-state
///               blob (JSON), at the byte offsets the header lists
/// ```
/// The header carries the algorithm, the hyperparameters under their SB2 names, both spaces, the
/// seed and step count, the observation/return normalisation statistics, each tensor's name,
/// shape and payload offset, and an FNV-1a-64 checksum of the payload. Unlike stable-baselines
/// (algorithms.md §5, §4.8), everything needed to resume is saved: optimiser slots, K-FAC
/// statistics and ACER's average network.
public enum ModelArchive {
  /// The magic bytes.
  static let magic = Array("ACBMODEL".utf8)
  /// The format version this code writes and reads.
  public static let formatVersion: UInt32 = 1

  /// The JSON header.
  struct Header: Codable {
    var algorithm: String
    var formatVersion: UInt32
    var seed: UInt64
    var timesteps: Int
    var observationSpace: Space
    var actionSpace: Space
    var configuration: JSONFragment
    var normalization: NormalizationStatistics?
    var parameters: [TensorEntry]
    var optimizerState: [BlobEntry]
    var payloadBytes: Int
    var payloadChecksum: String
  }

  struct TensorEntry: Codable {
    var name: String
    var shape: [Int]
    var offset: Int
    var count: Int
  }

  struct BlobEntry: Codable {
    var name: String
    var offset: Int
    var bytes: Int
  }

  /// Encodes an optimiser-state snapshot for the archive.
  public static func encodeState<T: Encodable>(_ value: T) throws -> Data { try encoder.encode(value) }

  /// Decodes an optimiser-state snapshot from the archive.
  public static func decodeState<T: Decodable>(_ type: T.Type, from data: Data, name: String) throws -> T {
    do { return try decoder.decode(T.self, from: data) } catch {
      throw ModelFileError.corruptHeader(reason: "optimiser state \(name): \(error)")
    }
  }

  static let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .prettyPrinted]
    e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }()

  static let decoder: JSONDecoder = {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return d
  }()

  static func decodeConfiguration<C: Decodable>(_ type: C.Type, from data: Data) throws -> C {
    do { return try decoder.decode(C.self, from: data) } catch {
      throw ModelFileError.corruptHeader(reason: "configuration: \(error)")
    }
  }

  /// Checks restored optimiser slots against the live ones.
  public static func checkSlots(_ slots: [[Float]], like reference: [[Float]], name: String) throws {
    guard slots.count == reference.count, zip(slots, reference).allSatisfy({ $0.count == $1.count }) else {
      throw ModelFileError.shapeMismatch(name: name, expected: reference.map(\.count), found: slots.map(\.count))
    }
  }

  /// FNV-1a, 64 bit, of the payload bytes.
  static func checksum(_ bytes: [UInt8]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01b3
    }
    return String(h, radix: 16)
  }
}

/// A JSON value embedded verbatim in the header (the algorithm's configuration).
struct JSONFragment: Codable {
  var data: Data
  init(_ data: Data) { self.data = data }
  init(from decoder: any Decoder) throws {
    let value = try decoder.singleValueContainer().decode(JSONValue.self)
    data = try JSONEncoder().encode(value)
  }
  func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(try JSONDecoder().decode(JSONValue.self, from: data))
  }
}

/// A model file that cannot be read, or parameters that do not fit the model.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
  case cannotRead(path: String, reason: String)
  case cannotWrite(path: String, reason: String)
  case notAModelFile(path: String)
  case unsupportedVersion(found: UInt32, supported: UInt32)
  case truncated(expectedBytes: Int, actualBytes: Int)
  case corruptHeader(reason: String)
  case checksumMismatch(expected: String, actual: String)
  case algorithmMismatch(file: String, expected: String)
  case unexpectedParameter(name: String)
  case missingParameters([String])
  case shapeMismatch(name: String, expected: [Int], found: [Int])
  case nonFiniteParameter(name: String)

  public var description: String {
    switch self {
    case .cannotRead(let path, let reason): return "cannot read model file \(path): \(reason)"
    case .cannotWrite(let path, let reason): return "cannot write model file \(path): \(reason)"
    case .notAModelFile(let path): return "\(path) is not an ActorCriticBench model file (magic bytes differ)"
    case .unsupportedVersion(let found, let supported):
      return "model file format version \(found) is not supported (this build reads version \(supported))"
    case .truncated(let expected, let actual):
      return "model file is truncated: expected \(expected) bytes, found \(actual)"
    case .corruptHeader(let reason): return "model file header is corrupt: \(reason)"
    case .checksumMismatch(let expected, let actual):
      return "model file payload is corrupt: checksum \(actual), header says \(expected)"
    case .algorithmMismatch(let file, let expected):
      return "model file holds a \(file) model, not \(expected); load it with \(file.uppercased()).load"
    case .unexpectedParameter(let name): return "unknown parameter \(name)"
    case .missingParameters(let names): return "missing parameters: \(names.joined(separator: ", "))"
    case .shapeMismatch(let name, let expected, let found):
      return "parameter \(name) has shape \(found), the model expects \(expected)"
    case .nonFiniteParameter(let name): return "parameter \(name) contains NaN or infinity"
    }
  }
}

extension ActorCriticModel {
  /// Saves the model to `url` atomically (temporary file, then rename).
  public func save(to url: URL) throws {
    var payloadBytes: [UInt8] = []
    var parameterEntries: [ModelArchive.TensorEntry] = []
    for p in policy.network.parameters {
      parameterEntries.append(.init(name: p.name, shape: p.shape, offset: payloadBytes.count, count: p.count))
      for x in p.value.elements { withUnsafeBytes(of: x.bitPattern.littleEndian) { payloadBytes += $0 } }
    }
    var blobEntries: [ModelArchive.BlobEntry] = []
    for (name, blob) in try optimizerState().sorted(by: { $0.key < $1.key }) {
      blobEntries.append(.init(name: name, offset: payloadBytes.count, bytes: blob.count))
      payloadBytes += blob
    }
    let header = ModelArchive.Header(
      algorithm: Self.algorithmName, formatVersion: ModelArchive.formatVersion, seed: seed,
      timesteps: state.timesteps, observationSpace: policy.observationSpace, actionSpace: policy.actionSpace,
      configuration: JSONFragment(try configurationJSON), normalization: state.environment?.normalizationStatistics,
      parameters: parameterEntries, optimizerState: blobEntries, payloadBytes: payloadBytes.count,
      payloadChecksum: ModelArchive.checksum(payloadBytes))
    let headerBytes = Array(try ModelArchive.encoder.encode(header))
    var file = ModelArchive.magic
    file += withUnsafeBytes(of: ModelArchive.formatVersion.littleEndian) { Array($0) }
    file += withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { Array($0) }
    file += headerBytes
    file += payloadBytes
    do { try Data(file).write(to: url, options: .atomic) } catch {
      throw ModelFileError.cannotWrite(path: url.path, reason: "\(error.localizedDescription)")
    }
  }

  /// Loads a model saved by ``save(to:)``, optionally attaching an environment (whose
  /// normalisation statistics are then replaced by the saved ones).
  ///
  /// - Throws: ``ModelFileError`` for a missing, foreign, truncated, corrupt or mismatched file.
  public static func load(from url: URL, environment: (any VectorizedEnvironment)? = nil) throws -> Self {
    let bytes: [UInt8]
    do { bytes = Array(try Data(contentsOf: url)) } catch {
      throw ModelFileError.cannotRead(path: url.path, reason: error.localizedDescription)
    }
    guard bytes.count >= 20, Array(bytes[0..<8]) == ModelArchive.magic else {
      throw ModelFileError.notAModelFile(path: url.path)
    }
    let version = bytes[8..<12].withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    guard version == ModelArchive.formatVersion else {
      throw ModelFileError.unsupportedVersion(found: version, supported: ModelArchive.formatVersion)
    }
    let headerLength = bytes[12..<20].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    guard headerLength <= UInt64(bytes.count - 20) else {
      throw ModelFileError.truncated(expectedBytes: 20 + Int(clamping: headerLength), actualBytes: bytes.count)
    }
    let headerEnd = 20 + Int(headerLength)
    let header: ModelArchive.Header
    do { header = try ModelArchive.decoder.decode(ModelArchive.Header.self, from: Data(bytes[20..<headerEnd])) } catch {
      throw ModelFileError.corruptHeader(reason: "\(error)")
    }
    guard header.algorithm == algorithmName else {
      throw ModelFileError.algorithmMismatch(file: header.algorithm, expected: algorithmName)
    }
    guard bytes.count == headerEnd + header.payloadBytes else {
      throw ModelFileError.truncated(expectedBytes: headerEnd + header.payloadBytes, actualBytes: bytes.count)
    }
    let payloadBytes = Array(bytes[headerEnd...])
    let actual = ModelArchive.checksum(payloadBytes)
    guard actual == header.payloadChecksum else {
      throw ModelFileError.checksumMismatch(expected: header.payloadChecksum, actual: actual)
    }
    func tensor(_ entry: ModelArchive.TensorEntry) throws -> [Float] {
      guard entry.offset >= 0, entry.count >= 0, entry.offset <= payloadBytes.count - entry.count * 4 else {
        throw ModelFileError.corruptHeader(reason: "tensor \(entry.name) lies outside the payload")
      }
      return (0..<entry.count).map { i in
        let o = entry.offset + i * 4
        let bits = UInt32(payloadBytes[o]) | UInt32(payloadBytes[o + 1]) << 8 | UInt32(payloadBytes[o + 2]) << 16
          | UInt32(payloadBytes[o + 3]) << 24
        return Float(bitPattern: bits)
      }
    }
    let model = try make(
      configurationJSON: header.configuration.data, observationSpace: header.observationSpace,
      actionSpace: header.actionSpace, seed: header.seed)
    try model.loadParameters(header.parameters.map { NamedParameter(name: $0.name, shape: $0.shape, values: try tensor($0)) })
    var blobs: [String: Data] = [:]
    for entry in header.optimizerState {
      guard entry.offset >= 0, entry.bytes >= 0, entry.offset <= payloadBytes.count - entry.bytes else {
        throw ModelFileError.corruptHeader(reason: "optimiser state \(entry.name) lies outside the payload")
      }
      blobs[entry.name] = Data(payloadBytes[entry.offset..<(entry.offset + entry.bytes)])
    }
    try model.restoreOptimizerState(blobs)
    model.state.timesteps = header.timesteps
    if let environment {
      try model.setEnvironment(environment)
      if let statistics = header.normalization { try environment.setNormalizationStatistics(statistics) }
    }
    return model
  }
}

import Environments
import Foundation
import NeuralNetwork

/// The model file format (`.acbm`), version 3.
///
/// ```
/// offset    size  content
/// 0         8     magic "ACBMODEL"
/// 8         4     format version, UInt32 little-endian (3)
/// 12        8     header length H, UInt64 little-endian
/// 20        H     header: UTF-8 JSON (ModelArchive.Header)
/// 20+H      P     payload: every parameter as Float32 little-endian, then every optimiser-state
///                 blob in the checkpoints' binary layout (`OptimizerState+Binary.swift`), at the
///                 byte offsets the header lists
/// 20+H+P    8     FNV-1a-64 of bytes 0 ..< 20+H+P (header AND payload), UInt64 little-endian
/// ```
/// The header carries the algorithm, the hyperparameters under their SB2 names, both spaces, the
/// seed and step count, the observation/return normalisation statistics, each tensor's name,
/// shape and payload offset.
///
/// Older versions are still read. Version 2 stores the optimiser-state blobs as JSON text (an
/// ACKTR nature_cnn model, whose K-FAC factors are 3137² doubles, was 402 MB and took about 70 s
/// to encode; version 3 writes the same numbers as raw little-endian bytes). Version 1 also has
/// no trailer: the header's `payloadChecksum` is the FNV-1a-64 of the payload only, as a hex
/// string, so a flipped bit in a version 1 header is caught only by the validation below;
/// re-save old files to get the whole-file checksum and the binary blobs.
///
/// Loading never trusts a size: every length, offset and count is checked against the file
/// before anything is allocated; both spaces are validated (``Space/validate()``); the network
/// is bounded (``NetworkArchitecture/maximumParameterCount``, ``NetworkArchitecture/maximumLayerCount``)
/// before it is built; normalisation statistics must be finite with positive variances and counts;
/// optimiser-state blobs must have exactly the live optimiser's shapes and finite values.
/// Anything else is a ``ModelFileError``. Unlike stable-baselines
/// (algorithms.md §5, §4.8), everything needed to resume is saved: optimiser slots, K-FAC
/// statistics and ACER's average network.
public enum ModelArchive {
  /// The magic bytes.
  static let magic = Array("ACBMODEL".utf8)
  /// The format version this code writes.
  public static let formatVersion: UInt32 = 3
  /// The versions this code reads (version 1: payload-only checksum in the header; versions 1
  /// and 2: optimiser state as JSON).
  public static let readableVersions: ClosedRange<UInt32> = 1...3

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
    /// Version 1 only: FNV-1a-64 of the payload (version 2 checks the whole file in a trailer).
    var payloadChecksum: String?
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

  /// How a file's optimiser-state blobs are encoded.
  public enum OptimizerStateEncoding: Sendable, Equatable {
    /// Format versions 1 and 2: JSON text of the `Codable` snapshot.
    case json
    /// Format version 3: the checkpoints' binary layout (`OptimizerState+Binary.swift`).
    case binary

    /// The encoding of a file of format `version`.
    init(formatVersion version: UInt32) { self = version >= 3 ? .binary : .json }
  }

  /// Optimiser slots (RMSProp, momentum, an average network) as a blob of the current format.
  public static func encodeSlots(_ slots: [[Float]]) -> Data {
    var writer = BinaryStateWriter()
    writer.write(slots: slots)
    return Data(writer.bytes)
  }

  /// Slots from a blob, which must have exactly `reference`'s shapes (and, in the binary
  /// encoding, finite values).
  public static func decodeSlots(
    _ data: Data, name: String, like reference: [[Float]], encoding: OptimizerStateEncoding
  ) throws -> [[Float]] {
    switch encoding {
    case .json:
      let slots = try decodeJSONState([[Float]].self, from: data, name: name)
      try checkSlots(slots, like: reference, name: name)
      return slots
    case .binary:
      return try decodeBinaryState(data, name: name) { reader throws(BinaryStateError) in
        try reader.readSlots(name, like: reference)
      }
    }
  }

  /// A K-FAC snapshot as a blob of the current format.
  public static func encodeKFAC(_ snapshot: KFAC.Snapshot) -> Data {
    var writer = BinaryStateWriter()
    writer.write(snapshot)
    return Data(writer.bytes)
  }

  /// A K-FAC snapshot from a blob; the binary encoding must have `reference`'s factor names and
  /// dimensions (``KFAC/restore(_:)`` checks the values of either).
  public static func decodeKFAC(
    _ data: Data, name: String, like reference: KFAC.Snapshot, encoding: OptimizerStateEncoding
  ) throws -> KFAC.Snapshot {
    switch encoding {
    case .json: return try decodeJSONState(KFAC.Snapshot.self, from: data, name: name)
    case .binary:
      return try decodeBinaryState(data, name: name) { reader throws(BinaryStateError) in
        try reader.readSnapshot(like: reference)
      }
    }
  }

  /// Decodes a version 1–2 (JSON) optimiser-state blob.
  static func decodeJSONState<T: Decodable>(_ type: T.Type, from data: Data, name: String) throws(ModelFileError) -> T {
    do { return try decoder.decode(T.self, from: data) } catch {
      throw .corruptHeader(reason: "optimiser state \(name): \(error)")
    }
  }

  /// Decodes a version 3 (binary) optimiser-state blob with `read`, which must consume all of it.
  static func decodeBinaryState<T>(
    _ data: Data, name: String, _ read: (inout BinaryStateReader) throws(BinaryStateError) -> T
  ) throws(ModelFileError) -> T {
    var reader = BinaryStateReader(Array(data))
    do {
      let value = try read(&reader)
      try reader.requireEnd(name)
      return value
    } catch {
      throw .invalidField(field: "optimizerState[\(name)]", reason: "\(error)")
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

  /// FNV-1a, 64 bit, of `bytes`, as a hex string (version 1's `payloadChecksum`).
  static func checksum<C: Collection<UInt8>>(_ bytes: C) -> String { String(fnv1a64(bytes), radix: 16) }

  /// FNV-1a, 64 bit.
  static func fnv1a64<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01b3
    }
    return h
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
  /// A header field is out of range (a size, a space, the network, the statistics); the reason
  /// names the field and the allowed values.
  case invalidField(field: String, reason: String)
  /// The file's configuration or spaces do not make a model (the algorithm's own error).
  case invalidModel(reason: String)

  public var description: String {
    switch self {
    case .cannotRead(let path, let reason): return "cannot read model file \(path): \(reason)"
    case .cannotWrite(let path, let reason): return "cannot write model file \(path): \(reason)"
    case .notAModelFile(let path): return "\(path) is not an ActorCriticBench model file (magic bytes differ)"
    case .unsupportedVersion(let found, let supported):
      return "model file format version \(found) is not supported (this build reads versions 1 to \(supported))"
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
    case .invalidField(let field, let reason): return "model file field \(field) is invalid: \(reason)"
    case .invalidModel(let reason): return "model file does not describe a valid model: \(reason)"
    }
  }
}

extension ActorCriticModel {
  /// Saves the model to `url` atomically (temporary file, then rename), in format version 3.
  public func save(to url: URL) throws {
    let file = try archiveData()
    do { try file.write(to: url, options: .atomic) } catch {
      throw ModelFileError.cannotWrite(path: url.path, reason: "\(error.localizedDescription)")
    }
  }

  /// The bytes ``save(to:)`` writes (format version 3, see ``ModelArchive``), for a caller that
  /// commits them with other files (a `bench run` folder's `model.acbm`).
  public func archiveData() throws -> Data {
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
      payloadChecksum: nil)
    let headerBytes = Array(try ModelArchive.encoder.encode(header))
    var file = ModelArchive.magic
    file += withUnsafeBytes(of: ModelArchive.formatVersion.littleEndian) { Array($0) }
    file += withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { Array($0) }
    file += headerBytes
    file += payloadBytes
    file += withUnsafeBytes(of: ModelArchive.fnv1a64(file).littleEndian) { Array($0) }
    return Data(file)
  }

  /// Loads a model saved by ``save(to:)`` (format version 3, or versions 1–2), optionally attaching
  /// an environment (whose normalisation statistics are then replaced by the saved ones) and
  /// replacing saved hyperparameters (SB2 `load(load_path, env, custom_objects, **kwargs)`).
  ///
  /// ```swift
  /// let model = try A2C.load(from: url, environment: env, customObjects: ["learning_rate": .number(1e-4), "verbose": .number(1)])
  /// ```
  /// - Parameter customObjects: hyperparameters by their SB2 names (the keys of the file's
  ///   `configuration`), each with a value of the saved one's JSON type; the model is built with
  ///   them and validated as a new model would be.
  /// - Throws: ``ModelFileError`` for a missing, foreign, truncated, corrupt, out-of-range or
  ///   mismatched file (see ``ModelArchive`` for what is checked); ``ConfigurationError`` for an
  ///   unknown key in `customObjects` (naming the allowed keys) or a value the hyperparameter does
  ///   not allow; errors of attaching `environment` as ``setEnvironment(_:)`` throws them.
  public static func load(
    from url: URL, environment: (any VectorizedEnvironment)? = nil, customObjects: [String: JSONValue] = [:]
  ) throws -> Self {
    let bytes: [UInt8]
    do { bytes = Array(try Data(contentsOf: url)) } catch {
      throw ModelFileError.cannotRead(path: url.path, reason: error.localizedDescription)
    }
    let file = try ModelArchive.read(bytes, path: url.path, algorithm: algorithmName)
    let header = file.header
    let model: Self
    let configuration = try ModelArchive.overriding(header.configuration.data, with: customObjects)
    do {
      model = try make(
        configurationJSON: configuration, observationSpace: header.observationSpace,
        actionSpace: header.actionSpace, seed: header.seed)
    } catch let error as ConfigurationError where !customObjects.isEmpty {
      throw error
    } catch ModelFileError.corruptHeader(let reason) where !customObjects.isEmpty {
      throw ConfigurationError.invalidValue(
        field: "custom_objects", value: customObjects.keys.sorted().joined(separator: ", "),
        allowed: "values the hyperparameters accept (\(reason))")
    } catch let error as ModelFileError { throw error } catch { throw ModelFileError.invalidModel(reason: "\(error)") }
    try model.loadParameters(header.parameters.map { NamedParameter(name: $0.name, shape: $0.shape, values: file.tensor($0)) })
    var blobs: [String: Data] = [:]
    for entry in header.optimizerState { blobs[entry.name] = file.blob(entry) }
    do {
      try model.restoreOptimizerState(blobs, encoding: .init(formatVersion: header.formatVersion))
    } catch let error as ModelFileError { throw error } catch {
      throw ModelFileError.invalidModel(reason: "optimiser state: \(error)")
    }
    model.state.timesteps = header.timesteps
    if let environment {
      try model.setEnvironment(environment)
      if let statistics = header.normalization { try environment.setNormalizationStatistics(statistics) }
    }
    return model
  }
}

extension ModelArchive {
  /// The saved configuration JSON with `overrides` applied (``ActorCriticModel/load(from:environment:customObjects:)``).
  ///
  /// - Throws: ``ConfigurationError/invalidValue(field:value:allowed:)`` for a key the
  ///   configuration does not have or a value of another JSON type than the saved one.
  static func overriding(_ configuration: Data, with overrides: [String: JSONValue]) throws -> Data {
    guard !overrides.isEmpty else { return configuration }
    guard case .object(var fields) = try decoder.decode(JSONValue.self, from: configuration) else {
      throw ModelFileError.corruptHeader(reason: "configuration is not a JSON object")
    }
    for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
      guard let saved = fields[key] else {
        throw ConfigurationError.invalidValue(
          field: "custom_objects", value: key, allowed: "the saved hyperparameters: \(fields.keys.sorted().joined(separator: ", "))")
      }
      guard value.kind == saved.kind else {
        throw ConfigurationError.invalidValue(field: key, value: "\(value)", allowed: "a \(saved.kind), like the saved \(saved)")
      }
      fields[key] = value
    }
    return try encoder.encode(JSONValue.object(fields))
  }

  /// A model file whose framing, checksum and header have been checked; tensors and blobs lie
  /// inside the payload.
  struct CheckedFile {
    var header: Header
    var bytes: [UInt8]
    var payloadStart: Int

    func tensor(_ entry: TensorEntry) -> [Float] {
      (0..<entry.count).map { i in
        let o = payloadStart + entry.offset + i * 4
        let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        return Float(bitPattern: bits)
      }
    }

    func blob(_ entry: BlobEntry) -> Data {
      Data(bytes[(payloadStart + entry.offset)..<(payloadStart + entry.offset + entry.bytes)])
    }
  }

  /// `a + b`, or `Int.max` when it overflows (for "expected n bytes" messages).
  private static func saturatingSum(_ values: Int...) -> Int {
    var total = 0
    for v in values {
      let (s, o) = total.addingReportingOverflow(v)
      if o { return Int.max }
      total = s
    }
    return total
  }

  /// Checks the framing, the checksum and every size, space and statistic of a model file, and
  /// that it holds an `algorithm` model (any algorithm when nil).
  static func read(_ bytes: [UInt8], path: String, algorithm: String?) throws(ModelFileError) -> CheckedFile {
    guard bytes.count >= 20, Array(bytes[0..<8]) == magic else { throw .notAModelFile(path: path) }
    let version = bytes[8..<12].withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    guard readableVersions.contains(version) else {
      throw .unsupportedVersion(found: version, supported: formatVersion)
    }
    let trailer = version >= 2 ? 8 : 0
    guard bytes.count >= 20 + trailer else { throw .truncated(expectedBytes: 20 + trailer, actualBytes: bytes.count) }
    let headerLength = bytes[12..<20].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    guard headerLength <= UInt64(bytes.count - 20 - trailer) else {
      throw .truncated(expectedBytes: saturatingSum(20, trailer, Int(clamping: headerLength)), actualBytes: bytes.count)
    }
    let headerEnd = 20 + Int(headerLength)
    let payloadCount = bytes.count - headerEnd - trailer
    if version >= 2 {
      let stored = bytes[(bytes.count - 8)...].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
      let actual = fnv1a64(bytes[0..<(bytes.count - 8)])
      guard stored == actual else {
        // A file cut short fails the checksum too; say "truncated" when the header says so.
        if let header = try? decoder.decode(Header.self, from: Data(bytes[20..<headerEnd])),
          header.payloadBytes > payloadCount
        {
          throw .truncated(expectedBytes: saturatingSum(headerEnd, header.payloadBytes, trailer), actualBytes: bytes.count)
        }
        throw .checksumMismatch(expected: String(stored, radix: 16), actual: String(actual, radix: 16))
      }
    }
    let header: Header
    do { header = try decoder.decode(Header.self, from: Data(bytes[20..<headerEnd])) } catch {
      throw .corruptHeader(reason: "\(error)")
    }
    guard header.formatVersion == version else {
      throw .invalidField(field: "formatVersion", reason: "the header says \(header.formatVersion), the file is version \(version)")
    }
    if let algorithm, header.algorithm != algorithm { throw .algorithmMismatch(file: header.algorithm, expected: algorithm) }
    guard header.payloadBytes >= 0 else {
      throw .invalidField(field: "payloadBytes", reason: "must be ≥ 0, got \(header.payloadBytes)")
    }
    guard header.payloadBytes == payloadCount else {
      throw .truncated(expectedBytes: saturatingSum(headerEnd, header.payloadBytes, trailer), actualBytes: bytes.count)
    }
    if version == 1 {
      let actual = checksum(bytes[headerEnd...])
      guard let expected = header.payloadChecksum else {
        throw .invalidField(field: "payloadChecksum", reason: "a version 1 file needs the payload checksum")
      }
      guard actual == expected else { throw .checksumMismatch(expected: expected, actual: actual) }
    }
    try validate(header, payloadCount: payloadCount)
    return CheckedFile(header: header, bytes: bytes, payloadStart: headerEnd)
  }

  /// The largest step count a file may hold, 2⁵³ (exact as a `Double`, far from overflowing when
  /// training continues).
  static let maximumTimesteps = 1 << 53

  /// Checks every size against the payload, both spaces, the step count and the statistics.
  static func validate(_ header: Header, payloadCount: Int) throws(ModelFileError) {
    for entry in header.parameters {
      let field = "parameters[\(entry.name)]"
      guard entry.count >= 0, entry.count <= payloadCount / 4 else {
        throw .invalidField(field: "\(field).count", reason: "must be in 0...\(payloadCount / 4) (the payload), got \(entry.count)")
      }
      guard entry.offset >= 0, entry.offset <= payloadCount - entry.count * 4 else {
        throw .invalidField(field: "\(field).offset", reason: "the tensor must lie inside the \(payloadCount)-byte payload, got offset \(entry.offset)")
      }
      var product = 1
      for d in entry.shape {
        let (p, overflow) = product.multipliedReportingOverflow(by: d)
        guard d >= 0, !overflow else {
          throw .invalidField(field: "\(field).shape", reason: "must have non-negative dimensions with product \(entry.count), got \(entry.shape.prefix(8))")
        }
        product = p
      }
      guard product == entry.count else {
        throw .invalidField(field: "\(field).shape", reason: "must have \(entry.count) entries, got \(entry.shape.prefix(8))")
      }
    }
    for entry in header.optimizerState {
      guard entry.bytes >= 0, entry.bytes <= payloadCount, entry.offset >= 0, entry.offset <= payloadCount - entry.bytes else {
        throw .invalidField(
          field: "optimizerState[\(entry.name)]",
          reason: "must lie inside the \(payloadCount)-byte payload, got offset \(entry.offset), \(entry.bytes) bytes")
      }
    }
    // Tensors are 4-byte aligned and no two entries share a byte (a shifted offset would read
    // another tensor's bytes as this one's).
    var ranges = header.parameters.map { (name: "parameters[\($0.name)]", start: $0.offset, end: $0.offset + $0.count * 4) }
    ranges += header.optimizerState.map { (name: "optimizerState[\($0.name)]", start: $0.offset, end: $0.offset + $0.bytes) }
    if let misaligned = header.parameters.first(where: { $0.offset % 4 != 0 }) {
      throw .invalidField(field: "parameters[\(misaligned.name)].offset", reason: "must be a multiple of 4, got \(misaligned.offset)")
    }
    ranges.sort { ($0.start, $0.end) < ($1.start, $1.end) }
    for (a, b) in zip(ranges, ranges.dropFirst()) where b.start < a.end {
      throw .invalidField(field: b.name, reason: "overlaps \(a.name) in the payload")
    }
    for (field, space) in [("observationSpace", header.observationSpace), ("actionSpace", header.actionSpace)] {
      do { try space.validate() } catch { throw .invalidField(field: field, reason: "\(error)") }
    }
    guard header.timesteps >= 0, header.timesteps <= maximumTimesteps else {
      throw .invalidField(field: "timesteps", reason: "must be in 0...\(maximumTimesteps), got \(header.timesteps)")
    }
    if let statistics = header.normalization {
      for (name, moments) in [("observation", statistics.observation), ("discountedReturn", statistics.discountedReturn)] {
        let field = "normalization.\(name)"
        guard !moments.mean.isEmpty, moments.mean.count == moments.variance.count else {
          throw .invalidField(
            field: field, reason: "mean and variance must have the same positive length, got \(moments.mean.count) and \(moments.variance.count)")
        }
        if let i = moments.mean.firstIndex(where: { !$0.isFinite }) {
          throw .invalidField(field: "\(field).mean[\(i)]", reason: "must be finite, got \(moments.mean[i])")
        }
        if let i = moments.variance.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
          throw .invalidField(field: "\(field).variance[\(i)]", reason: "must be finite and ≥ 0, got \(moments.variance[i])")
        }
        guard moments.count.isFinite, moments.count > 0 else {
          throw .invalidField(field: "\(field).count", reason: "must be finite and > 0, got \(moments.count)")
        }
      }
    }
  }
}

import ActorCritic
import Environments
import Foundation
import Testing

/// Editing model files as an attacker would: the header text changed and the file re-framed with
/// a valid checksum (version 2 or later), so the loader's own checks (not the checksum) must refuse it.
enum ModelFileSurgery {
  static func fnv1a64<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01b3
    }
    return h
  }

  static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
  }

  static func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }

  /// Splits a version 2 or later file into header text and payload.
  static func split(_ data: Data) -> (header: String, payload: [UInt8]) {
    let bytes = Array(data)
    let h = Int(uint64(bytes, at: 12))
    return (String(decoding: bytes[20..<(20 + h)], as: UTF8.self), Array(bytes[(20 + h)..<(bytes.count - 8)]))
  }

  /// The format version a file says it has.
  static func version(_ data: Data) -> UInt32 {
    let bytes = Array(data)
    return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[8 + $1]) << (8 * UInt32($1)) }
  }

  /// A file of `version` (2 or later) with a valid checksum.
  static func frame(header: String, payload: [UInt8], version: UInt32 = ModelArchive.formatVersion) -> Data {
    let text = Array(header.utf8)
    var bytes = Array("ACBMODEL".utf8)
    bytes += (0..<4).map { UInt8(truncatingIfNeeded: version >> (8 * UInt32($0))) }
    bytes += le64(UInt64(text.count)) + text + payload
    return Data(bytes + le64(fnv1a64(bytes)))
  }

  /// The range of the JSON value of the first `"key" : value` at or after `from`.
  static func valueRange(of key: String, in text: String, from: String.Index? = nil) -> Range<String.Index> {
    let marker = "\"\(key)\" : "
    let start = text.range(of: marker, range: (from ?? text.startIndex)..<text.endIndex)!.upperBound
    var depth = 0
    var i = start
    var inString = false
    while i < text.endIndex {
      let c = text[i]
      if inString {
        if c == "\"" { inString = false }
      } else if c == "\"" {
        inString = true
      } else if c == "{" || c == "[" {
        depth += 1
      } else if c == "}" || c == "]" {
        if depth == 0 { break }
        depth -= 1
        if depth == 0 { i = text.index(after: i); break }
      } else if (c == "," || c == "\n") && depth == 0 {
        break
      }
      i = text.index(after: i)
    }
    return start..<i
  }

  /// The file with the first value of `key` (after `after`, when given) replaced by `json`.
  static func setting(_ key: String, to json: String, after: String? = nil, in data: Data) -> Data {
    var (header, payload) = split(data)
    let from = after.map { header.range(of: "\"\($0)\"")!.upperBound }
    header.replaceSubrange(valueRange(of: key, in: header, from: from), with: json)
    return frame(header: header, payload: payload, version: version(data))
  }
}

@Suite struct ModelFileHardeningTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ModelFiles")

  func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("acb-hardening-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
  }

  func fresh(_ algorithm: String) throws -> Data {
    let url = temporaryURL("fresh-\(algorithm)-\(UUID().uuidString).acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    switch algorithm {
    case "a2c": try ModelFileFixtures.a2c().save(to: url)
    case "acktr": try ModelFileFixtures.acktr().save(to: url)
    default: try ModelFileFixtures.acer().save(to: url)
    }
    return try Data(contentsOf: url)
  }

  /// Loads `data` with `algorithm`'s loader; the typed error, or `nil` when it loaded.
  func loadError(_ data: Data, as algorithm: String = "a2c") throws -> ModelFileError? {
    let url = temporaryURL("probe-\(UUID().uuidString).acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    try data.write(to: url)
    do {
      switch algorithm {
      case "a2c": _ = try A2C.load(from: url)
      case "acktr": _ = try ACKTR.load(from: url)
      default: _ = try ACER.load(from: url)
      }
      return nil
    } catch let error as ModelFileError { return error }
  }

  @Test func freshFilesAreVersionThreeAndRoundTrip() throws {
    for algorithm in ["a2c", "acktr", "acer"] {
      let data = try fresh(algorithm)
      #expect(Array(data[8..<12]) == [3, 0, 0, 0])
      #expect(try loadError(data, as: algorithm) == nil)
    }
  }

  /// Version 3 stores the optimiser state as raw little-endian numbers: the ACKTR blob is exactly
  /// the K-FAC snapshot's numbers (statistics and eigenvectors n², eigenvalues n, in float64;
  /// momentum in float32) plus the small framing of names, counts and lengths.
  @Test func optimizerStateIsStoredAsRawNumbers() throws {
    let model = try ModelFileFixtures.acktr()
    let snapshot = model.optimizer.snapshot()
    let blob = try #require(try model.optimizerState()["kfac"])
    let doubles = snapshot.factors.reduce(0) { total, f in
      total + 2 * f.dimension * f.dimension + f.dimension
        + (f.pendingEigenvalues != nil ? f.dimension * f.dimension + f.dimension : 0)
    }
    let floats = (snapshot.coldMomentum + snapshot.kfacMomentum).reduce(0) { $0 + $1.count }
    let numbers = 8 * doubles + 4 * floats
    #expect(blob.count >= numbers)
    // Framing: 4 step counters, the factor count, per factor its name (length + UTF-8), dimension,
    // three array lengths and a flag, two slot lists of counts and lengths: well under 1 KB here.
    #expect(blob.count - numbers < 1_024, "\(blob.count) bytes for \(numbers) bytes of numbers")
  }

  /// Version 2 files (optimiser state as JSON; `Fixtures/ModelFiles/v2/`) still load, with the
  /// same optimiser state a version 3 re-save then round-trips.
  @Test func versionTwoFilesLoadTheirJSONOptimizerState() throws {
    let folder = Self.fixtures.appendingPathComponent("v2")
    for algorithm in ["a2c", "acktr", "acer"] {
      #expect(Array(try Data(contentsOf: folder.appendingPathComponent("\(algorithm).acbm"))[8..<12]) == [2, 0, 0, 0])
    }
    let a2c = try A2C.load(from: folder.appendingPathComponent("a2c.acbm"))
    let acktr = try ACKTR.load(from: folder.appendingPathComponent("acktr.acbm"))
    let acer = try ACER.load(from: folder.appendingPathComponent("acer.acbm"))
    #expect(a2c.timesteps == 40 && acktr.timesteps == 40 && acer.timesteps == 60)
    #expect(acktr.optimizer.snapshot().factors.contains { $0.statistics.contains { $0 != 0 } })
    let models: [any ActorCriticModel] = [a2c, acktr, acer]
    for model in models {
      // The JSON state is really restored: an untrained model's differs.
      let untrained = try type(of: model).make(
        configurationJSON: try model.configurationJSON, observationSpace: model.policy.observationSpace,
        actionSpace: model.policy.actionSpace, seed: model.seed)
      #expect(try untrained.optimizerState() != model.optimizerState())
      let url = temporaryURL("v2-resaved-\(UUID().uuidString).acbm")
      defer { try? FileManager.default.removeItem(at: url) }
      try model.save(to: url)
      #expect(ModelFileSurgery.version(try Data(contentsOf: url)) == 3)
      let again: any ActorCriticModel =
        switch model {
        case is A2C: try A2C.load(from: url)
        case is ACKTR: try ACKTR.load(from: url)
        default: try ACER.load(from: url)
        }
      #expect(again.parameters() == model.parameters())
      #expect(try again.optimizerState() == model.optimizerState())
    }
  }

  /// Version 1 files written by the code before this change (`Fixtures/ModelFiles/v1/`) still load:
  /// their checksum covers the payload only. Re-saving writes version 3 with the same parameters.
  @Test func versionOneFilesLoadWithThePayloadChecksum() throws {
    let folder = Self.fixtures.appendingPathComponent("v1")
    let a2c = try A2C.load(from: folder.appendingPathComponent("a2c.acbm"))
    let acktr = try ACKTR.load(from: folder.appendingPathComponent("acktr.acbm"))
    let acer = try ACER.load(from: folder.appendingPathComponent("acer.acbm"))
    #expect(a2c.timesteps == 40 && acktr.timesteps == 40 && acer.timesteps == 60)
    #expect(a2c.configuration.networkArchitecture == ModelFileFixtures.tinyArchitecture)
    let url = temporaryURL("resaved-\(UUID().uuidString).acbm")
    defer { try? FileManager.default.removeItem(at: url) }
    try acktr.save(to: url)
    let again = try ACKTR.load(from: url)
    #expect(again.parameters() == acktr.parameters())
    #expect(try again.optimizerState() == acktr.optimizerState())

    var flipped = try Data(contentsOf: folder.appendingPathComponent("a2c.acbm"))
    flipped[flipped.count - 5] ^= 0x01
    guard case .checksumMismatch = try loadError(flipped) else { Issue.record("v1 payload flip not refused"); return }
  }

  /// One flipped bit in the header (ACKTR `vf_coef` 0.25 → 0.24) is refused by the whole-file checksum.
  @Test func aFlippedHeaderBitIsRefused() throws {
    let data = try fresh("acktr")
    let text = "\"vf_coef\" : 0.25"
    let range = try #require(data.range(of: Data(text.utf8)))
    var edited = data
    edited.replaceSubrange(range, with: Data("\"vf_coef\" : 0.24".utf8))
    guard case .checksumMismatch = try loadError(edited, as: "acktr") else { Issue.record("header flip loaded"); return }
  }

  @Test func hugeLengthsAndCountsAreTypedErrors() throws {
    let data = try fresh("a2c")
    // payloadBytes 2⁶³ − 1 (crashed slicing the payload).
    guard case .truncated = try loadError(ModelFileSurgery.setting("payloadBytes", to: "\(Int.max)", in: data)) else {
      Issue.record("payloadBytes 2^63-1"); return
    }
    // Header length ≥ 2⁶³ (crashed building the "truncated" error).
    for length in [UInt64(1) << 63, UInt64.max, UInt64(Int.max)] {
      var bytes = Array(data)
      bytes.replaceSubrange(12..<20, with: ModelFileSurgery.le64(length))
      guard case .truncated = try loadError(Data(bytes)) else { Issue.record("header length \(length)"); return }
    }
    // Tensor count ≥ 2⁶¹ (count × 4 overflowed).
    for count in [1 << 61, 1 << 62, Int.max, -1] {
      let edited = ModelFileSurgery.setting("count", to: "\(count)", after: "parameters", in: data)
      guard case .invalidField(let field, _) = try loadError(edited) else { Issue.record("tensor count \(count)"); return }
      #expect(field.hasSuffix(".count"))
    }
    let offset = ModelFileSurgery.setting("offset", to: "\(Int.max)", after: "parameters", in: data)
    guard case .invalidField = try loadError(offset) else { Issue.record("tensor offset"); return }
  }

  @Test(arguments: [
    "{\"type\": \"discrete\", \"n\": 0}", "{\"type\": \"box\", \"low\": [], \"high\": []}",
    "{\"type\": \"multiDiscrete\", \"nvec\": []}", "{\"type\": \"multiBinary\", \"n\": -3}",
    "{\"type\": \"discrete\", \"n\": 1099511627776}", "{\"type\": \"multiBinary\", \"n\": 1099511627776}",
    "{\"type\": \"multiDiscrete\", \"nvec\": [1099511627776]}",
    "{\"type\": \"multiDiscrete\", \"nvec\": [4611686018427387904, 4611686018427387904]}",
    "{\"type\": \"box\", \"low\": 0, \"high\": 1, \"shape\": [1048576, 1048576]}",
  ])
  func invalidSpacesAreTypedErrors(space: String) throws {
    let data = try fresh("a2c")
    for key in ["observationSpace", "actionSpace"] {
      let error = try loadError(ModelFileSurgery.setting(key, to: space, in: data))
      switch error {
      case .invalidField(let field, _): #expect(field == key)
      case .corruptHeader: break  // refused while decoding (a Box shape over the limit)
      default: Issue.record("\(key) \(space): \(String(describing: error))")
      }
    }
  }

  /// A 2³¹-wide or 5,000-layer `net_arch` is refused, quickly, before anything is allocated.
  @Test(arguments: [
    "{\"activation\": \"tanh\", \"shared\": [], \"policy\": [2147483648], \"value\": [4]}",
    "{\"activation\": \"tanh\", \"shared\": [65536, 65536], \"policy\": [], \"value\": []}",
    "{\"activation\": \"tanh\", \"shared\": [], \"policy\": [\(Array(repeating: "4", count: 5000).joined(separator: ","))], \"value\": [4]}",
  ])
  func hugeNetworksAreRefusedBeforeAllocation(architecture: String) throws {
    for algorithm in ["a2c", "acktr", "acer"] {
      let data = ModelFileSurgery.setting("net_arch", to: architecture, in: try fresh(algorithm))
      let start = threadCPUSeconds()
      guard case .invalidModel(let reason) = try loadError(data, as: algorithm) else {
        Issue.record("\(algorithm) loaded a huge network"); return
      }
      // Refusing takes milliseconds of CPU; building the 65,536²-weight layer (17 GB, orthogonal
      // initialisation) would take hours.
      #expect(threadCPUSeconds() - start < 1)
      #expect(reason.contains("maximumParameterCount") || reason.contains("maximumLayerCount"), "\(reason)")
    }
  }

  @Test(arguments: [
    ("mean", "[\"nan\", 0, 0, 0]"), ("mean", "[\"inf\", 0, 0, 0]"), ("variance", "[-1, 1, 1, 1]"),
    ("variance", "[\"nan\", 1, 1, 1]"), ("count", "-5"), ("count", "\"nan\""), ("mean", "[0, 0, 0]"),
  ])
  func nonFiniteOrNegativeStatisticsAreRefused(field: String, value: String) throws {
    let data = try fresh("a2c")
    let edited = ModelFileSurgery.setting(field, to: value, after: "observation", in: data)
    guard case .invalidField(let name, _) = try loadError(edited) else { Issue.record("\(field) \(value) loaded"); return }
    #expect(name.hasPrefix("normalization.observation"))
  }

  /// The same bounds hold for models built directly: invalid spaces and oversized networks are
  /// ``ConfigurationError``s, thrown before anything is allocated.
  @Test func directConstructionValidatesSpacesAndNetworkSize() throws {
    for space in [Space.discrete(n: 0), .multiBinary(n: -3), .multiDiscrete(nvec: []), .box(low: [], high: [])] {
      #expect(throws: ConfigurationError.self) {
        try A2C(environment: nil, observationSpace: space, actionSpace: .discrete(n: 2))
      }
      #expect(throws: ConfigurationError.self) {
        try A2C(environment: nil, observationSpace: .discrete(n: 2), actionSpace: space)
      }
    }
    var c = A2CConfiguration()
    c.networkArchitecture = NetworkArchitecture(policy: [1 << 27, 1 << 27], value: [4])
    let start = threadCPUSeconds()
    #expect(throws: ConfigurationError.self) {
      try A2C(environment: nil, observationSpace: .discrete(n: 2), actionSpace: .discrete(n: 2), configuration: c)
    }
    c.networkArchitecture = NetworkArchitecture(policy: Array(repeating: 4, count: 65), value: [4])
    #expect(throws: ConfigurationError.self) {
      try A2C(environment: nil, observationSpace: .discrete(n: 2), actionSpace: .discrete(n: 2), configuration: c)
    }
    #expect(threadCPUSeconds() - start < 1)
  }
}

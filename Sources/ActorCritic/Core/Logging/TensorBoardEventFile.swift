import Foundation

/// A TensorBoard event file written natively (no TensorFlow): `events.out.tfevents.<unix
/// seconds>.<hostname>` in a run folder, a ``TensorBoardEvent/fileVersion(wallTime:)`` record
/// first, then one record per step of scalars, each framed as a ``TFRecord``. Files open in
/// TensorBoard, `EventAccumulator` and tbparse. Records are buffered; ``flush()`` (or the
/// writer's end) writes them.
public final class TensorBoardEventWriter {
  /// The event file.
  public let url: URL
  private let handle: FileHandle
  private var pending: [UInt8] = []

  /// Creates `directory` if needed and starts a new event file in it. When a file of that name
  /// exists already (two writers in the same second), `.1`, `.2`, … is appended: TensorBoard
  /// reads every file whose name contains `tfevents`.
  ///
  /// - Parameters:
  ///   - wallTime: seconds since 1970 of the first record (and in the file name).
  ///   - hostname: the last part of the file name, as TensorFlow writes it.
  public init(
    directory: URL, wallTime: Double = Date().timeIntervalSince1970,
    hostname: String = ProcessInfo.processInfo.hostName
  ) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let name = "events.out.tfevents.\(Int(wallTime)).\(hostname)"
    var url = directory.appendingPathComponent(name)
    var suffix = 0
    while FileManager.default.fileExists(atPath: url.path) {
      suffix += 1
      url = directory.appendingPathComponent("\(name).\(suffix)")
    }
    self.url = url
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
    handle = try FileHandle(forWritingTo: url)
    try write(.fileVersion(wallTime: wallTime))
  }

  deinit {
    try? flush()
    try? handle.close()
  }

  /// Appends scalars logged at `step`.
  public func add(
    scalars: [(tag: String, value: Float)], step: Int64, wallTime: Double = Date().timeIntervalSince1970
  ) throws {
    try write(.scalars(wallTime: wallTime, step: step, values: scalars))
  }

  /// Appends one event as a framed record (buffered: written once 64 KiB are pending, or by
  /// ``flush()``).
  public func write(_ event: TensorBoardEvent) throws {
    pending += TFRecord.frame(event.encoded)
    if pending.count >= 1 << 16 { try flush() }
  }

  /// Writes the pending records to the file.
  public func flush() throws {
    guard !pending.isEmpty else { return }
    try handle.write(contentsOf: pending)
    pending.removeAll(keepingCapacity: true)
  }
}

/// Reads the scalars of an event file back, trusting only records whose CRCs are right.
public enum TensorBoardEventReader {
  /// One logged scalar.
  public struct Scalar: Equatable, Sendable {
    public var tag: String
    public var step: Int64
    public var wallTime: Double
    public var value: Float
  }

  /// The scalars of every sound record, and a warning for each record skipped (bad CRC, truncated,
  /// or not a decodable `Event`).
  public static func scalars(in bytes: [UInt8]) -> (scalars: [Scalar], warnings: [String]) {
    let scan = TFRecord.records(in: bytes)
    var warnings = scan.warnings
    var scalars: [Scalar] = []
    for (index, payload) in scan.payloads.enumerated() {
      guard let event = decodeEvent(payload) else {
        warnings.append("record \(index): not a decodable Event, skipped")
        continue
      }
      scalars += event
    }
    return (scalars, warnings)
  }

  /// The scalars of one `Event` payload (none for the file-version record), or `nil` when the
  /// protobuf is malformed.
  static func decodeEvent(_ bytes: [UInt8]) -> [Scalar]? {
    var reader = ProtobufReader(bytes: bytes[...])
    var wallTime = 0.0, step: Int64 = 0
    var values: [(String, Float)] = []
    while !reader.isAtEnd {
      guard let (field, wire) = reader.key() else { return nil }
      switch (field, wire) {
      case (1, 1):
        guard let bits = reader.fixed64() else { return nil }
        wallTime = Double(bitPattern: bits)
      case (2, 0):
        guard let v = reader.varint() else { return nil }
        step = Int64(bitPattern: v)
      case (5, 2):
        guard let summary = reader.lengthDelimited(), let decoded = decodeSummary(summary) else { return nil }
        values += decoded
      default:
        guard reader.skip(wire: wire) else { return nil }
      }
    }
    return values.map { Scalar(tag: $0.0, step: step, wallTime: wallTime, value: $0.1) }
  }

  private static func decodeSummary(_ bytes: ArraySlice<UInt8>) -> [(String, Float)]? {
    var reader = ProtobufReader(bytes: bytes)
    var values: [(String, Float)] = []
    while !reader.isAtEnd {
      guard let (field, wire) = reader.key() else { return nil }
      if field == 1 && wire == 2 {
        guard let value = reader.lengthDelimited() else { return nil }
        var inner = ProtobufReader(bytes: value)
        var tag: String? = nil, simple: Float? = nil
        while !inner.isAtEnd {
          guard let (f, w) = inner.key() else { return nil }
          if f == 1 && w == 2 {
            guard let text = inner.lengthDelimited() else { return nil }
            tag = String(decoding: text, as: UTF8.self)
          } else if f == 2 && w == 5 {
            guard let bits = inner.fixed32() else { return nil }
            simple = Float(bitPattern: bits)
          } else if !inner.skip(wire: w) {
            return nil
          }
        }
        if let tag, let simple { values.append((tag, simple)) }
      } else if !reader.skip(wire: wire) {
        return nil
      }
    }
    return values
  }
}

/// A bounds-checked protobuf wire-format reader (varint, fixed32, fixed64, length-delimited).
struct ProtobufReader {
  var bytes: ArraySlice<UInt8>

  var isAtEnd: Bool { bytes.isEmpty }

  mutating func varint() -> UInt64? {
    var result: UInt64 = 0
    for shift in stride(from: 0, to: 64, by: 7) {
      guard let byte = bytes.popFirst() else { return nil }
      result |= UInt64(byte & 0x7F) << UInt64(shift)
      if byte < 0x80 { return result }
    }
    return nil
  }

  mutating func key() -> (field: UInt64, wire: UInt64)? {
    guard let key = varint() else { return nil }
    return (key >> 3, key & 7)
  }

  mutating func fixed64() -> UInt64? {
    guard bytes.count >= 8 else { return nil }
    let value = bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    bytes = bytes.dropFirst(8)
    return value
  }

  mutating func fixed32() -> UInt32? {
    guard bytes.count >= 4 else { return nil }
    let value = bytes.prefix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    bytes = bytes.dropFirst(4)
    return value
  }

  mutating func lengthDelimited() -> ArraySlice<UInt8>? {
    guard let length = varint(), length <= UInt64(bytes.count) else { return nil }
    let value = bytes.prefix(Int(length))
    bytes = bytes.dropFirst(Int(length))
    return value
  }

  mutating func skip(wire: UInt64) -> Bool {
    switch wire {
    case 0: return varint() != nil
    case 1: return fixed64() != nil
    case 2: return lengthDelimited() != nil
    case 5: return fixed32() != nil
    default: return false
    }
  }
}

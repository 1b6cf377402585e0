/// The few fields of TensorFlow's `Event` and `Summary` protocol buffers that a scalar log needs,
/// encoded by hand (tensorflow/core/util/event.proto, summary.proto):
///
/// ```
/// Event   { double wall_time = 1;  int64 step = 2;  string file_version = 3;  Summary summary = 5; }
/// Summary { repeated Value value = 1; }
/// Value   { string tag = 1;  float simple_value = 2; }
/// ```
/// Wire types: `wall_time` fixed64 (tag byte 0x09), `step` varint (0x10), `file_version` and
/// `summary` length-delimited (0x1A, 0x2A), `tag` length-delimited (0x0A), `simple_value` fixed32
/// (0x15). A field at its default (step 0) is omitted, as protobuf does.
public enum TensorBoardEvent: Equatable, Sendable {
  /// The first record of every event file: `file_version = "brain.Event:2"`.
  case fileVersion(wallTime: Double)
  /// Scalars at one step, each a `(tag, simple_value)` pair.
  case scalars(wallTime: Double, step: Int64, values: [(tag: String, value: Float)])

  /// The protobuf encoding.
  public var encoded: [UInt8] {
    var out: [UInt8] = []
    switch self {
    case .fileVersion(let wallTime):
      Self.appendFixed64(wallTime.bitPattern, field: 1, to: &out)
      Self.appendBytes(Array("brain.Event:2".utf8), field: 3, to: &out)
    case .scalars(let wallTime, let step, let values):
      Self.appendFixed64(wallTime.bitPattern, field: 1, to: &out)
      if step != 0 {
        out.append(0x10)
        Self.appendVarint(UInt64(bitPattern: step), to: &out)
      }
      var summary: [UInt8] = []
      for (tag, value) in values {
        var entry: [UInt8] = []
        Self.appendBytes(Array(tag.utf8), field: 1, to: &entry)
        entry.append(0x15)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { entry.append(contentsOf: $0) }
        Self.appendBytes(entry, field: 1, to: &summary)
      }
      Self.appendBytes(summary, field: 5, to: &out)
    }
    return out
  }

  public static func == (a: TensorBoardEvent, b: TensorBoardEvent) -> Bool { a.encoded == b.encoded }

  static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      out.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    out.append(UInt8(v))
  }

  static func appendFixed64(_ value: UInt64, field: Int, to out: inout [UInt8]) {
    out.append(UInt8(field << 3 | 1))
    withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
  }

  static func appendBytes(_ bytes: [UInt8], field: Int, to out: inout [UInt8]) {
    out.append(UInt8(field << 3 | 2))
    appendVarint(UInt64(bytes.count), to: &out)
    out.append(contentsOf: bytes)
  }
}

import Environments

/// A ``Space`` in the bridge protocol's binary form (``BridgeProtocol``, "Spaces"):
/// ```
/// Discrete        u8 1, i64 n
/// Box             u8 2, u8 dtype, u32 rank, i64 shape[rank], f64 low[Π shape], f64 high[Π shape]
/// MultiDiscrete   u8 3, u32 count, i64 nvec[count]
/// MultiBinary     u8 4, i64 n
/// ```
/// A decoded space is validated (``Space/validate()``) before anything is sized from it.
enum SpaceWireCoding {
  /// The wire code of an element type (1 uint8, 2 int8, 3 int64, 4 float32, 5 float64).
  static func code(of type: ElementType) -> UInt8 {
    switch type {
    case .uint8: return 1
    case .int8: return 2
    case .int64: return 3
    case .float32: return 4
    case .float64: return 5
    }
  }

  static func elementType(code: UInt8) -> ElementType? {
    switch code {
    case 1: return .uint8
    case 2: return .int8
    case 3: return .int64
    case 4: return .float32
    case 5: return .float64
    default: return nil
    }
  }

  /// Appends the binary form of `space`.
  static func encode(_ space: Space, into writer: inout WireWriter) {
    switch space {
    case .discrete(let n):
      writer.append(UInt8(1))
      writer.append(Int64(n))
    case .box(let low, let high, let shape, let dtype):
      writer.append(UInt8(2))
      writer.append(code(of: dtype))
      writer.append(UInt32(shape.count))
      for d in shape { writer.append(Int64(d)) }
      for x in low { writer.append(x) }
      for x in high { writer.append(x) }
    case .multiDiscrete(let nvec):
      writer.append(UInt8(3))
      writer.append(UInt32(nvec.count))
      for n in nvec { writer.append(Int64(n)) }
    case .multiBinary(let n):
      writer.append(UInt8(4))
      writer.append(Int64(n))
    }
  }

  /// Reads one space; a malformed or oversized one is a protocol violation naming the field.
  static func decode(from reader: inout WireReader) throws(EnvironmentError) -> Space {
    let environment = reader.environment
    func violation(_ message: String) -> EnvironmentError {
      .hosted(HostedEnvironmentFailure(kind: .protocolViolation, environment: environment, message: message))
    }
    func count(_ value: Int64, _ field: String) throws(EnvironmentError) -> Int {
      guard value >= 0, value <= Int64(Space.maximumComponentCount) else {
        throw violation("space field \(field) = \(value) is outside 0…\(Space.maximumComponentCount)")
      }
      return Int(value)
    }
    let space: Space
    switch try reader.read(UInt8.self) {
    case 1:
      space = .discrete(n: try count(try reader.read(Int64.self), "n"))
    case 2:
      let dtypeCode = try reader.read(UInt8.self)
      guard let dtype = elementType(code: dtypeCode) else { throw violation("unknown Box dtype code \(dtypeCode)") }
      let rank = try count(Int64(try reader.read(UInt32.self)), "rank")
      guard rank <= 32 else { throw violation("Box rank \(rank) is more than 32") }
      var shape: [Int] = []
      var total = 1
      for i in 0..<rank {
        let d = try count(try reader.read(Int64.self), "shape[\(i)]")
        shape.append(d)
        let (product, overflow) = total.multipliedReportingOverflow(by: d)
        guard !overflow, product <= Space.maximumComponentCount else { throw violation("Box shape \(shape) is too large") }
        total = product
      }
      let low = try reader.readDoubles(total)
      let high = try reader.readDoubles(total)
      space = .box(low: low, high: high, shape: shape, dtype: dtype)
    case 3:
      let n = try count(Int64(try reader.read(UInt32.self)), "nvec count")
      var nvec: [Int] = []
      for i in 0..<n { nvec.append(try count(try reader.read(Int64.self), "nvec[\(i)]")) }
      space = .multiDiscrete(nvec: nvec)
    case 4:
      space = .multiBinary(n: try count(try reader.read(Int64.self), "n"))
    case let kind:
      throw violation("unknown space kind \(kind)")
    }
    do { try space.validate() } catch { throw violation("the worker sent an invalid space: \(error)") }
    return space
  }
}

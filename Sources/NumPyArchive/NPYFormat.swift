/// The `.npy` file format (NumPy NEP 1, `numpy/lib/format.py`).
///
/// ```
/// offset  size  content
/// 0       6     magic "\x93NUMPY"
/// 6       1     major version (1, 2 or 3)
/// 7       1     minor version (0)
/// 8       2|4   header length H, little-endian (u16 in version 1, u32 in versions 2 and 3)
/// 10|12   H     header: a Python dict literal, latin-1 (UTF-8 in version 3), e.g.
///               {'descr': '<f4', 'fortran_order': False, 'shape': (100, 4), }
///               padded with spaces and ended by '\n' so the data starts on a 64-byte boundary
/// …       …     the elements, C order (Fortran order when fortran_order is True)
/// ```
/// The writer reproduces NumPy ≥ 1.24's `write_array` byte for byte: version 1.0 (2.0 when the
/// header outgrows a u16), keys sorted, `repr` of the shape tuple, then 21 − len(repr(shape[0]))
/// spaces of growth room (`GROWTH_AXIS_MAX_DIGITS`) before the alignment padding.
public enum NPYFormat {
  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
  /// NumPy's `ARRAY_ALIGN`.
  static let alignment = 64
  /// NumPy's `GROWTH_AXIS_MAX_DIGITS` (room to grow the first axis in place).
  static let growthAxisMaxDigits = 21

  // MARK: - Writing

  /// The `.npy` bytes of `array`, as `np.save` writes them.
  public static func encode(_ array: NumPyArray) -> [UInt8] {
    let shapeRepr: String
    switch array.shape.count {
    case 0: shapeRepr = "()"
    case 1: shapeRepr = "(\(array.shape[0]),)"
    default: shapeRepr = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
    }
    var header = "{'descr': '\(array.dtype.descr)', 'fortran_order': False, 'shape': \(shapeRepr), }"
    if let first = array.shape.first {
      header += String(repeating: " ", count: max(0, growthAxisMaxDigits - String(first).count))
    }
    var headerBytes = Array(header.utf8)
    // Version 1.0 while the padded header fits a u16, else 2.0 (NumPy's _wrap_header_guess_version).
    var version: UInt8 = 1
    var prefixLength = magic.count + 2 + 2
    var total = headerBytes.count + 1
    var padding = alignment - (prefixLength + total) % alignment
    if total + padding > Int(UInt16.max) {
      version = 2
      prefixLength = magic.count + 2 + 4
      padding = alignment - (prefixLength + total) % alignment
    }
    headerBytes += [UInt8](repeating: 0x20, count: padding) + [0x0A]
    total = headerBytes.count
    var out = magic + [version, 0]
    if version == 1 {
      withUnsafeBytes(of: UInt16(total).littleEndian) { out += $0 }
    } else {
      withUnsafeBytes(of: UInt32(total).littleEndian) { out += $0 }
    }
    out += headerBytes
    out += array.bytes
    return out
  }

  // MARK: - Reading

  /// Parses a `.npy` file.
  ///
  /// - Parameter name: the member name, for error messages.
  /// - Throws: ``NumPyArchiveError`` for a wrong magic, an unknown version, a malformed header, a
  ///   dtype other than the plain numeric ones (object and structured arrays are refused), or a
  ///   data size that does not match the shape. Big-endian data is converted to little-endian,
  ///   Fortran-order data to C order.
  public static func decode(_ bytes: [UInt8], name: String = "array") throws(NumPyArchiveError) -> NumPyArray {
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      throw .notNPY(member: name, reason: "the file does not start with the magic bytes \\x93NUMPY")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else { throw .notNPY(member: name, reason: "truncated header length") }
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
      headerStart = 12
    default:
      throw .notNPY(member: name, reason: "format version \(major).\(bytes[7]) is not supported (1.0, 2.0, 3.0)")
    }
    guard headerLength <= bytes.count - headerStart else {
      throw .notNPY(member: name, reason: "header of \(headerLength) bytes runs past the end of the \(bytes.count)-byte file")
    }
    let headerBytes = bytes[headerStart..<(headerStart + headerLength)]
    // Version 3 headers are UTF-8, earlier ones latin-1 (every byte one character).
    let text = major == 3 ? String(decoding: headerBytes, as: UTF8.self) : String(headerBytes.map { Character(Unicode.Scalar($0)) })
    let header = try HeaderParser.parse(text, member: name)
    let dataStart = headerStart + headerLength
    guard let count = NumPyArray.elementCount(header.shape) else {
      throw .invalidHeader(member: name, field: "shape", reason: "dimensions must be non-negative with a representable product, got \(header.shape.prefix(8))")
    }
    let (expected, overflow) = count.multipliedReportingOverflow(by: header.dtype.byteCount)
    guard !overflow, expected == bytes.count - dataStart else {
      throw .sizeMismatch(member: name, expectedBytes: overflow ? Int.max : expected, actualBytes: bytes.count - dataStart)
    }
    var data = Array(bytes[dataStart...])
    if header.bigEndian && header.dtype.byteCount > 1 {
      let width = header.dtype.byteCount
      for start in stride(from: 0, to: data.count, by: width) { data[start..<(start + width)].reverse() }
    }
    if header.fortranOrder && header.shape.count > 1 {
      data = cOrder(fromFortran: data, shape: header.shape, width: header.dtype.byteCount)
    }
    return try NumPyArray(dtype: header.dtype, shape: header.shape, bytes: data)
  }

  /// Reorders Fortran-order (first index fastest) element bytes into C order (last index fastest).
  static func cOrder(fromFortran data: [UInt8], shape: [Int], width: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: data.count)
    let count = data.count / max(width, 1)
    var index = [Int](repeating: 0, count: shape.count)  // C-order multi-index of element `c`
    for c in 0..<count {
      var f = 0, stride = 1
      for axis in 0..<shape.count {
        f += index[axis] * stride
        stride *= shape[axis]
      }
      for b in 0..<width { out[c * width + b] = data[f * width + b] }
      var axis = shape.count - 1
      while axis >= 0 {
        index[axis] += 1
        if index[axis] < shape[axis] { break }
        index[axis] = 0
        axis -= 1
      }
    }
    return out
  }

  /// What a `.npy` header says.
  struct Header {
    var dtype: NumPyArray.DType
    var bigEndian: Bool
    var fortranOrder: Bool
    var shape: [Int]
  }

  /// A parser for the one Python literal a `.npy` header is: a dict of `'descr'` (a string),
  /// `'fortran_order'` (`True`/`False`) and `'shape'` (a tuple of integers).
  struct HeaderParser {
    var scalars: [Character]
    var position = 0
    let member: String

    static func parse(_ text: String, member: String) throws(NumPyArchiveError) -> Header {
      var parser = HeaderParser(scalars: Array(text), member: member)
      var descr: String?, fortran: Bool?, shape: [Int]?
      try parser.expect("{")
      while true {
        parser.skipSpace()
        if parser.peek() == "}" { break }
        let key = try parser.string()
        try parser.expect(":")
        parser.skipSpace()
        switch key {
        case "descr":
          guard parser.peek() == "'" || parser.peek() == "\"" else {
            throw .unsupportedDType(member: member, descr: "a structured dtype", supported: supportedDescrs)
          }
          descr = try parser.string()
        case "fortran_order": fortran = try parser.boolean()
        case "shape": shape = try parser.tuple()
        default: throw .invalidHeader(member: member, field: key, reason: "unknown key (allowed: descr, fortran_order, shape)")
        }
        parser.skipSpace()
        if parser.peek() == "," {
          parser.position += 1
        } else if parser.peek() != "}" {
          throw .invalidHeader(member: member, field: "header", reason: "expected ',' or '}' at character \(parser.position)")
        }
      }
      guard let descr else { throw .invalidHeader(member: member, field: "descr", reason: "missing") }
      guard let fortran else { throw .invalidHeader(member: member, field: "fortran_order", reason: "missing") }
      guard let shape else { throw .invalidHeader(member: member, field: "shape", reason: "missing") }
      let chars = Array(descr)
      guard chars.count >= 3, "<>|=".contains(chars[0]), let size = Int(String(chars[2...])),
        let dtype = NumPyArray.DType(kind: chars[1], byteCount: size)
      else { throw .unsupportedDType(member: member, descr: descr, supported: supportedDescrs) }
      return Header(dtype: dtype, bigEndian: chars[0] == ">", fortranOrder: fortran, shape: shape)
    }

    static let supportedDescrs = "bool, int8…int64, uint8…uint64, float32, float64 (|b1 <i1 … <f8, either byte order); not object (|O) or structured arrays"

    mutating func skipSpace() { while position < scalars.count, scalars[position].isWhitespace { position += 1 } }

    func peek() -> Character? { position < scalars.count ? scalars[position] : nil }

    mutating func expect(_ c: Character) throws(NumPyArchiveError) {
      skipSpace()
      guard peek() == c else {
        throw .invalidHeader(member: member, field: "header", reason: "expected '\(c)' at character \(position)")
      }
      position += 1
    }

    mutating func string() throws(NumPyArchiveError) -> String {
      skipSpace()
      guard let quote = peek(), quote == "'" || quote == "\"" else {
        throw .invalidHeader(member: member, field: "header", reason: "expected a quoted string at character \(position)")
      }
      position += 1
      var out = ""
      while let c = peek(), c != quote {
        out.append(c)
        position += 1
      }
      try expect(quote)
      return out
    }

    mutating func boolean() throws(NumPyArchiveError) -> Bool {
      for (word, value) in [("True", true), ("False", false)] where scalars[position...].starts(with: word) {
        position += word.count
        return value
      }
      throw .invalidHeader(member: member, field: "fortran_order", reason: "expected True or False")
    }

    mutating func tuple() throws(NumPyArchiveError) -> [Int] {
      try expect("(")
      var out: [Int] = []
      while true {
        skipSpace()
        if peek() == ")" { position += 1; return out }
        var digits = ""
        while let c = peek(), c.isASCII, c.isNumber { digits.append(c); position += 1 }
        // A trailing "L" (Python 2 longs) is accepted as NumPy does.
        if peek() == "L" { position += 1 }
        guard let value = Int(digits) else {
          throw .invalidHeader(member: member, field: "shape", reason: "expected a non-negative integer at character \(position)")
        }
        out.append(value)
        skipSpace()
        if peek() == "," { position += 1 } else if peek() != ")" {
          throw .invalidHeader(member: member, field: "shape", reason: "expected ',' or ')' at character \(position)")
        }
      }
    }
  }
}

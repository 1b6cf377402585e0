extension Space: Codable {
  /// The coding keys: a `type` tag plus the case's fields.
  private enum CodingKeys: String, CodingKey {
    case type, n, low, high, nvec, shape, dtype
  }

  /// One bound of a box: a JSON number, or `"inf"` / `"-inf"` (JSON has no infinities, and
  /// CartPole's velocity bounds are infinite).
  private struct Bound: Codable {
    var value: Double

    init(_ value: Double) { self.value = value }

    init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let number = try? container.decode(Double.self) {
        value = number
        return
      }
      let text = try container.decode(String.self)
      switch text {
      case "inf", "+inf": value = .infinity
      case "-inf": value = -.infinity
      default:
        throw DecodingError.dataCorruptedError(
          in: container,
          debugDescription: "a Box bound must be a number, \"inf\" or \"-inf\", got \"\(text)\"")
      }
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      if value.isFinite {
        try container.encode(value)
      } else if value.isNaN {
        throw EncodingError.invalidValue(
          value, .init(codingPath: encoder.codingPath, debugDescription: "a Box bound cannot be NaN"))
      } else {
        try container.encode(value > 0 ? "inf" : "-inf")
      }
    }
  }

  /// Decodes `{"type": "discrete", "n": 2}`, `{"type": "box", "low": [...], "high": [...]}`,
  /// `{"type": "multiDiscrete", "nvec": [...]}` or `{"type": "multiBinary", "n": 4}`.
  ///
  /// A box may add `"shape": [84, 84, 4]` and `"dtype": "uint8"` (defaults: one dimension of
  /// `low.count`, `float32`, the form every earlier file has), and may give `low`/`high` as one
  /// bound for every component. The shape is checked against ``Space/maximumComponentCount``
  /// before any bound array is allocated.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let type = try container.decode(String.self, forKey: .type)
    switch type {
    case "discrete":
      self = .discrete(n: try container.decode(Int.self, forKey: .n))
    case "box":
      let dtype = try container.decodeIfPresent(ElementType.self, forKey: .dtype) ?? .float32
      let shape = try container.decodeIfPresent([Int].self, forKey: .shape)
      var count: Int? = nil
      if let shape {
        var product = 1
        for d in shape {
          let (next, overflow) = product.multipliedReportingOverflow(by: d)
          guard d >= 1, !overflow, next <= Space.maximumComponentCount else {
            throw DecodingError.dataCorruptedError(
              forKey: .shape, in: container,
              debugDescription: "shape must have positive dimensions and at most "
                + "\(Space.maximumComponentCount) components, got \(shape)")
          }
          product = next
        }
        count = product
      }
      func bounds(_ key: CodingKeys) throws -> [Double] {
        if let list = try? container.decode([Bound].self, forKey: key) { return list.map(\.value) }
        let single = try container.decode(Bound.self, forKey: key).value
        guard let count else {
          throw DecodingError.dataCorruptedError(
            forKey: key, in: container, debugDescription: "a single bound needs a shape")
        }
        return [Double](repeating: single, count: count)
      }
      let low = try bounds(.low), high = try bounds(.high)
      self = .box(low: low, high: high, shape: shape ?? [low.count], dtype: dtype)
    case "multiDiscrete":
      self = .multiDiscrete(nvec: try container.decode([Int].self, forKey: .nvec))
    case "multiBinary":
      self = .multiBinary(n: try container.decode(Int.self, forKey: .n))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: container,
        debugDescription: "type must be one of discrete, box, multiDiscrete, multiBinary; got \"\(type)\"")
    }
  }

  /// Encodes the form ``init(from:)`` reads; infinite box bounds become `"inf"` / `"-inf"`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .discrete(let n):
      try container.encode("discrete", forKey: .type)
      try container.encode(n, forKey: .n)
    case .box(let low, let high, let shape, let dtype):
      try container.encode("box", forKey: .type)
      func encodeBounds(_ xs: [Double], _ key: CodingKeys) throws {
        if xs.count > 1, let first = xs.first, xs.allSatisfy({ $0 == first }) {
          try container.encode(Bound(first), forKey: key)
        } else {
          try container.encode(xs.map(Bound.init), forKey: key)
        }
      }
      try encodeBounds(low, .low)
      try encodeBounds(high, .high)
      if shape != [low.count] || (low.count > 1 && Set(low).count == 1) || (high.count > 1 && Set(high).count == 1) {
        try container.encode(shape, forKey: .shape)
      }
      if dtype != .float32 { try container.encode(dtype, forKey: .dtype) }
    case .multiDiscrete(let nvec):
      try container.encode("multiDiscrete", forKey: .type)
      try container.encode(nvec, forKey: .nvec)
    case .multiBinary(let n):
      try container.encode("multiBinary", forKey: .type)
      try container.encode(n, forKey: .n)
    }
  }
}

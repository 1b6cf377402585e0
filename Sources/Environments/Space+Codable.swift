extension Space: Codable {
  /// The coding keys: a `type` tag plus the case's fields.
  private enum CodingKeys: String, CodingKey {
    case type, n, low, high, nvec
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
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let type = try container.decode(String.self, forKey: .type)
    switch type {
    case "discrete":
      self = .discrete(n: try container.decode(Int.self, forKey: .n))
    case "box":
      self = .box(
        low: try container.decode([Bound].self, forKey: .low).map(\.value),
        high: try container.decode([Bound].self, forKey: .high).map(\.value))
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
    case .box(let low, let high):
      try container.encode("box", forKey: .type)
      try container.encode(low.map(Bound.init), forKey: .low)
      try container.encode(high.map(Bound.init), forKey: .high)
    case .multiDiscrete(let nvec):
      try container.encode("multiDiscrete", forKey: .type)
      try container.encode(nvec, forKey: .nvec)
    case .multiBinary(let n):
      try container.encode("multiBinary", forKey: .type)
      try container.encode(n, forKey: .n)
    }
  }
}

import Environments
import Foundation
import Testing

@testable import GymnasiumBridge

extension BridgeSuite {
  /// Every space kind survives the protocol: Swift's encoder and decoder agree, and a Gymnasium
  /// space built from the same description in the worker comes back as the same ``Space``.
  @Suite struct SpaceRoundTripTests {
    static let spaces: [Space] = [
      .discrete(n: 7),
      .box(low: 0, high: 255, shape: [2, 3], dtype: .uint8),
      .box(low: -128, high: 127, shape: [4], dtype: .int8),
      .box(low: -5, high: 9, shape: [3, 1], dtype: .int64),
      .box(low: [-1, -.infinity, -2.5], high: [1, .infinity, 3.25], shape: [3], dtype: .float32),
      .box(low: [-1e300, 0], high: [1e300, 0.5], shape: [2], dtype: .float64),
      .multiDiscrete(nvec: [3, 2, 5]),
      .multiBinary(n: 4),
    ]

    @Test(arguments: spaces)
    func swiftEncoderAndDecoderAgree(space: Space) throws {
      var writer = WireWriter()
      SpaceWireCoding.encode(space, into: &writer)
      let decoded = try writer.bytes.withUnsafeBytes { raw in
        var reader = WireReader(raw, environment: "test")
        let space = try SpaceWireCoding.decode(from: &reader)
        #expect(reader.remaining == 0)
        return space
      }
      #expect(decoded == space)
    }

    @Test func truncatedSpaceIsAProtocolViolation() throws {
      var writer = WireWriter()
      SpaceWireCoding.encode(.box(low: 0, high: 1, shape: [2, 2], dtype: .float32), into: &writer)
      let short = Array(writer.bytes.dropLast(3))
      #expect {
        try short.withUnsafeBytes { raw in
          var reader = WireReader(raw, environment: "test")
          _ = try SpaceWireCoding.decode(from: &reader)
        }
      } throws: { error in
        guard case .hosted(let failure) = error as? EnvironmentError else { return false }
        return failure.kind == .protocolViolation
      }
    }

    /// Gymnasium's description of a space (`acb_test_envs.space_from_spec`).
    static func gymnasiumSpec(_ space: Space) -> String {
      func numbers(_ xs: [Double]) -> String {
        "[" + xs.map { $0 == .infinity ? "Infinity" : $0 == -.infinity ? "-Infinity" : "\($0)" }.joined(separator: ", ") + "]"
      }
      switch space {
      case .discrete(let n): return "{\"kind\": \"discrete\", \"n\": \(n)}"
      case .multiDiscrete(let nvec): return "{\"kind\": \"multi_discrete\", \"nvec\": \(nvec)}"
      case .multiBinary(let n): return "{\"kind\": \"multi_binary\", \"n\": \(n)}"
      case .box(let low, let high, let shape, let dtype):
        return "{\"kind\": \"box\", \"low\": \(numbers(low)), \"high\": \(numbers(high)), \"shape\": \(shape), \"dtype\": \"\(dtype)\"}"
      }
    }

    /// An action inside `space` (the middle of each range).
    static func action(in space: Space) -> [Double] {
      switch space {
      case .discrete(let n): return [Double(n - 1)]
      case .multiDiscrete(let nvec): return nvec.map { Double($0 - 1) }
      case .multiBinary(let n): return (0..<n).map { Double($0 % 2) }
      case .box(let low, let high, _, _):
        return zip(low, high).map { l, h in l.isFinite && h.isFinite ? ((l + h) / 2).rounded(.down) : 0 }
      }
    }

    @Test(arguments: spaces)
    func gymnasiumSpaceComesBackTheSame(space: Space) throws {
      let spec = Self.gymnasiumSpec(space)
      let environment = BridgedEnvironment.gym(
        "ACBTest/Spaces-v0", keywordArgumentsJSON: "{\"observation\": \(spec), \"action\": \(spec), \"episode_length\": 3}")
      let vector = try BridgeTestSupport.make(environment, count: 2, workers: 1)
      defer { vector.close() }
      #expect(vector.observationSpace == space)
      #expect(vector.actionSpace == space)
      #expect(vector.observations.elementType == space.observationElementType)
      vector.reset()
      let action = Self.action(in: space)
      for step in 1...4 {
        try vector.step(action + action)
        // The test environment's reward is the sum of the action's components.
        #expect(vector.rewards == [Float](repeating: Float(action.reduce(0, +)), count: 2))
        #expect(vector.dones == [Bool](repeating: step == 3, count: 2))
      }
      #expect(vector.monitor.lengths == [3, 3])
    }

    @Test func booleanBoxTravelsAsUInt8() throws {
      let environment = BridgedEnvironment.gym(
        "ACBTest/Spaces-v0",
        keywordArgumentsJSON:
          "{\"observation\": {\"kind\": \"box\", \"low\": 0, \"high\": 1, \"shape\": [3, 3, 2], \"dtype\": \"bool\"}, "
          + "\"action\": {\"kind\": \"discrete\", \"n\": 2}}")
      let vector = try BridgeTestSupport.make(environment, count: 1, workers: 1)
      defer { vector.close() }
      #expect(vector.observationSpace == .box(low: 0, high: 1, shape: [3, 3, 2], dtype: .uint8))
      vector.reset()
      let values = Array(vector.observations.typedElements(as: UInt8.self))
      #expect(values.allSatisfy { $0 <= 1 })
      #expect(values.contains(1))
    }
  }
}

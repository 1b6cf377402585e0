import Environments
import Foundation
import Testing

@testable import GymnasiumBridge

extension BridgeSuite {
  /// What crosses the socket pairs: byte counts that follow the protocol's frame sizes exactly,
  /// and the ECHO probe that times the transport alone (PROTOCOL.md, Measuring the transport).
  @Suite struct TransportTests {
    @Test func bytesTransferredFollowTheFrameSizes() throws {
      // ACBTest/Counter-v0: float32 observation of 1 component (4 bytes), Discrete(3), episodes
      // of 12 steps; 4 copies in 2 workers, 2 copies each.
      let vector = try BridgeTestSupport.make(.gym("ACBTest/Counter-v0"), count: 4, workers: 2)
      defer { vector.close() }
      vector.reset()
      let start = vector.bytesTransferred
      for _ in 0..<12 { try vector.step([0, 1, 2, 0]) }
      let end = vector.bytesTransferred
      // STEP per worker: 5-byte header + 2 copies × 1 f64. STEPPED per worker: 5 + 2 × (33-byte
      // record + 4-byte observation), plus 2 terminal observations in the 12th step.
      let (request, reply) = TransportProbe.stepPayloadBytes(copies: 2, actionDimension: 1, observationBytes: 4)
      #expect(request == 16 && reply == 74)
      #expect(end.sent - start.sent == 12 * 2 * (5 + request))
      #expect(end.received - start.received == 12 * 2 * (5 + reply) + 4 * 4)
      #expect(TransportProbe.stepPayloadBytes(copies: 2, actionDimension: 1, observationBytes: 4, terminals: 2).reply == 82)
    }

    @Test func echoTimesTheTransportAndRefusesOversizedReplies() throws {
      let probe = try TransportProbe(workers: 2)
      defer { probe.close() }
      let small = try probe.secondsPerExchange(requestBytes: 4, replyBytes: 0, exchanges: 50)
      let large = try probe.secondsPerExchange(requestBytes: 128, replyBytes: 1 << 20, exchanges: 20)
      #expect(small > 0 && small < 0.1, "a round trip of empty frames took \(small) s")
      #expect(large > small, "1 MiB replies cost more than empty ones (\(large) vs \(small) s)")
      #expect {
        _ = try probe.secondsPerExchange(requestBytes: 4, replyBytes: 1 << 27, exchanges: 1)
      } throws: { error in
        guard case EnvironmentError.hosted(let failure) = error else { return false }
        return failure.kind == .protocolViolation && failure.message.contains("exceeds")
      }
      #expect(throws: EnvironmentError.self) { try TransportProbe(workers: 0) }
    }
  }
}

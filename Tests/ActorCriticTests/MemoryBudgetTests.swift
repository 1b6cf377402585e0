import Environments
import Testing

@testable import ActorCritic

/// A huge `n_steps` or `buffer_size` is refused with a typed error naming the field before the
/// rollout or the replay ring is allocated (it used to abort the process in the allocator).
@Suite struct MemoryBudgetTests {
  @Test func hugeRolloutsAreTypedErrors() throws {
    for steps in [1 << 40, Int.max] {
      var a2c = A2CConfiguration()
      a2c.stepsPerUpdate = steps
      #expect {
        _ = try A2C(environment: try cartPole(count: 8), configuration: a2c)
      } throws: { error in
        guard case ConfigurationError.invalidValue(let field, let value, let allowed) = error else { return false }
        return field == "n_steps" && value == "\(steps)" && allowed.contains("fits in memory")
      }
      var acktr = ACKTRConfiguration()
      acktr.stepsPerUpdate = steps
      #expect(throws: ConfigurationError.self) { _ = try ACKTR(environment: try cartPole(count: 8), configuration: acktr) }
    }
  }

  @Test func hugeReplayBuffersAreTypedErrors() throws {
    var acer = ACERConfiguration()
    acer.bufferSize = 1 << 50
    #expect {
      _ = try ACER(environment: try cartPole(count: 8), configuration: acer)
    } throws: { error in
      guard case ConfigurationError.invalidValue(let field, _, let allowed) = error else { return false }
      return field == "buffer_size" && allowed.contains("replay buffer")
    }
    // The zoo's Atari ACER buffer (≈2.4 GB) is within a machine's memory and is accepted.
    let stacks = Space.box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8)
    let atari = try #require(
      MemoryBudget.replayBytes(bufferSize: 5000, environments: 16, steps: 20, space: stacks, actions: 6))
    #expect(atari == 250 * (16 * 21 * 28_224 + 16 * 20 * 33))
    #expect(MemoryBudget.replayBytes(bufferSize: Int.max, environments: 16, steps: 20, space: stacks, actions: 6) == nil)
  }
}

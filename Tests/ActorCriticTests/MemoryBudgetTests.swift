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

  /// nature_cnn's layers hold, per sample, input + pre-activation + output and the input and
  /// pre-activation gradients: Σ (2·inputs + 3·outputs) floats over conv1 (28,224 → 12,800),
  /// conv2 (→ 5,184), conv3 (→ 3,136) and fc1 (→ 512) = 163,584 floats, and the heads pi
  /// (512 → 6: 1,042), vf (512 → 1: 1,027) and q (512 → 6: 1,042): 166,695 floats, 666,780 bytes.
  @Test func natureCNNActivationsPerSample() throws {
    var c = A2CConfiguration()
    c.networkArchitecture = .natureCNN
    let model = try A2C(
      environment: nil, observationSpace: .box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8),
      actionSpace: .discrete(n: 6), configuration: c)
    let network = model.policy.network
    #expect(MemoryBudget.activationBytes(samples: 1, network: network, copies: 1) == 666_780)
    // ACKTR's Atari batch (32 × 20, recorded and installed): 0.85 GB, accepted.
    #expect(MemoryBudget.activationBytes(samples: 640, network: network, copies: 2) == 853_478_400)
    #expect(MemoryBudget.activationBytes(samples: Int.max / 2, network: network, copies: 2) == nil)
  }

  /// An MLP policy has no feature extractor; its trunks and heads are counted: on CartPole (4
  /// inputs, 2 actions) with policy [256] and value [128], pi_fc0 4 → 256 (776), vf_fc0 4 → 128
  /// (392), pi 256 → 2 (518), vf 128 → 1 (259), q 128 → 2 (262): 2,207 floats, 8,828 bytes.
  /// The LSTM adds 2·inputs + 38·units.
  @Test func trunkHeadAndLSTMActivationsPerSample() throws {
    var c = A2CConfiguration()
    c.networkArchitecture = NetworkArchitecture(policy: [256], value: [128])
    let mlp = try A2C(environment: try cartPole(count: 2), configuration: c)
    #expect(MemoryBudget.activationBytes(samples: 1, network: mlp.policy.network, copies: 1) == 8_828)
    // mlpLSTM on CartPole: shared 4 → 64 (200), 64 → 64 (320), lstm 64 → 256 units (128 + 9,728),
    // pi 256 → 2 (518), vf 256 → 1 (515), q 256 → 2 (518): 11,927 floats.
    c.networkArchitecture = .mlpLSTM
    let lstm = try A2C(environment: try cartPole(count: 2), configuration: c)
    #expect(MemoryBudget.activationBytes(samples: 1, network: lstm.policy.network, copies: 1) == 4 * 11_927)
  }

  /// An `n_steps` whose rollout fits in memory but whose update batch's activations do not is
  /// refused before anything is allocated (it would abort in the allocator during the update).
  @Test func rolloutsWhoseActivationsDoNotFitAreTypedErrors() throws {
    var c = A2CConfiguration()
    c.networkArchitecture = tinyCNN
    let probe = try A2C(
      environment: nil, observationSpace: CueImageEnvironment(seed: 0).observationSpace, actionSpace: .discrete(n: 2),
      configuration: c)
    let space = probe.policy.observationSpace
    let rolloutRow = try #require(
      MemoryBudget.rolloutBytes(
        environments: 1, steps: 1, space: space, inputs: probe.policy.inputCount,
        actions: probe.policy.distribution.actionDimension)) / 2
    let activationRow = try #require(
      MemoryBudget.activationBytes(samples: 1, network: probe.policy.network, copies: 2))
    #expect(activationRow > 4 * rolloutRow)
    // n_steps for 4 copies at which rollout and activations together take twice the memory.
    let available = Int(MemoryBudget.availableBytes)
    let steps = 2 * (available / (4 * (rolloutRow + activationRow)))
    let rollout = try #require(
      MemoryBudget.rolloutBytes(
        environments: 4, steps: steps, space: space, inputs: probe.policy.inputCount,
        actions: probe.policy.distribution.actionDimension))
    #expect(rollout < available, "the rollout alone fits")
    c.stepsPerUpdate = steps
    for make in [
      { _ = try A2C(environment: try cueImages(count: 4), configuration: c) },
      {
        var k = ACKTRConfiguration()
        k.networkArchitecture = tinyCNN
        k.stepsPerUpdate = steps
        _ = try ACKTR(environment: try cueImages(count: 4), configuration: k)
      },
      {
        var a = ACERConfiguration()
        a.networkArchitecture = tinyCNN
        a.stepsPerUpdate = steps
        a.replayRatio = 0  // (with replay, buffer_size ≥ n_steps is checked first)
        _ = try ACER(environment: try cueImages(count: 4), configuration: a)
      },
    ] as [() throws -> Void] {
      #expect {
        try make()
      } throws: { error in
        guard case ConfigurationError.invalidValue(let field, _, let allowed) = error else { return false }
        return field == "n_steps" && allowed.contains("activations")
      }
    }
  }
}

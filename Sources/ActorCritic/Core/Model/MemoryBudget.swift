import Environments
import Foundation
import NeuralNetwork

/// The memory a model's buffers will take for an environment, checked before they are allocated,
/// so that a huge `n_steps` or `buffer_size` is a typed error rather than an allocation abort.
///
/// ```
/// rollout      = E·T·(observation bytes + 4·inputs + 4·actions + 13)       (A2C, ACKTR, ACER)
/// replay       = ⌊buffer_size / T⌋ · (E·(T+1)·observation bytes + E·T·(4·n + 9))   (ACER)
/// activations  = copies · B · Σ_layers 4·(2·inputs + 3·outputs)             (every layer; LSTM: 2·inputs + 38·units)
/// ```
/// The activations are what the network's layers hold for an update over `B` samples
/// (input, pre-activation and output, and the input and pre-activation gradients, per sample:
/// ≈ 0.37 MB of forward state for nature_cnn, 0.65 MB with the gradients), `copies` of them: A2C and ACKTR
/// keep a second set when the rollout records them (``ForwardPassRecording``), ACER forwards the
/// average network too. Convolution patches are built in bounded chunks and not counted. For
/// pixel policies this is the largest term: a rollout stores an Atari frame stack in 28 KB (and
/// 113 KB as the update's float input), its activations take 0.65 MB.
///
/// The budget is the machine's physical memory; the sums are computed with overflow checks.
enum MemoryBudget {
  /// Bytes available to a model's buffers (the physical memory).
  static var availableBytes: UInt64 { ProcessInfo.processInfo.physicalMemory }

  /// `a·b·…`, or `nil` on overflow.
  static func product(_ factors: Int...) -> Int? {
    var result = 1
    for f in factors {
      guard f >= 0 else { return nil }
      let (next, overflow) = result.multipliedReportingOverflow(by: f)
      if overflow { return nil }
      result = next
    }
    return result
  }

  /// Bytes of an on-policy rollout of `T` steps in `E` environments, or `nil` on overflow.
  static func rolloutBytes(environments: Int, steps: Int, space: Space, inputs: Int, actions: Int) -> Int? {
    let observation = space.observationElementCount * space.observationElementType.byteCount
    guard let perRow = [observation, product(4, inputs), product(4, actions), 13].reduce(Optional(0), add),
      let rows = product(environments, add(steps, 1) ?? -1)
    else { return nil }
    return product(rows, perRow)
  }

  /// Bytes of ACER's replay ring, or `nil` on overflow.
  static func replayBytes(bufferSize: Int, environments: Int, steps: Int, space: Space, actions: Int) -> Int? {
    let observation = space.observationElementCount * space.observationElementType.byteCount
    guard let observations = product(environments, add(steps, 1) ?? -1, observation),
      let rest = product(environments, steps, 4 * actions + 9),
      let slot = add(observations, rest)
    else { return nil }
    return product(bufferSize / max(steps, 1), slot)
  }

  /// Bytes the network's layers hold for an update over `samples` samples, `copies` times, or
  /// `nil` on overflow: per sample 2·inputs + 3·outputs floats for every layer of the feature
  /// extractor, the trunks and the heads, and 2·inputs + 38·units for the LSTM (its input, hidden
  /// and cell caches, the four gates' projections and gradients, layer normalisation's).
  static func activationBytes(samples: Int, network: ActorCriticNetwork, copies: Int) -> Int? {
    func dense(_ inputs: Int, _ outputs: Int) -> Int? { add(product(2, inputs), product(3, outputs)) }
    var perSample: Int? = network.featureExtractor.layers.reduce(Optional(0)) { add($0, dense($1.inputCount, $1.outputCount)) }
    for trunk in [network.sharedTrunk, network.policyTrunk, network.valueTrunk] {
      for layer in trunk.layers { perSample = add(perSample, dense(layer.inputCount, layer.outputCount)) }
    }
    for head in [network.policyHead, network.valueHead, network.qHead] {
      perSample = add(perSample, dense(head.inputCount, head.outputCount))
    }
    if let lstm = network.recurrentLayer {
      perSample = add(perSample, add(product(2, lstm.inputCount), product(38, lstm.unitCount)))
    }
    guard let perSample else { return nil }
    return product(copies, samples, 4, perSample)
  }

  /// `a + b + …`, or `nil` when one is unknown or the sum overflows.
  static func sum(_ terms: Int?...) -> Int? { terms.reduce(Optional(0), add) }

  /// Throws a ``ConfigurationError`` naming `field` when `bytes` is unknown (overflow) or more
  /// than the machine's memory.
  static func require(_ bytes: Int?, field: String, value: Int, what: String) throws(ConfigurationError) {
    let available = availableBytes
    guard let bytes, UInt64(bytes) <= available else {
      let needed = bytes.map { String(format: "%.1f GB", Double($0) / 1e9) } ?? "more than 2⁶³ bytes"
      throw .invalidValue(
        field: field, value: "\(value)",
        allowed: "a value whose \(what) fits in memory (it would need \(needed); the machine has "
          + String(format: "%.1f GB", Double(available) / 1e9) + ")")
    }
  }

  private static func add(_ a: Int?, _ b: Int?) -> Int? {
    guard let a, let b else { return nil }
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? nil : sum
  }
}

import Environments
import Randomness

/// ACER's experience replay: a ring of whole rollouts (hill-a/stable-baselines `acer/buffer.py`,
/// algorithms.md §4.4).
///
/// ```
/// slots           = buffer_size // T            (each slot: one rollout of all E environments)
/// put(batch)      : slot[next] ← batch;  next ← (next + 1) mod slots;  count ← min(slots, count + 1)
/// hasAtLeast(m)   : count ≥ m // T              (m counted in steps per environment)
/// sample(into:)   : for env i = 0 … E−1: idx_i ~ U{0, …, count−1};  segment i ← slot[idx_i].segment i
/// ```
/// `buffer_size` is counted in steps per environment, so the buffer holds `E·buffer_size`
/// transitions. A sample takes one independent slot per environment column, as SB2 does.
///
/// Observations are stored raw, in the environment's element type, whole (an 84×84×4 `uint8` frame
/// stack takes 28,224 bytes, as SB2's `enc_obs` array of `uint8` holds it); everything else as in
/// SB2 (`Int32` actions, `Float32` rewards and μ, `Bool` dones). Storage is reserved for the full
/// ring up front and filled slot by slot, so memory is bounded by ``memoryBytes``; nothing is
/// allocated after the ring is full. For the zoo's Atari ACER (16 environments, `n_steps` 20,
/// `buffer_size` 5000: 250 slots of 16·21 frame stacks) that bound is ≈2.4 GB, ≈99% of it frames.
// Deviation: SB2 casts non-image observations to float32 and image observations (any Box with more
// than one dimension) to uint8 before storing them; we store each observation in its own type,
// which is the same for uint8 frames and float32 vectors and lossless for the rest.
// With a recurrent policy each slot also keeps the LSTM `masks` `[E, T+1]` (as SB2's buffer does)
// and the state each segment started from `[E, 2n]` (SB2 keeps no state: it re-unrolls every
// segment from the zero state; ``ACERConfiguration/lstmTrainingState`` chooses).
public final class ACERReplayBuffer {
  /// `E`.
  public let environmentCount: Int
  /// `T`.
  public let steps: Int
  /// Components per raw observation.
  public let observationWidth: Int
  /// The element type observations are stored in.
  public let observationElementType: ElementType
  /// Number of discrete actions `n`.
  public let actionCount: Int
  /// Number of slots, `buffer_size // T` (SB2 `Buffer.size`).
  public let capacity: Int
  /// Slots filled so far, at most ``capacity`` (SB2 `num_in_buffer`).
  public internal(set) var count = 0
  /// The slot the next `put` writes (SB2 `next_idx`).
  public internal(set) var nextIndex = 0

  var observations: [UInt8] = []
  var actions: [Int32] = []
  var rewards: [Float] = []
  var behaviourProbabilities: [Float] = []
  var dones: [Bool] = []
  var masks: [Float] = []
  var initialStates: [Float] = []
  /// State values per environment of a recurrent policy (0: none stored).
  public let stateCount: Int

  /// Creates an empty buffer of `bufferSize // steps` slots.
  ///
  /// - Parameters:
  ///   - bufferSize: steps per environment (SB2 `buffer_size`); must be at least `steps`
  ///     (``ACERConfiguration/validate()`` checks this for user input).
  ///   - observationSpace: fixes the stored element type and width.
  ///   - stateCount: state values per environment of a recurrent policy (0 for none).
  public init(
    bufferSize: Int, environmentCount: Int, steps: Int, observationSpace: Space, actionCount: Int, stateCount: Int = 0
  ) {
    self.stateCount = stateCount
    let observationWidth = observationSpace.observationElementCount
    precondition(steps >= 1 && bufferSize >= steps, "ACERReplayBuffer needs buffer_size ≥ n_steps ≥ 1")
    precondition(
      environmentCount >= 1 && observationWidth >= 1 && actionCount >= 1,
      "ACERReplayBuffer sizes must be positive")
    self.environmentCount = environmentCount
    self.steps = steps
    self.observationWidth = observationWidth
    observationElementType = observationSpace.observationElementType
    self.actionCount = actionCount
    capacity = bufferSize / steps
    observations.reserveCapacity(capacity * observationsPerSlot)
    actions.reserveCapacity(capacity * rowsPerSlot)
    rewards.reserveCapacity(capacity * rowsPerSlot)
    behaviourProbabilities.reserveCapacity(capacity * rowsPerSlot * actionCount)
    dones.reserveCapacity(capacity * rowsPerSlot)
  }

  var rowsPerSlot: Int { environmentCount * steps }
  /// Observation bytes per slot, `E·(T+1)·width·elementSize`.
  var observationsPerSlot: Int {
    environmentCount * (steps + 1) * observationWidth * observationElementType.byteCount
  }

  /// Bytes one slot takes.
  public var bytesPerSlot: Int {
    observationsPerSlot
      + rowsPerSlot * (MemoryLayout<Int32>.stride + MemoryLayout<Float>.stride + MemoryLayout<Bool>.stride)
      + rowsPerSlot * actionCount * MemoryLayout<Float>.stride
      + (stateCount > 0 ? environmentCount * (steps + 1 + stateCount) * MemoryLayout<Float>.stride : 0)
  }

  /// The storage bound: bytes of the full ring (reserved at creation, touched as slots fill).
  public var memoryBytes: Int { capacity * bytesPerSlot }

  /// Bytes of the slots filled so far.
  public var storedBytes: Int { count * bytesPerSlot }

  /// Whether at least `frames // T` slots are filled (SB2 `has_atleast(frames)`; `frames` is
  /// counted in steps per environment).
  public func hasAtLeast(_ frames: Int) -> Bool { count >= frames / steps }

  /// Empties the buffer, keeping its storage (SB2 builds a new `Buffer` in every `learn`).
  public func removeAll() {
    count = 0
    nextIndex = 0
  }

  /// Stores a rollout in the next slot, overwriting the oldest once the ring is full.
  public func put(_ batch: ACERBatch) {
    checkShape(batch)
    let slot = nextIndex
    writeObservations(batch.observations, slot: slot)
    write(batch.actions, into: &actions, slot: slot, per: rowsPerSlot) { $0 }
    write(batch.rewards, into: &rewards, slot: slot, per: rowsPerSlot) { $0 }
    write(
      batch.behaviourProbabilities, into: &behaviourProbabilities, slot: slot, per: rowsPerSlot * actionCount
    ) { $0 }
    write(batch.dones, into: &dones, slot: slot, per: rowsPerSlot) { $0 }
    if stateCount > 0 {
      write(batch.masks, into: &masks, slot: slot, per: environmentCount * (steps + 1)) { $0 }
      write(batch.initialStates.elements, into: &initialStates, slot: slot, per: environmentCount * stateCount) { $0 }
    }
    nextIndex = (nextIndex + 1) % capacity
    count = min(capacity, count + 1)
  }

  /// Fills `batch` with one segment per environment, environment `i` from a slot drawn uniformly
  /// from the filled ones (SB2 `get()`: `idx = randint(0, num_in_buffer, n_env)`).
  ///
  /// Draws `E` integers from `random`, in environment order.
  public func sample(into batch: ACERBatch, random: RandomStream) {
    precondition(count > 0, "ACERReplayBuffer.sample needs at least one stored rollout")
    checkShape(batch)
    let T = steps
    let n = actionCount
    let segmentBytes = observationsPerSlot / environmentCount
    let target = batch.observations.bytes.baseAddress!
    for env in 0..<environmentCount {
      let slot = random.uniformInt(below: count)
      let obsSource = slot * observationsPerSlot + env * segmentBytes
      let rowSource = slot * rowsPerSlot + env * T
      observations.withUnsafeBytes { src in
        (target + env * segmentBytes).copyMemory(from: src.baseAddress! + obsSource, byteCount: segmentBytes)
      }
      copy(actions, from: rowSource, to: &batch.actions, at: env * T, count: T)
      copy(rewards, from: rowSource, to: &batch.rewards, at: env * T, count: T)
      copy(dones, from: rowSource, to: &batch.dones, at: env * T, count: T)
      copy(
        behaviourProbabilities, from: rowSource * n, to: &batch.behaviourProbabilities, at: env * T * n,
        count: T * n)
      if stateCount > 0 {
        copy(masks, from: slot * environmentCount * (T + 1) + env * (T + 1), to: &batch.masks, at: env * (T + 1), count: T + 1)
        copy(
          initialStates, from: (slot * environmentCount + env) * stateCount, to: &batch.initialStates.elements,
          at: env * stateCount, count: stateCount)
      }
    }
  }

  // MARK: - Storage helpers

  private func checkShape(_ batch: ACERBatch) {
    precondition(
      batch.environmentCount == environmentCount && batch.steps == steps
        && batch.observationWidth == observationWidth
        && batch.observations.elementType == observationElementType
        && batch.actionCount == actionCount && batch.initialStates.columns == stateCount,
      "ACER batch shape differs from the replay buffer's")
  }

  /// Writes a batch's raw observation bytes at `slot`, appending when the slot is new.
  private func writeObservations(_ source: ObservationBuffer, slot: Int) {
    let bytes = UnsafeRawBufferPointer(source.bytes)
    precondition(bytes.count == observationsPerSlot, "slot observations have the wrong size")
    let offset = slot * observationsPerSlot
    if offset == observations.count {
      observations.append(contentsOf: bytes)
    } else {
      observations.withUnsafeMutableBytes { dst in
        (dst.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
      }
    }
  }

  /// Writes `source` (one slot's worth) at `slot`, appending when the slot is new.
  private func write<S, D>(
    _ source: [S], into storage: inout [D], slot: Int, per size: Int, _ encode: (S) -> D
  ) {
    precondition(source.count == size, "slot data has the wrong size")
    let offset = slot * size
    if offset == storage.count {
      storage.append(contentsOf: source.lazy.map(encode))
    } else {
      storage.withUnsafeMutableBufferPointer { dst in
        source.withUnsafeBufferPointer { src in
          for k in 0..<size { dst[offset + k] = encode(src[k]) }
        }
      }
    }
  }

  private func copy<T>(_ source: [T], from offset: Int, to destination: inout [T], at target: Int, count: Int)
  {
    source.withUnsafeBufferPointer { src in
      destination.withUnsafeMutableBufferPointer { dst in
        (dst.baseAddress! + target).update(from: src.baseAddress! + offset, count: count)
      }
    }
  }
}

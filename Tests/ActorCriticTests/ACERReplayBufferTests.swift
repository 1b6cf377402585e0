import ActorCritic
import Environments
import Foundation
import Randomness
import Testing

/// A batch whose every entry encodes (id, env) so a sampled segment's origin can be read back.
private func acerMarkedBatch(id: Int, E: Int = 3, T: Int = 4, width: Int = 2, n: Int = 3) -> ACERBatch {
  let batch = ACERBatch(environmentCount: E, steps: T, observationWidth: width, actionCount: n)
  for env in 0..<E {
    let tag = Float(100 * id + env)
    let observations = batch.observations.typedElements(as: Float.self)
    for k in 0..<((T + 1) * width) { observations[env * (T + 1) * width + k] = tag + Float(k) / 100 }
    for t in 0..<T {
      let i = env * T + t
      batch.actions[i] = Int32((id + env + t) % n)
      batch.rewards[i] = tag + Float(t) / 10
      batch.dones[i] = (id + t) % 3 == 0
      for j in 0..<n { batch.behaviourProbabilities[i * n + j] = tag + Float(j) / 10 }
    }
  }
  return batch
}

/// Environment `env`'s segment of a batch, as comparable arrays.
private func acerSegment(_ b: ACERBatch, env: Int) -> [[Float]] {
  let T = b.steps
  let w = b.observationWidth
  let n = b.actionCount
  return [
    Array(b.observations.floats()[(env * (T + 1) * w)..<((env + 1) * (T + 1) * w)]),
    b.actions[(env * T)..<((env + 1) * T)].map(Float.init),
    Array(b.rewards[(env * T)..<((env + 1) * T)]),
    Array(b.behaviourProbabilities[(env * T * n)..<((env + 1) * T * n)]),
    b.dones[(env * T)..<((env + 1) * T)].map { $0 ? 1 : 0 },
  ]
}

@Suite struct ACERReplayBufferTests {
  /// SB2: `size = buffer_size // n_steps`; `has_atleast(m)` ⇔ `num_in_buffer ≥ m // n_steps`.
  @Test func capacityAndHasAtLeastFollowStableBaselines() {
    let buffer = ACERReplayBuffer(
      bufferSize: 23, environmentCount: 3, steps: 4, observationSpace: float32Vector(2), actionCount: 3)
    #expect(buffer.capacity == 5)
    #expect(buffer.hasAtLeast(0) && !buffer.hasAtLeast(4))
    buffer.put(acerMarkedBatch(id: 0))
    buffer.put(acerMarkedBatch(id: 1))
    #expect(buffer.count == 2)
    #expect(buffer.hasAtLeast(8) && buffer.hasAtLeast(11) && !buffer.hasAtLeast(12))
    buffer.removeAll()
    #expect(buffer.count == 0 && buffer.nextIndex == 0 && !buffer.hasAtLeast(4))
  }

  /// The ring overwrites the oldest rollout; samples only ever come from the live ones.
  @Test func ringOverwritesTheOldestRollouts() {
    let buffer = ACERReplayBuffer(
      bufferSize: 16, environmentCount: 3, steps: 4, observationSpace: float32Vector(2), actionCount: 3)
    for id in 0..<7 { buffer.put(acerMarkedBatch(id: id)) }
    #expect(buffer.capacity == 4 && buffer.count == 4 && buffer.nextIndex == 3)
    let random = RandomStream(seed: 3)
    let out = ACERBatch(environmentCount: 3, steps: 4, observationWidth: 2, actionCount: 3)
    var seen = Set<Int>()
    for _ in 0..<50 {
      buffer.sample(into: out, random: random)
      for env in 0..<3 { seen.insert(Int(out.rewards[env * 4]) / 100) }
    }
    #expect(seen == [3, 4, 5, 6])
  }

  /// `get()`: one uniform slot per environment, drawn in environment order from the stream, and
  /// environment i's segment of that slot, bit for bit.
  @Test func sampleTakesEachEnvironmentsSegmentFromItsOwnSlot() {
    let buffer = ACERReplayBuffer(
      bufferSize: 40, environmentCount: 3, steps: 4, observationSpace: float32Vector(2), actionCount: 3)
    let stored = (0..<6).map { acerMarkedBatch(id: $0) }
    for b in stored { buffer.put(b) }
    let random = RandomStream(seed: 8)
    let oracle = random.copy()
    let out = ACERBatch(environmentCount: 3, steps: 4, observationWidth: 2, actionCount: 3)
    var slotsDiffer = false
    for _ in 0..<10 {
      buffer.sample(into: out, random: random)
      let slots = (0..<3).map { _ in oracle.uniformInt(below: 6) }
      for env in 0..<3 { #expect(acerSegment(out, env: env) == acerSegment(stored[slots[env]], env: env)) }
      slotsDiffer = slotsDiffer || Set(slots).count > 1
    }
    #expect(slotsDiffer)
    #expect(random.nextUInt32() == oracle.nextUInt32())
  }

  /// uint8 frames are stored as uint8 (SB2's `enc_obs` of `uint8`): byte-exact round trip at a
  /// quarter of the bytes float32 observations of the same width take.
  @Test func framesAreStoredAsBytesAndRoundTripExactly() {
    let E = 2
    let T = 3
    let frames = Space.box(low: 0, high: 255, shape: [2, 3, 1], dtype: .uint8)
    let bytes = ACERReplayBuffer(bufferSize: 9, environmentCount: E, steps: T, observationSpace: frames, actionCount: 2)
    let floats = ACERReplayBuffer(
      bufferSize: 9, environmentCount: E, steps: T, observationSpace: float32Vector(6), actionCount: 2)
    let batch = ACERBatch(environmentCount: E, steps: T, observationSpace: frames, actionCount: 2)
    let pixels = batch.observations.typedElements(as: UInt8.self)
    for i in 0..<pixels.count { pixels[i] = UInt8((i * 37) % 256) }
    bytes.put(batch)
    let out = ACERBatch(environmentCount: E, steps: T, observationSpace: frames, actionCount: 2)
    bytes.sample(into: out, random: RandomStream(seed: 1))
    #expect(out.observations.elementType == .uint8)
    #expect(out.observations.hasSameContents(as: batch.observations))
    let observationComponents = E * (T + 1) * 6
    #expect(floats.bytesPerSlot - bytes.bytesPerSlot == observationComponents * 3)
    #expect(floats.memoryBytes == 3 * floats.bytesPerSlot)
    #expect(bytes.storedBytes == bytes.bytesPerSlot)
  }

  /// The zoo's Atari ACER buffer (16 envs, n_steps 20, buffer 5000, 84×84×4 uint8 stacks):
  /// 250 slots of 16·21 stacks; the reported bound is what SB2's arrays take.
  @Test func atariBufferMemoryIsReported() {
    let stacks = Space.box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8)
    let buffer = ACERReplayBuffer(
      bufferSize: 5000, environmentCount: 16, steps: 20, observationSpace: stacks, actionCount: 6)
    #expect(buffer.capacity == 250)
    #expect(buffer.bytesPerSlot == 16 * 21 * 28_224 + 16 * 20 * 6 * 4 + 16 * 20 * 9)
    #expect(buffer.memoryBytes == 250 * buffer.bytesPerSlot)
    #expect(buffer.storedBytes == 0)
  }

  /// SB2 CartPole defaults: 5000 // 20 = 250 rollouts of 8 environments, 1.35 MB.
  @Test func defaultCartPoleBufferIsSmall() {
    let buffer = ACERReplayBuffer(
      bufferSize: 5000, environmentCount: 8, steps: 20, observationSpace: float32Vector(4), actionCount: 2)
    // Per slot: obs 8·21·4 floats, μ 8·20·2 floats, and 8·20 × (Int32 + Float + Bool).
    #expect(buffer.bytesPerSlot == 8 * 21 * 4 * 4 + 8 * 20 * 2 * 4 + 8 * 20 * 9)
    #expect(buffer.memoryBytes == 250 * buffer.bytesPerSlot)
    #expect(buffer.memoryBytes == 1_352_000)
  }
}

/// A one-dimensional float32 box of `width` components.
private func float32Vector(_ width: Int) -> Space {
  .box(low: [Double](repeating: -1, count: width), high: [Double](repeating: 1, count: width))
}

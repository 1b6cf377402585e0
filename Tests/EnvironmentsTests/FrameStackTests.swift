import Environments
import Randomness
import Testing

/// A frame source: `H×W×C` uint8 frames whose pixel `(h, w, c)` is
/// `(episodeTag + 16·t + 4·h + 2·w + c) mod 256`, where `t` counts steps in the episode; episodes
/// end after `length` steps (terminated), so frame stacks cross episode boundaries often.
final class CountingFrames: Environment {
  let id = "CountingFrames"
  let observationSpace: Space
  let actionSpace: Space = .discrete(n: 2)
  let maxEpisodeSteps: Int? = nil
  var elapsedSteps = 0
  let length: Int
  private var tag = 0

  init(height: Int = 2, width: Int = 3, channels: Int = 2, length: Int) {
    observationSpace = .box(low: 0, high: 255, shape: [height, width, channels], dtype: .uint8)
    self.length = length
  }

  var state: [Double] {
    get { [Double(tag), Double(elapsedSteps)] }
    set { tag = Int(newValue[0]) }
  }

  func reset(using random: RandomStream, into observation: UnsafeMutableRawBufferPointer) {
    tag = random.uniformInt(below: 200)
    elapsedSteps = 0
    writeObservation(into: observation)
  }

  func step(_ action: UnsafeBufferPointer<Double>, into observation: UnsafeMutableRawBufferPointer) -> StepOutcome {
    elapsedSteps += 1
    writeObservation(into: observation)
    return StepOutcome(reward: 1, terminated: elapsedSteps >= length, truncated: false)
  }

  func writeObservation(into observation: UnsafeMutableRawBufferPointer) {
    let shape = observationSpace.shape
    var k = 0
    for h in 0..<shape[0] {
      for w in 0..<shape[1] {
        for c in 0..<shape[2] {
          observation[k] = UInt8((tag + 16 * elapsedSteps + 4 * h + 2 * w + c) % 256)
          k += 1
        }
      }
    }
  }
}

/// stable-baselines' `VecFrameStack` written the way its NumPy code reads, on `[env][position][channel]`
/// arrays: the oracle the Swift wrapper is compared with.
struct NumPyFrameStack {
  let stack: Int
  let channels: Int
  var stacked: [[UInt8]]

  init(count: Int, positions: Int, channels: Int, stack: Int) {
    self.stack = stack
    self.channels = channels
    stacked = [[UInt8]](repeating: [UInt8](repeating: 0, count: positions * channels * stack), count: count)
  }

  /// `stackedobs[...] = 0; stackedobs[..., -C:] = obs`.
  mutating func reset(_ observations: [[UInt8]]) {
    for i in stacked.indices {
      stacked[i] = [UInt8](repeating: 0, count: stacked[i].count)
      writeLast(i, observations[i])
    }
  }

  /// `roll(-C)`; terminal = concat(stack[..., :-C], terminal_obs); zero on done; write obs last.
  mutating func step(_ observations: [[UInt8]], dones: [Bool], terminal: [[UInt8]]) -> [Int: [UInt8]] {
    var terminals: [Int: [UInt8]] = [:]
    let block = channels * stack
    for i in stacked.indices {
      let old = stacked[i]
      var rolled = old
      for p in 0..<(old.count / block) {
        for k in 0..<block { rolled[p * block + k] = old[p * block + (k + channels) % block] }
      }
      stacked[i] = rolled
      if dones[i] {
        var t = rolled
        for p in 0..<(t.count / block) {
          for c in 0..<channels { t[p * block + block - channels + c] = terminal[i][p * channels + c] }
        }
        terminals[i] = t
        stacked[i] = [UInt8](repeating: 0, count: rolled.count)
      }
      writeLast(i, observations[i])
    }
    return terminals
  }

  private mutating func writeLast(_ i: Int, _ observation: [UInt8]) {
    let block = channels * stack
    for p in 0..<(observation.count / channels) {
      for c in 0..<channels { stacked[i][p * block + block - channels + c] = observation[p * channels + c] }
    }
  }
}

@Suite struct FrameStackTests {
  private func bytes(_ buffer: ObservationBuffer, _ i: Int) -> [UInt8] {
    Array(UnsafeRawBufferPointer(buffer.observation(i)))
  }

  /// Channel-last stacking, zero fill at the start, the finished copy's stack zeroed on done and
  /// SB2's terminal stack, step for step against the NumPy oracle; frames stay uint8.
  @Test(arguments: [1, 2, 4])
  func stacksExactlyAsVecFrameStack(stack: Int) throws {
    let copies = [CountingFrames(length: 3), CountingFrames(length: 5), CountingFrames(length: 4)]
    let vector = try VectorEnvironment(environments: copies, seeds: SeedSequence(runSeed: 2))
    let stacked = try FrameStackedVectorEnvironment(wrapping: vector, stackSize: stack)
    #expect(stacked.observationSpace == .box(low: 0, high: 255, shape: [2, 3, 2 * stack], dtype: .uint8))
    #expect(stacked.observations.elementType == .uint8)
    var oracle = NumPyFrameStack(count: 3, positions: 6, channels: 2, stack: stack)
    stacked.reset()
    oracle.reset((0..<3).map { bytes(vector.observations, $0) })
    for i in 0..<3 { #expect(bytes(stacked.observations, i) == oracle.stacked[i]) }
    var sawDone = 0
    for _ in 0..<17 {
      try stacked.step([0, 1, 0])
      let terminals = oracle.step(
        (0..<3).map { bytes(vector.observations, $0) }, dones: vector.dones,
        terminal: (0..<3).map { bytes(vector.terminalObservations, $0) })
      for i in 0..<3 {
        #expect(bytes(stacked.observations, i) == oracle.stacked[i])
        if let terminal = terminals[i] {
          sawDone += 1
          #expect(bytes(stacked.terminalObservations, i) == terminal)
        }
      }
      #expect(stacked.dones == vector.dones && stacked.rewards == vector.rewards)
    }
    #expect(sawDone >= 10)
  }

  /// A frame just after a reset has zeros in every older slot (SB2 zero-fills, it does not repeat
  /// the first frame).
  @Test func theFirstStackIsZeroFilled() throws {
    let vector = try VectorEnvironment(environments: [CountingFrames(length: 9)], seeds: SeedSequence(runSeed: 0))
    let stacked = try FrameStackedVectorEnvironment(wrapping: vector, stackSize: 4)
    stacked.reset()
    let stack = bytes(stacked.observations, 0)
    for p in 0..<6 {
      #expect(stack[(p * 8)..<(p * 8 + 6)].allSatisfy { $0 == 0 })
      #expect(Array(stack[(p * 8 + 6)..<(p * 8 + 8)]) == Array(bytes(vector.observations, 0)[(p * 2)..<(p * 2 + 2)]))
    }
  }

  @Test func refusesNonBoxObservationsAndEmptyStacks() throws {
    let cartPole = try VectorEnvironment(id: "CartPole-v1", count: 1, seeds: SeedSequence(runSeed: 0))
    #expect(throws: EnvironmentError.invalidSpace(field: "n_stack", reason: "must be ≥ 1, got 0")) {
      _ = try FrameStackedVectorEnvironment(wrapping: cartPole, stackSize: 0)
    }
    // A 1-D Box stacks along its only axis (SB2 allows it): 4 → 8 components.
    let doubled = try FrameStackedVectorEnvironment(wrapping: cartPole, stackSize: 2)
    #expect(doubled.observationSpace.shape == [8])
    // Bounds as `np.repeat(low, n, axis=-1)`: each bound twice in a row, not the list twice.
    guard case .box(let low, let high, _, _) = cartPole.observationSpace,
      case .box(let stackedLow, let stackedHigh, _, _) = doubled.observationSpace
    else { Issue.record("CartPole's space is a Box"); return }
    #expect(stackedLow == low.flatMap { [$0, $0] } && stackedHigh == high.flatMap { [$0, $0] })
    // A float32 stack reads back as float32 after zeroing (reset zero-fills every stack).
    doubled.reset()
    let stacked = doubled.observations.typedElements(as: Float.self)
    #expect(Array(stacked[0..<4]) == [0, 0, 0, 0] && Array(stacked[4..<8]) == cartPole.observations.floats(of: 0))
  }
}

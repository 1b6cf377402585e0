import Environments
import Randomness
import Testing
import _TestSupport

/// Vector environments captured mid-episode and restored into fresh copies continue bit for bit
/// (native classic control); one whose copies cannot capture their state says so and restarts
/// its episodes from the resume's own streams.
@Suite struct StateCaptureTests {
  /// Steps `env` with actions from `random` and returns every observation byte, reward and done.
  static func trace(_ env: any VectorizedEnvironment, steps: Int, random: RandomStream) throws -> [[Float]] {
    var trace: [[Float]] = []
    for _ in 0..<steps {
      var actions: [Double] = []
      for _ in 0..<env.count {
        switch env.actionSpace {
        case .discrete(let n): actions.append(Double(random.uniformInt(below: n)))
        default: for _ in 0..<env.actionDimension { actions.append(random.uniform(low: -2, high: 2)) }
        }
      }
      try env.step(actions)
      trace.append(env.observations.floats() + env.rewards + env.dones.map { $0 ? 1 : 0 })
    }
    return trace
  }

  static func make(_ id: String, normalized: Bool) throws -> any CheckpointableVectorEnvironment {
    let base = try VectorEnvironment(id: id, count: 3, seeds: SeedSequence(runSeed: 21))
    return normalized ? try NormalizedVectorEnvironment(wrapping: base) : base
  }

  @Test(arguments: EnvironmentRegistry.ids, [false, true])
  func restoredEnvironmentContinuesBitForBit(id: String, normalized: Bool) throws {
    let original = try Self.make(id, normalized: normalized)
    original.reset()
    // Deep into episodes (Pendulum and MountainCar truncate at 200, CartPole terminates early).
    _ = try Self.trace(original, steps: 237, random: RandomStream(seed: 1))
    var writer = BinaryStateWriter()
    #expect(original.captureState(into: &writer) == .exact)
    let expected = try Self.trace(original, steps: 400, random: RandomStream(seed: 2))

    let restored = try Self.make(id, normalized: normalized)
    var reader = BinaryStateReader(writer.bytes)
    #expect(try restored.restoreState(from: &reader, restartSeeds: SeedSequence(runSeed: 77)) == .exact)
    #expect(reader.remaining == 0)
    #expect(try Self.trace(restored, steps: 400, random: RandomStream(seed: 2)) == expected)
    #expect(restored.monitor == original.monitor)
  }

  @Test func frameStackRestoresItsStacks() throws {
    func make() throws -> FrameStackedVectorEnvironment {
      try FrameStackedVectorEnvironment(
        wrapping: try VectorEnvironment(id: "CartPole-v1", count: 2, seeds: SeedSequence(runSeed: 3)), stackSize: 4)
    }
    let original = try make()
    original.reset()
    _ = try Self.trace(original, steps: 50, random: RandomStream(seed: 1))
    var writer = BinaryStateWriter()
    #expect(original.captureState(into: &writer) == .exact)
    let expected = try Self.trace(original, steps: 120, random: RandomStream(seed: 2))
    let restored = try make()
    var reader = BinaryStateReader(writer.bytes)
    _ = try restored.restoreState(from: &reader, restartSeeds: SeedSequence(runSeed: 1))
    #expect(try Self.trace(restored, steps: 120, random: RandomStream(seed: 2)) == expected)
  }

  @Test func uncapturableCopiesRestartTheirEpisodesFromTheResumeStreams() throws {
    func make() throws -> VectorEnvironment {
      try VectorEnvironment(environments: [UncapturableEnvironment(CartPole()), UncapturableEnvironment(CartPole())], seeds: SeedSequence(runSeed: 4))
    }
    let original = try make()
    original.reset()
    _ = try Self.trace(original, steps: 90, random: RandomStream(seed: 1))
    var writer = BinaryStateWriter()
    guard case .restartsEpisodes(let reason) = original.captureState(into: &writer) else {
      Issue.record("an environment without state capture must not claim an exact checkpoint")
      return
    }
    #expect(reason.contains("CartPole-v1"))

    let restartSeeds = SeedSequence(runSeed: 1234)
    let restored = try make()
    var reader = BinaryStateReader(writer.bytes)
    #expect(try restored.restoreState(from: &reader, restartSeeds: restartSeeds) != .exact)
    // Finished episodes stay recorded; every copy starts a fresh episode from the resume's streams.
    #expect(restored.monitor == original.monitor)
    let fresh = (0..<2).map { CartPole().reset(using: restartSeeds.stream(for: .environment, index: $0)) }
    #expect(restored.observations.floats() == fresh.flatMap { $0 })
    #expect(restored.observations.floats() != original.observations.floats())
  }

  @Test func truncatedOrForeignStateIsATypedError() throws {
    let original = try Self.make("Acrobot-v1", normalized: true)
    original.reset()
    var writer = BinaryStateWriter()
    _ = original.captureState(into: &writer)
    for cut in [0, 1, 9, writer.bytes.count / 3, writer.bytes.count - 1] {
      var reader = BinaryStateReader(Array(writer.bytes.prefix(cut)))
      #expect(throws: BinaryStateError.self) {
        _ = try Self.make("Acrobot-v1", normalized: true).restoreState(from: &reader, restartSeeds: SeedSequence(runSeed: 1))
      }
    }
    var reader = BinaryStateReader(writer.bytes)
    #expect(throws: BinaryStateError.self) {
      _ = try Self.make("CartPole-v1", normalized: true).restoreState(from: &reader, restartSeeds: SeedSequence(runSeed: 1))
    }
  }

  @Test func binaryStateRoundTripsAndRefusesBadBools() throws {
    var w = BinaryStateWriter()
    w.write(-3)
    w.write(Double.pi)
    w.write(Float(-0.5))
    w.write("Δ state")
    w.write(Optional<Int>.none)
    w.write([1.5, -2.25])
    w.write([true, false])
    var r = BinaryStateReader(w.bytes)
    #expect(try r.readInt("a") == -3)
    #expect(try r.readDouble("b") == .pi)
    #expect(try r.readFloat("c") == -0.5)
    #expect(try r.readString("d") == "Δ state")
    #expect(try r.readOptionalInt("e") == nil)
    #expect(try r.readArray(Double.self, "f") == [1.5, -2.25])
    #expect(try r.readBools("g") == [true, false])
    #expect(r.remaining == 0)
    var bad = BinaryStateReader([2])
    #expect(throws: BinaryStateError.invalid(field: "flag", reason: "a Bool byte must be 0 or 1, found 2")) {
      try bad.readBool("flag")
    }
    var huge = BinaryStateReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
    #expect(throws: BinaryStateError.self) { _ = try huge.readArray(Double.self, "huge") }
  }

  @Test func largeArraysAndSectionsJoinAsSharedBlocksWithoutCopying() throws {
    let ring = [UInt8]((0..<(BinaryStateWriter.sharedBlockBytes + 5)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    var section = BinaryStateWriter()
    section.write(42)
    section.write(bytes: ring)
    section.write([Float(1.5), -2])
    var writer = BinaryStateWriter()
    writer.write("head")
    writer.write(section: section)
    writer.write(true)

    // The ring is one block of the stream, the same memory as the array (no copy).
    let ringBase = ring.withUnsafeBufferPointer { $0.baseAddress }
    let shared = writer.blocks.filter { block in block.withUnsafeBufferPointer { $0.baseAddress } == ringBase }
    #expect(shared.count == 1)
    #expect(writer.blocks.count == 4, "head + section length, 42 + ring length, the ring, floats + flag")
    #expect(writer.count == writer.blocks.reduce(0) { $0 + $1.count })
    #expect(writer.bytes == writer.blocks.flatMap { $0 })

    // The stream reads back as if it had been written in one array.
    var reader = BinaryStateReader(writer.bytes)
    #expect(try reader.readString("head") == "head")
    var inner = try reader.readSection("section")
    #expect(try inner.readInt("n") == 42)
    #expect(try inner.readBytes("ring") == ring)
    #expect(try inner.readArray(Float.self, "floats") == [1.5, -2])
    try inner.requireEnd("section")
    #expect(try reader.readBool("flag"))
    try reader.requireEnd("stream")

    // Small arrays are copied into the stream as before.
    var small = BinaryStateWriter()
    small.write(bytes: [UInt8](repeating: 9, count: 100))
    #expect(small.blocks.count == 1 && small.count == 108)

    // A byte slice reads the ring without copying it: its memory is the reader's.
    let stream = writer.bytes
    var sliced = BinaryStateReader(stream)
    _ = try sliced.readString("head")
    _ = try sliced.readInt("section length")
    _ = try sliced.readInt("n")
    let slice = try sliced.readByteSlice("ring")
    #expect(Array(slice) == ring)
    let streamBase = stream.withUnsafeBufferPointer { $0.baseAddress! }
    let sliceBase = slice.withUnsafeBufferPointer { $0.baseAddress! }
    #expect(sliceBase - streamBase == slice.startIndex, "the slice points into the stream's storage")
    #expect(try sliced.readArray(Float.self, "floats") == [1.5, -2])
    var short = BinaryStateReader(Array(stream.prefix(40)))
    _ = try short.readString("head")
    _ = try short.readInt("section length")
    _ = try short.readInt("n")
    #expect(throws: BinaryStateError.self) { _ = try short.readByteSlice("ring") }
  }
}

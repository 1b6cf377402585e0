import Environments
import Foundation
import Randomness
import Testing

@testable import GymnasiumBridge

extension BridgeSuite {
  /// `atari:<Game>` is SB2's pipeline: identical to stable-baselines3's `AtariWrapper` +
  /// `VecFrameStack(4)` on recorded episodes (`Tools/record_atari_parity.py`).
  @Suite struct AtariParityTests {
    struct Fixture: Decodable {
      struct Step: Decodable {
        var crc: UInt32
        var reward: Double
        var done: Bool
        var episode: Double?
      }
      struct Game: Decodable {
        var game: String
        var runSeed: UInt64
        var seed: UInt32
        var actions: [Int]
        var reset: UInt32
        var steps: [Step]
      }
      var steps: Int
      var games: [Game]
    }

    static let fixture: Fixture = {
      let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/atari-parity.json")
      return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    @Test func fixtureCoversFiveGamesWithTwoThousandStepsEach() {
      #expect(Self.fixture.games.map(\.game) == ["Pong", "Breakout", "SpaceInvaders", "Seaquest", "BeamRider"])
      #expect(Self.fixture.games.allSatisfy { $0.steps.count >= 2000 && $0.actions.count == $0.steps.count })
      #expect(Self.fixture.games.allSatisfy { game in game.steps.contains { $0.episode != nil } })
    }

    @Test(arguments: fixture.games.map(\.game))
    func observationsRewardsDonesAndMonitorReturnsMatchSB3(game: String) throws {
      let recorded = try #require(Self.fixture.games.first { $0.game == game })
      let seeds = SeedSequence(runSeed: recorded.runSeed)
      #expect(SubprocessVectorEnvironment.seed(of: 0, generation: 0, seeds: seeds) == recorded.seed)
      let vector = try EnvironmentCatalog.makeVectorEnvironment("atari:\(game)", count: 1, seeds: seeds)
      defer { RunCleanup.close(vector) }
      #expect(vector.observationSpace == .box(low: 0, high: 255, shape: [84, 84, 4], dtype: .uint8))
      vector.reset()
      #expect(CRC32.checksum(vector.observations.bytes) == recorded.reset)
      var mismatches: [Int] = []
      var episodes: [Double] = []
      for (t, step) in recorded.steps.enumerated() {
        try vector.step([Double(recorded.actions[t])])
        let same =
          CRC32.checksum(vector.observations.bytes) == step.crc && vector.rewards[0] == Float(step.reward)
          && vector.dones[0] == step.done
        if !same { mismatches.append(t) }
        episodes += vector.completedEpisodes.map(\.episodeReturn)
      }
      #expect(mismatches.isEmpty, "first differing steps: \(mismatches.prefix(5))")
      #expect(episodes == recorded.steps.compactMap(\.episode), "the Monitor's full-game, unclipped returns")
    }
  }

  /// `minatar:<Game>` with the paper's settings: uint8 10×10×C frames, all six actions,
  /// reproducible from the seed.
  @Suite struct MinAtarTests {
    @Test(arguments: [("Breakout", 4), ("Asterix", 4), ("Freeway", 7), ("Seaquest", 10), ("SpaceInvaders", 6)])
    func spacesAreUInt8FramesAndSixActions(game: String, channels: Int) throws {
      let vector = try EnvironmentCatalog.makeVectorEnvironment("minatar:\(game)", count: 1, seeds: SeedSequence(runSeed: 1))
      defer { RunCleanup.close(vector) }
      #expect(vector.observationSpace == .box(low: 0, high: 1, shape: [10, 10, channels], dtype: .uint8))
      #expect(vector.actionSpace == .discrete(n: 6))
    }

    @Test func sameSeedSameGameAndEpisodesEnd() throws {
      func play(seed: UInt64) throws -> ([UInt8], [Double]) {
        let vector = try EnvironmentCatalog.makeVectorEnvironment("minatar:Breakout", count: 4, seeds: SeedSequence(runSeed: seed))
        defer { RunCleanup.close(vector) }
        let random = RandomStream(seed: 9)
        vector.reset()
        var bytes: [UInt8] = []
        for _ in 0..<600 {
          try vector.step((0..<4).map { _ in Double(random.uniformInt(below: 6)) })
          bytes += Array(vector.observations.bytes)
        }
        return (bytes, vector.monitor.returns)
      }
      let first = try play(seed: 2)
      let second = try play(seed: 2)
      #expect(first.0 == second.0)
      #expect(first.1 == second.1)
      #expect(first.1.count >= 4, "random play ends Breakout episodes within 600 steps")
      #expect(first.0.allSatisfy { $0 <= 1 })
      #expect(try play(seed: 3).0 != first.0)
    }
  }

  /// Rendered frames for videos and PNG strips.
  @Suite struct RenderTests {
    @Test func renderReturnsTheEnvironmentsRGBFrame() throws {
      let vector = try BridgeTestSupport.make(.gym("CartPole-v1"), count: 2, workers: 1, renderable: true)
      defer { vector.close() }
      vector.reset()
      let frame = try vector.render(1)
      #expect(frame.width == 600 && frame.height == 400)
      #expect(frame.rgb.count == 600 * 400 * 3)
      #expect(Set(frame.rgb).count > 2, "a drawing, not a blank")
      let plain = try BridgeTestSupport.make(.gym("CartPole-v1"), count: 1)
      defer { plain.close() }
      plain.reset()
      #expect(throws: EnvironmentError.self) { try plain.render(0) }
    }
  }
}

/// Closes the bridge under a vector environment's wrappers.
enum RunCleanup {
  static func close(_ environment: any VectorizedEnvironment) {
    switch environment {
    case let bridge as SubprocessVectorEnvironment: bridge.close()
    case let stacked as FrameStackedVectorEnvironment: close(stacked.wrapped)
    default: break
    }
  }
}

/// zlib's CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as Python's `zlib.crc32`.
enum CRC32 {
  static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func checksum(_ bytes: UnsafeMutableRawBufferPointer) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}

extension BridgeSuite {
  /// The spaces the catalog documents for the built-in suites' bridged environments (used by the
  /// report, checked at start-up) are the pinned packages' own.
  @Suite struct DocumentedSpacesTests {
    static let names =
      EnvironmentCatalog.minAtarGames.map { "minatar:\($0)" }
      + (EnvironmentCatalog.atariGames + ["MsPacman"]).map { "atari:\($0)" }
      + ["gym:HalfCheetah-v5", "gym:Hopper-v5", "gym:Walker2d-v5"]

    @Test(arguments: names)
    func documentedSpacesAreTheWorkersOwn(name: String) throws {
      let documented = try #require(EnvironmentCatalog.documentedSpaces(of: name))
      let vector = try EnvironmentCatalog.makeVectorEnvironment(name, count: 1, seeds: SeedSequence(runSeed: 1))
      defer { RunCleanup.close(vector) }
      #expect(vector.observationSpace == documented.observation)
      #expect(vector.actionSpace == documented.action)
    }

    /// HalfCheetah never terminates: under random actions every episode is cut at the documented 1000.
    @Test func halfCheetahEpisodesEndAtTheDocumentedLimit() throws {
      #expect(EnvironmentCatalog.documentedTimeLimit(of: "gym:HalfCheetah-v5") == "1000")
      #expect(EnvironmentCatalog.documentedTimeLimit(of: "minatar:Breakout") == "none")
      let vector = try EnvironmentCatalog.makeVectorEnvironment("gym:HalfCheetah-v5", count: 1, seeds: SeedSequence(runSeed: 2))
      defer { RunCleanup.close(vector) }
      let random = RandomStream(seed: 3)
      vector.reset()
      var ends: [Int] = []
      for t in 1...2_000 {
        try vector.step((0..<6).map { _ in random.uniform(low: -1, high: 1) })
        if vector.dones[0] { ends.append(t) }
      }
      #expect(ends == [1_000, 2_000])
    }

    @Test func listingShowsMinAtarSpaces() {
      let note = EnvironmentCatalog.listing.first { $0.name == "minatar:Seaquest" }?.note
      #expect(note?.hasSuffix("Box(0, 1, (10, 10, 10), uint8) → Discrete(6)") == true, "\(note ?? "none")")
    }

    @Test func otherSpacesAreRefusedWithBothNamed() {
      #expect(EnvironmentCatalog.documentedSpaces(of: "CartPole-v1") == nil)
      #expect(EnvironmentCatalog.documentedSpaces(of: "gym:LunarLander-v3") == nil)
      #expect(throws: Never.self) {
        try EnvironmentCatalog.checkDocumentedSpaces(
          of: "gym:LunarLander-v3", observation: .discrete(n: 2), action: .discrete(n: 2))
      }
      do {
        try EnvironmentCatalog.checkDocumentedSpaces(
          of: "minatar:Breakout", observation: .box(low: 0, high: 1, shape: [10, 10, 5], dtype: .uint8),
          action: .discrete(n: 3))
        Issue.record("other spaces were accepted")
      } catch {
        guard case .hosted(let failure) = error else {
          Issue.record("\(error)")
          return
        }
        #expect(failure.kind == .unexpectedSpaces && failure.environment == "minatar:Breakout")
        #expect(failure.message.contains("observation Box(0, 1, (10, 10, 5), uint8), action Discrete(3)"))
        #expect(failure.message.contains("give observation Box(0, 1, (10, 10, 4), uint8), action Discrete(6)"))
      }
    }
  }
}

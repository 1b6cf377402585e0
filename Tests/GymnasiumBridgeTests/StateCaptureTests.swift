import Environments
import Foundation
import Randomness
import Testing

@testable import GymnasiumBridge

extension BridgeSuite {
  /// GET_STATE / SET_STATE: a bridged vector environment captured mid-episode and restored into
  /// fresh workers continues bit for bit (MinAtar's five games, Atari through ALE with SB2's
  /// wrappers and the frame stack); a plain Gymnasium environment says it cannot and restarts.
  @Suite struct StateCaptureTests {
    /// Everything one step exposes, for comparison.
    struct Trace: Equatable {
      var observations: [UInt8] = []
      var rewards: [Float] = []
      var dones: [Bool] = []
      var episodes: [EpisodeRecord] = []
    }

    /// Steps `environment` with `actions[t]` and records what it shows.
    static func play(_ environment: any VectorizedEnvironment, _ actions: [[Double]]) throws -> Trace {
      var trace = Trace()
      for a in actions {
        try environment.step(a)
        trace.observations += Array(environment.observations.bytes)
        trace.rewards += environment.rewards
        trace.dones += environment.dones
        trace.episodes += environment.completedEpisodes
      }
      return trace
    }

    static func actions(_ count: Int, copies: Int, n: Int, seed: UInt32) -> [[Double]] {
      let random = RandomStream(seed: seed)
      return (0..<count).map { _ in (0..<copies).map { _ in Double(random.uniformInt(below: n)) } }
    }

    static func make(_ name: String, count: Int, runSeed: UInt64) throws -> any VectorizedEnvironment {
      try EnvironmentCatalog.makeVectorEnvironment(
        name, count: count, seeds: SeedSequence(runSeed: runSeed),
        configuration: .init(workerCount: min(2, count)))
    }

    /// Plays `before` steps, captures, plays `after` more; restores the capture into a fresh
    /// environment made with *another* run seed and plays the same `after` steps there.
    static func captureAndReplay(
      _ name: String, count: Int, actionCount: Int, before: Int, after: Int
    ) throws -> (original: Trace, restored: Trace, fidelity: EnvironmentCaptureFidelity, bytes: Int) {
      let first = try make(name, count: count, runSeed: 5)
      defer { RunCleanup.close(first) }
      let checkpointable = try #require(first as? any CheckpointableVectorEnvironment)
      first.reset()
      _ = try play(first, actions(before, copies: count, n: actionCount, seed: 1))
      var writer = BinaryStateWriter()
      let fidelity = checkpointable.captureState(into: &writer)
      let tail = actions(after, copies: count, n: actionCount, seed: 2)
      let original = try play(first, tail)

      let second = try make(name, count: count, runSeed: 77)
      defer { RunCleanup.close(second) }
      var reader = BinaryStateReader(writer.bytes)
      let restoredFidelity = try #require(second as? any CheckpointableVectorEnvironment)
        .restoreState(from: &reader, restartSeeds: SeedSequence(runSeed: 99))
      try reader.requireEnd("environment")
      #expect(restoredFidelity == fidelity)
      let restored = try play(second, tail)
      return (original, restored, fidelity, writer.bytes.count)
    }

    @Test(arguments: EnvironmentCatalog.minAtarGames)
    func minAtarResumesBitForBit(game: String) throws {
      let outcome = try Self.captureAndReplay("minatar:\(game)", count: 3, actionCount: 6, before: 120, after: 400)
      #expect(outcome.fidelity == .exact)
      #expect(outcome.restored.observations == outcome.original.observations, "observations after the restore")
      #expect(outcome.restored.rewards == outcome.original.rewards)
      #expect(outcome.restored.dones == outcome.original.dones)
      #expect(outcome.restored.episodes == outcome.original.episodes, "Monitor episodes, including the one in flight")
      // Freeway's episodes last 2,500 steps; in the others random play ends some within the replay.
      let crossesEpisodeEnds = outcome.original.dones.contains(true)
      #expect(crossesEpisodeEnds || game == "Freeway", "the replay crosses episode ends (resets drawn from the restored RNG)")
    }

    @Test func atariWithSB2WrappersAndFrameStackResumesBitForBit() throws {
      let outcome = try Self.captureAndReplay("atari:Breakout", count: 2, actionCount: 4, before: 60, after: 300)
      #expect(outcome.fidelity == .exact)
      #expect(outcome.restored == outcome.original)
      let crossesEpisodeEnds = outcome.original.dones.contains(true)
      #expect(crossesEpisodeEnds, "a life lost (EpisodicLife) or a game over inside the replay")
    }

    @Test func plainGymnasiumEnvironmentsSayTheyCannotAndRestartTheirEpisodes() throws {
      let outcome = try Self.captureAndReplay("gym:CartPole-v1", count: 2, actionCount: 2, before: 5, after: 20)
      guard case .restartsEpisodes(let reason) = outcome.fidelity else {
        Issue.record("CartPole through Gymnasium has no state API; the capture must say so")
        return
      }
      #expect(reason.contains("CartPoleEnv has no state API"), "\(reason)")
      let restarted = outcome.restored.observations != outcome.original.observations
      #expect(restarted, "episodes restart from derived seeds")
    }

    @Test func aDamagedCopyStateIsATypedErrorNamingTheCopy() throws {
      let first = try Self.make("minatar:Breakout", count: 2, runSeed: 5)
      defer { RunCleanup.close(first) }
      first.reset()
      var writer = BinaryStateWriter()
      #expect((first as! SubprocessVectorEnvironment).captureState(into: &writer) == .exact)
      // The first copy's state starts after the id, the count and the exact flag: flip a byte of
      // its magic.
      var bytes = writer.bytes
      let offset = 8 + "minatar:Breakout".utf8.count + 8 + 1 + 8
      #expect(Array(bytes[offset..<offset + 4]) == Array("ACBS".utf8))
      bytes[offset] ^= 0xFF
      let second = try Self.make("minatar:Breakout", count: 2, runSeed: 5)
      defer { RunCleanup.close(second) }
      var reader = BinaryStateReader(bytes)
      do {
        _ = try (second as! SubprocessVectorEnvironment).restoreState(from: &reader, restartSeeds: SeedSequence(runSeed: 1))
        Issue.record("a damaged state was accepted")
      } catch {
        #expect("\(error)".contains("copy 0") && "\(error)".contains("ACBS"), "\(error)")
      }
    }
  }
}

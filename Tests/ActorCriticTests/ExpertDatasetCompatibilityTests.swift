import ActorCritic
import Environments
import Foundation
import NumPyArchive
import Randomness
import Testing
import _TestSupport

@testable import NumPyArchive

/// Format compatibility with stable-baselines 2.10.2, both ways.
///
/// SB2 → ours: `sb2-expert-{cartpole,pendulum}.npz` were written by SB2's own
/// `generate_expert_traj` (`Tools/pretraining_reference.py expert`). Ours → SB2:
/// `ours-expert-cartpole.npz` was written by our `generateExpertTrajectories` (the expert of
/// ``BehaviorCloningTargetTests``) and loaded by SB2's `ExpertDataset` and `A2C.pretrain`
/// (`Tools/pretraining_reference.py reads-ours`), which recorded what it saw in
/// `sb2-reads-ours.json`. Here the recorded CRC-32 ties that record to the committed file, and the
/// committed file must still be what our writer produces for its arrays, byte for byte.
@Suite struct ExpertDatasetCompatibilityTests {
  @Test func stableBaselinesFilesLoadInOurs() throws {
    let cartPole = try ExpertTrajectories(contentsOf: PretrainingFixture.directory.appendingPathComponent("sb2-expert-cartpole.npz"))
    #expect(cartPole.observations.dtype == .float32 && cartPole.observations.shape == [774, 4])
    #expect(cartPole.actions.dtype == .int64 && cartPole.actions.shape == [774, 1])
    #expect(cartPole.rewards?.dtype == .float64 && cartPole.episodeStarts.dtype == .bool)
    #expect(cartPole.episodeReturns.doubles() == [233, 117, 169, 255])
    let dataset = try ExpertDataset(trajectories: cartPole, verbose: 0)
    #expect(dataset.numberOfTransitions == 774 && dataset.numberOfTrajectories == 4)
    #expect(dataset.trainIndices.count == 541)  // int(0.7 · 774), as SB2's split
    // The CartPole episodes are consecutive: each return equals the steps up to the next start.
    let starts = cartPole.episodeStarts.bools().enumerated().filter(\.element).map(\.offset)
    #expect(zip(starts, starts.dropFirst() + [774]).map { Double($1 - $0) } == cartPole.episodeReturns.doubles())

    let pendulum = try ExpertTrajectories(contentsOf: PretrainingFixture.directory.appendingPathComponent("sb2-expert-pendulum.npz"))
    #expect(pendulum.actions.dtype == .float32 && pendulum.actions.shape == [400, 1])
    #expect(pendulum.actions.floats().allSatisfy { abs($0) <= 2 })
    let model = try A2C(environment: try VectorEnvironment(id: "Pendulum-v1", count: 1, seeds: SeedSequence(runSeed: 0)))
    let progress = try model.pretrain(dataset: try ExpertDataset(trajectories: pendulum, verbose: 0), epochs: 2)
    #expect(progress.count == 2 && progress.allSatisfy { $0.trainingLoss.isFinite && $0.validationLoss.isFinite })
  }

  struct Record: Decodable {
    var file: String
    var crc32: UInt32
    var arrays: [String: [String: JSONValue]]
    var num_transition: Int
    var average_return: Double
    var pretrained_sb2_a2c_deterministic_returns: [Double]
  }

  @Test func ourFileIsTheOneStableBaselinesLoadedAndOurWriterStillProducesIt() throws {
    let url = PretrainingFixture.directory.appendingPathComponent("ours-expert-cartpole.npz")
    let bytes = Array(try Data(contentsOf: url))
    let record = try JSONDecoder().decode(
      Record.self, from: Data(contentsOf: PretrainingFixture.directory.appendingPathComponent("sb2-reads-ours.json")))
    #expect(record.file == "ours-expert-cartpole.npz")
    #expect(Deflate.crc32(bytes) == record.crc32)
    // NumPy saw SB2's dtypes and shapes.
    let trajectories = try ExpertTrajectories(contentsOf: url)
    let n = trajectories.count
    #expect(record.num_transition == n)
    #expect(record.arrays["obs"] == ["dtype": .string("float32"), "shape": .array([.number(Double(n)), .number(4)])])
    #expect(record.arrays["actions"] == ["dtype": .string("int64"), "shape": .array([.number(Double(n)), .number(1)])])
    #expect(record.arrays["episode_starts"] == ["dtype": .string("bool"), "shape": .array([.number(Double(n))])])
    #expect(abs(record.average_return - trajectories.episodeReturns.doubles().reduce(0, +) / 10) < 1e-9)
    // SB2's A2C pretrained on our file plays CartPole well.
    let sb2 = record.pretrained_sb2_a2c_deterministic_returns
    #expect(sb2.count == 10 && sb2.reduce(0, +) / 10 >= 450)
    // Our writer, given the arrays back, writes the same bytes.
    let rewritten = TemporaryFiles.path("rewritten").appendingPathExtension("npz")
    try trajectories.write(to: rewritten)
    #expect(Array(try Data(contentsOf: rewritten)) == bytes)
  }

  @Test func unreadableFilesAreTypedErrors() throws {
    let missing = PretrainingFixture.directory.appendingPathComponent("no-such-file.npz")
    #expect(throws: ExpertDataError.self) { try ExpertTrajectories(contentsOf: missing) }
    // An archive without `episode_starts`.
    let url = TemporaryFiles.path("partial").appendingPathExtension("npz")
    try NPZArchive(arrays: [("obs", try NumPyArray(float32: [1, 2], shape: [1, 2])), ("actions", try NumPyArray(int64: [0], shape: [1, 1]))]).write(to: url)
    #expect(throws: ExpertDataError.invalidArray(name: "episode_returns", reason: "missing from \(url.lastPathComponent) (it has obs, actions)")) {
      try ExpertTrajectories(contentsOf: url)
    }
  }
}

import Environments
import Foundation
import Randomness
import Testing

@testable import ActorCritic

/// The models' TensorBoard runs: SB2's folder numbering, tags and step conventions, the
/// `episode_reward` points, continued curves, and that logging leaves training unchanged.
@Suite struct TensorBoardSummaryTests {
  static let a2cTags: Set<String> = [
    "loss/entropy_loss", "loss/policy_gradient_loss", "loss/value_function_loss", "loss/loss",
    "input_info/discounted_rewards", "input_info/learning_rate", "input_info/advantage",
  ]
  static let acktrTags = a2cTags.union(["loss/policy_gradient_fisher_loss", "loss/value_function_fisher_loss"])
  static let acerTags: Set<String> = [
    "loss/entropy_loss", "loss/policy_gradient_loss", "loss/value_function_loss", "loss/loss", "input_info/rewards",
    "input_info/learning_rate", "input_info/advantage", "input_info/action_probability",
  ]

  private func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID().uuidString)", isDirectory: true)
  }

  /// Every scalar of every event file in `folder`, in file order, and the reader's warnings.
  private func scalars(in folder: URL) throws -> (scalars: [TensorBoardEventReader.Scalar], warnings: [String]) {
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("tfevents") }.sorted()
    var all: [TensorBoardEventReader.Scalar] = [], warnings: [String] = []
    for file in files {
      let read = TensorBoardEventReader.scalars(in: [UInt8](try Data(contentsOf: folder.appendingPathComponent(file))))
      all += read.scalars
      warnings += read.warnings
    }
    return (all, warnings)
  }

  @Test func runFoldersAreNumberedAsSB2s() throws {
    let log = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: log) }
    #expect(try TensorBoardRunFolder.folder(log: log, name: "A2C", newRun: true).lastPathComponent == "A2C_1")
    #expect(try TensorBoardRunFolder.folder(log: log, name: "A2C", newRun: false).lastPathComponent == "A2C_0")
    for name in ["A2C_1", "A2C_3", "A2C_x", "A2C2_9", "A2C_1_7", "ACER_8", "A2C_"] {
      try FileManager.default.createDirectory(at: log.appendingPathComponent(name), withIntermediateDirectories: true)
    }
    #expect(TensorBoardRunFolder.latestRunNumber(in: log, name: "A2C") == 3)
    #expect(try TensorBoardRunFolder.folder(log: log, name: "A2C", newRun: true).lastPathComponent == "A2C_4")
    #expect(try TensorBoardRunFolder.folder(log: log, name: "A2C", newRun: false).lastPathComponent == "A2C_3")
    #expect(try TensorBoardRunFolder.folder(log: log, name: "A2C_1", newRun: true).lastPathComponent == "A2C_1_8")
    for bad in ["", "a/b", "..", "."] {
      #expect(throws: LoggingError.invalidRunName(bad)) { try TensorBoardRunFolder.folder(log: log, name: bad, newRun: true) }
    }
  }

  /// A2C: SB2's seven tags at `update·n_batch`, values those of the update (`history`), and one
  /// `episode_reward` point per episode at SB2's step (`N + t + 1` within its rollout, the next
  /// rollout's `N′` for an episode ending on a rollout's last step).
  @Test func a2cWritesSB2sTagsStepsAndEpisodeRewards() throws {
    let log = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: log) }
    let E = 8, T = 5, B = 40
    let model = try A2C(environment: try cartPole(count: E), seed: 2, tensorboardLog: log)
    try model.learn(totalTimesteps: 2_000)
    #expect(model.state.tensorboardRunFolder?.lastPathComponent == "A2C_1")
    let read = try scalars(in: log.appendingPathComponent("A2C_1"))
    #expect(read.warnings.isEmpty)
    let updates = read.scalars.filter { $0.tag != "episode_reward" }
    #expect(Set(updates.map(\.tag)) == Self.a2cTags)
    for tag in Self.a2cTags {
      #expect(updates.filter { $0.tag == tag }.map(\.step) == (1...50).map { Int64($0 * B) }, "\(tag)")
    }
    let history = model.history
    #expect(updates.filter { $0.tag == "loss/policy_gradient_loss" }.map(\.value) == history.map { Float($0.policyLoss) })
    #expect(updates.filter { $0.tag == "loss/entropy_loss" }.map(\.value) == history.map { Float($0.entropy) })
    #expect(updates.filter { $0.tag == "loss/value_function_loss" }.map(\.value) == history.map { Float($0.valueLoss) })
    #expect(updates.filter { $0.tag == "input_info/learning_rate" }.allSatisfy { $0.value == Float(7e-4) })
    for (loss, (pg, (entropy, vf))) in zip(
      updates.filter { $0.tag == "loss/loss" }.map(\.value),
      zip(history.map(\.policyLoss), zip(history.map(\.entropy), history.map(\.valueLoss))))
    {
      #expect(abs(Double(loss) - (pg - 0.01 * entropy + 0.25 * vf)) <= 1e-6 * max(1, abs(Double(loss))))
    }

    // Episodes: where SB2 logs each one (CartPole: the return is the length).
    var expected: [(Int64, Float)] = []
    for episode in model.episodes {
      let step = episode.timesteps / E - 1  // index of its last step in the whole run, per env
      let rolloutEnd = (step / T + 1) * B  // N of its rollout
      let t = step % T
      guard t < T - 1 || rolloutEnd < 2_000 else { continue }  // logged by the next rollout, if any
      expected.append((Int64(t < T - 1 ? rolloutEnd + t + 1 : rolloutEnd + B), Float(episode.episodeReturn)))
    }
    let points = read.scalars.filter { $0.tag == "episode_reward" }.map { ($0.step, $0.value) }
    #expect(points.count == expected.count && points.count > 50)
    let order: ((Int64, Float), (Int64, Float)) -> Bool = { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    #expect(points.sorted(by: order).map(\.0) == expected.sorted(by: order).map(\.0))
    #expect(points.sorted(by: order).map(\.1) == expected.sorted(by: order).map(\.1))
  }

  /// ACKTR: its nine tags at `⌊N/(n_batch+1)⌋·(n_batch+1)` (update 1 at step 0); the Fisher
  /// losses as SB2 defines them.
  @Test func acktrWritesSB2sTagsAtItsSteps() throws {
    let log = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: log) }
    let model = try ACKTR(environment: try cartPole(count: 4), seed: 1, tensorboardLog: log)
    try model.learn(totalTimesteps: 800)  // B = 80, 10 updates
    let read = try scalars(in: log.appendingPathComponent("ACKTR_1"))
    let updates = read.scalars.filter { $0.tag != "episode_reward" }
    #expect(Set(updates.map(\.tag)) == Self.acktrTags)
    let expectedSteps: [Int64] = (1...10).map { (update: Int) -> Int64 in Int64(update * 80 / 81 * 81) }
    #expect(updates.filter { $0.tag == "loss/loss" }.map(\.step) == expectedSteps)
    #expect(updates.filter { $0.tag == "loss/loss" }.first?.step == 0)
    // log π ≤ 0 for a Categorical; −c_F·mean n² < 0 (c_F = 1).
    #expect(updates.filter { $0.tag == "loss/policy_gradient_fisher_loss" }.allSatisfy { $0.value < 0 && $0.value > -1 })
    #expect(updates.filter { $0.tag == "loss/value_function_fisher_loss" }.allSatisfy { $0.value < 0 })
    #expect(
      updates.filter { $0.tag == "loss/policy_gradient_loss" }.map(\.value)
        == model.history.map { Float($0.policyLoss) })
  }

  /// ACER: its eight tags at `num_timesteps` of each on-policy step; μ of two actions averages ½.
  @Test func acerWritesSB2sTagsAtItsSteps() throws {
    let log = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: log) }
    var configuration = ACERConfiguration()
    configuration.replayStart = 40
    let model = try ACER(environment: try cartPole(count: 2), configuration: configuration, seed: 0, tensorboardLog: log)
    try model.learn(totalTimesteps: 800)  // B = 40
    let read = try scalars(in: log.appendingPathComponent("ACER_1"))
    let updates = read.scalars.filter { $0.tag != "episode_reward" }
    #expect(Set(updates.map(\.tag)) == Self.acerTags)
    #expect(updates.filter { $0.tag == "loss/loss" }.map(\.step) == (1...20).map { Int64($0 * 40) })
    #expect(updates.filter { $0.tag == "input_info/action_probability" }.allSatisfy { abs($0.value - 0.5) < 1e-6 })
    #expect(updates.filter { $0.tag == "input_info/rewards" }.allSatisfy { $0.value == 1 })
    #expect(updates.filter { $0.tag == "loss/value_function_loss" }.map(\.value) == model.history.map { Float($0.valueLoss) })
    // Deviation from SB2 (see ACER+Logging): the logged rewards are the episodes' true returns
    // (CartPole: their lengths); an episode ending on the last rollout's last step is not logged yet.
    let rewards = read.scalars.filter { $0.tag == "episode_reward" }.map(\.value)
    let returns = model.episodes.filter { $0.timesteps != 800 }.map { Float($0.episodeReturn) }
    #expect(rewards.count > 10)
    #expect(rewards.sorted() == returns.sorted())
  }

  /// `learn` again makes `A2C_2`; `resetNumTimesteps: false` continues `A2C_2` in a second event
  /// file whose steps follow the first's; a custom name gets its own numbering.
  @Test func learnAgainMakesANewRunAndContinuingKeepsTheCurve() throws {
    let log = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: log) }
    let model = try A2C(environment: try cartPole(count: 4), seed: 0, tensorboardLog: log)
    try model.learn(totalTimesteps: 200)
    try model.learn(totalTimesteps: 200)
    #expect(model.state.tensorboardRunFolder?.lastPathComponent == "A2C_2")
    try model.learn(totalTimesteps: 200, resetNumTimesteps: false)
    #expect(model.state.tensorboardRunFolder?.lastPathComponent == "A2C_2")
    let second = log.appendingPathComponent("A2C_2")
    #expect(try FileManager.default.contentsOfDirectory(atPath: second.path).filter { $0.contains("tfevents") }.count == 2)
    let steps = try scalars(in: second).scalars.filter { $0.tag == "loss/loss" }.map(\.step)
    #expect(steps == (1...20).map { Int64($0 * 20) })
    try model.learn(totalTimesteps: 200, tbLogName: "mine")
    #expect(model.state.tensorboardRunFolder?.lastPathComponent == "mine_1")
    #expect(try FileManager.default.contentsOfDirectory(atPath: log.path).sorted() == ["A2C_1", "A2C_2", "mine_1"])
  }

  /// Summaries are computed only when written, and never change the numbers: the same seed
  /// with and without a TensorBoard log gives bit-identical parameters and losses.
  @Test func loggingLeavesTrainingBitIdentical() throws {
    let log = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: log) }
    func a2c(_ log: URL?) throws -> any ActorCriticModel {
      try A2C(environment: try cartPole(count: 4), seed: 5, tensorboardLog: log)
    }
    func acktr(_ log: URL?) throws -> any ActorCriticModel {
      try ACKTR(environment: try cartPole(count: 4), seed: 5, tensorboardLog: log)
    }
    func acer(_ log: URL?) throws -> any ActorCriticModel {
      var configuration = ACERConfiguration()
      configuration.replayStart = 40
      return try ACER(environment: try cartPole(count: 2), configuration: configuration, seed: 5, tensorboardLog: log)
    }
    for make in [a2c, acktr, acer] {
      let plain = try make(nil), logged = try make(log)
      try plain.learn(totalTimesteps: 1_600)
      try logged.learn(totalTimesteps: 1_600)
      #expect(plain.parameters() == logged.parameters())
      #expect(plain.history.map(\.policyLoss) == logged.history.map(\.policyLoss))
      #expect(plain.history.map(\.gradientNorm) == logged.history.map(\.gradientNorm))
      #expect(plain.episodes == logged.episodes)
      #expect(logged.state.tensorboardRunFolder != nil && plain.state.tensorboardRunFolder == nil)
    }
  }

  /// The JSON-lines mirror holds the same dumps as the event file, value for value.
  @Test func summaryWritersMirrorTheEventFile() throws {
    let log = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: log) }
    let model = try A2C(environment: try cartPole(count: 4), seed: 0, tensorboardLog: log)
    let mirror = log.appendingPathComponent("a2c.jsonl")
    model.state.summaryWriters = [try JSONLinesWriter(url: mirror, stepKey: "step")]
    try model.learn(totalTimesteps: 400)
    var fromJSON: [(String, Int64, Float)] = []
    for line in try String(contentsOf: mirror, encoding: .utf8).split(separator: "\n") {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let step = try #require(object["step"] as? Int)
      for (tag, value) in object where tag != "step" {
        fromJSON.append((tag, Int64(step), Float(try #require(value as? Double))))
      }
    }
    let fromEvents = try scalars(in: log.appendingPathComponent("A2C_1")).scalars.map { ($0.tag, $0.step, $0.value) }
    let order: ((String, Int64, Float), (String, Int64, Float)) -> Bool = {
      ($0.1, $0.0, $0.2) < ($1.1, $1.0, $1.2)
    }
    #expect(fromJSON.count == fromEvents.count && fromJSON.count > 70)
    #expect(fromJSON.sorted(by: order).map(\.0) == fromEvents.sorted(by: order).map(\.0))
    #expect(fromJSON.sorted(by: order).map(\.2) == fromEvents.sorted(by: order).map(\.2))
  }

  /// A damaged record in a training run's event file is skipped with a warning, never trusted;
  /// the records around it are read.
  @Test func aCorruptedRecordOfATrainingRunIsSkippedWithAWarning() throws {
    let log = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: log) }
    let model = try A2C(environment: try cartPole(count: 4), seed: 0, tensorboardLog: log)
    try model.learn(totalTimesteps: 400)
    let folder = log.appendingPathComponent("A2C_1")
    let file = folder.appendingPathComponent(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.contains("tfevents") }!)
    var bytes = [UInt8](try Data(contentsOf: file))
    let intact = TensorBoardEventReader.scalars(in: bytes)
    #expect(intact.warnings.isEmpty)
    let records = TFRecord.records(in: bytes).payloads
    // Flip a byte inside the third record's payload (file version, update 1, …).
    let offset = records.prefix(2).reduce(0) { $0 + $1.count + 16 } + 12 + 5
    bytes[offset] ^= 0x01
    let damaged = TensorBoardEventReader.scalars(in: bytes)
    #expect(damaged.warnings.count == 1 && damaged.warnings[0].contains("data CRC mismatch"))
    let lost = TensorBoardEventReader.decodeEvent(records[2])!.count
    #expect(damaged.scalars.count == intact.scalars.count - lost)
  }

  /// The table SB2 prints at `verbose = 1` goes to the model's logger: A2C's keys on updates 1,
  /// 5, 10 for `log_interval` 5; ACER's on its iterations 0, 5 (updates 1 and 6).
  @Test func verboseTablesGoToTheLogger() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var configuration = A2CConfiguration()
    configuration.verbose = 1
    let a2c = try A2C(environment: try cartPole(count: 8), configuration: configuration, seed: 0)
    a2c.logger = Logger(writers: [try CSVWriter(url: folder.appendingPathComponent("a2c.csv"))])
    try a2c.learn(totalTimesteps: 400, callback: nil, logInterval: 5, resetNumTimesteps: true)
    let lines = try String(contentsOf: folder.appendingPathComponent("a2c.csv"), encoding: .utf8).split(separator: "\n")
    #expect(
      lines[0] == "nupdates,total_timesteps,fps,policy_entropy,value_loss,explained_variance,ep_reward_mean,ep_len_mean")
    #expect(lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[0] } == ["1", "5", "10"])
    #expect(lines[1].hasSuffix(",,"))  // no episode had ended after update 1: SB2 leaves the means out

    var acerConfiguration = ACERConfiguration()
    acerConfiguration.verbose = 1
    let acer = try ACER(environment: try cartPole(count: 2), configuration: acerConfiguration, seed: 0)
    acer.logger = Logger(writers: [try CSVWriter(url: folder.appendingPathComponent("acer.csv"))])
    try acer.learn(totalTimesteps: 400, callback: nil, logInterval: 5, resetNumTimesteps: true)
    let acerLines = try String(contentsOf: folder.appendingPathComponent("acer.csv"), encoding: .utf8)
      .split(separator: "\n")
    #expect(
      acerLines[0]
        == "total_timesteps,fps,mean_episode_length,mean_episode_reward,loss,loss_q,entropy,loss_policy,loss_f,loss_bc,explained_variance,norm_grads,avg_norm_k,avg_norm_g,avg_norm_k_dot_g,avg_norm_adj"
    )
    #expect(acerLines.dropFirst().map { $0.split(separator: ",")[0] } == ["40", "240"])
    #expect(acerLines[1].split(separator: ",")[1] == "0")  // fps of iteration 0: int(0 / seconds)
  }

  @Test func badLogDestinationsAreTypedErrors() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("not-a-folder")
    try Data().write(to: file)
    let model = try A2C(environment: try cartPole(count: 2), seed: 0, tensorboardLog: file)
    #expect(throws: LoggingError.self) { try model.learn(totalTimesteps: 40) }
    model.tensorboardLog = folder
    #expect(throws: LoggingError.invalidRunName("a/b")) {
      try model.learn(totalTimesteps: 40, tbLogName: "a/b")
    }
    try model.learn(totalTimesteps: 40)
    #expect(model.state.tensorboardRunFolder?.lastPathComponent == "A2C_1")
  }
}

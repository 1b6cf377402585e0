import Foundation
import Testing

@testable import ActorCritic

/// The logger and its writers against stable-baselines 2's own `logger.py`: the expected texts
/// below were printed by SB2 2.10.2's `HumanOutputFormat`, `CSVOutputFormat` and Python's
/// `json.dumps` on the same records.
@Suite struct LoggerTests {
  private func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("logger-\(UUID().uuidString)").appendingPathComponent(name)
  }

  @Test func humanTableIsSB2sByteForByte() throws {
    // SB2's A2C table (record_tabular order; the writer sorts).
    let a2c = LogRecord([
      "nupdates": 1, "total_timesteps": 40, "fps": 1204, "policy_entropy": .real(0.6926823258399963),
      "value_loss": 0.5, "explained_variance": .real(-0.018349647521972656), "ep_reward_mean": 23.25,
      "ep_len_mean": 23.25,
    ])
    #expect(
      HumanReadableWriter.table(a2c)! + "\n"
        == "---------------------------------\n| ep_len_mean        | 23.2     |\n| ep_reward_mean     | 23.2     |\n| explained_variance | -0.0183  |\n| fps                | 1204     |\n| nupdates           | 1        |\n| policy_entropy     | 0.693    |\n| total_timesteps    | 40       |\n| value_loss         | 0.5      |\n---------------------------------\n"
    )
    // Truncation past 23 characters, nan, large values, text, integers, inf.
    let odd = LogRecord([
      "a_very_long_key_name_that_is_cut": 1e-05, "b": .real(.nan), "c": -1234567.0, "d": "text", "e": 100,
      "f": .real(.infinity),
    ])
    #expect(
      HumanReadableWriter.table(odd)! + "\n"
        == "---------------------------------------\n| a_very_long_key_name... | 1e-05     |\n| b                       | nan       |\n| c                       | -1.23e+06 |\n| d                       | text      |\n| e                       | 100       |\n| f                       | inf       |\n---------------------------------------\n"
    )
    #expect(HumanReadableWriter.table(LogRecord()) == nil)
  }

  @Test func humanWriterWritesTheTableToItsFile() throws {
    let url = temporaryFile("log.txt")
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let logger = Logger(writers: [try HumanReadableWriter(url: url)])
    logger.record("fps", 10)
    try logger.dump(step: 1)
    try logger.dump(step: 2)  // empty: nothing written
    #expect(try String(contentsOf: url, encoding: .utf8) == "------------\n| fps | 10 |\n------------\n")
  }

  @Test func csvExtendsItsHeaderAsSB2Does() throws {
    let url = temporaryFile("progress.csv")
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let logger = Logger(writers: [try CSVWriter(url: url)])
    for (a, b, c) in [(LogValue?.some(1), LogValue?.some(0.1), LogValue?.none), (2, 1e-05, nil), (3, nil, .real(.nan)),
      (nil, 100.0, 1e16)]
    {
      if let a { logger.record("a", a) }
      if let b { logger.record("b", b) }
      if let c { logger.record("c", c) }
      try logger.dump(step: 0)
    }
    #expect(try String(contentsOf: url, encoding: .utf8) == "a,b,c\n1,0.1,\n2,1e-05,\n3,,nan\n,100.0,1e+16\n")
  }

  @Test func jsonLinesAreWhatPythonsJSONWrites() throws {
    let url = temporaryFile("progress.json")
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let writer = try JSONLinesWriter(url: url, stepKey: "step")
    let record = LogRecord([
      "loss/loss": 0.1, "x": 1e-05, "n": .real(.nan), "i": .real(-.infinity), "s": "é\"\n",
    ])
    try writer.write(record, step: 3)
    #expect(
      try String(contentsOf: url, encoding: .utf8)
        == #"{"step": 3, "loss/loss": 0.1, "x": 1e-05, "n": NaN, "i": -Infinity, "s": "\u00e9\"\n"}"# + "\n")
  }

  @Test func recordKeepsTheLastValueAndRecordMeanAverages() throws {
    let url = temporaryFile("progress.json")
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let logger = Logger(writers: [try JSONLinesWriter(url: url)])
    logger.record("a", 1)
    logger.record("b", 5)
    logger.record("a", 2)
    for x in [1.0, 2.0, 6.0] { logger.recordMean("m", x) }
    #expect(logger.pending.keys == ["a", "b", "m"])
    try logger.dump(step: 0)
    #expect(logger.pending.isEmpty)
    logger.recordMean("m", 7)
    try logger.dump(step: 1)
    #expect(try String(contentsOf: url, encoding: .utf8) == "{\"a\": 2, \"b\": 5, \"m\": 3.0}\n{\"m\": 7.0}\n")
  }

  @Test func tensorBoardWriterWritesNumbersAtTheDumpStep() throws {
    let folder = temporaryFile("run")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let writer = try TensorBoardScalarWriter(directory: folder, clock: { 1_700_000_000 }, hostname: "test")
    let logger = Logger(writers: [writer])
    logger.record("loss", 0.25)
    logger.record("name", "text is left out")
    logger.record("count", 3)
    try logger.dump(step: 40)
    try logger.flush()
    let read = TensorBoardEventReader.scalars(in: [UInt8](try Data(contentsOf: writer.url)))
    #expect(read.warnings.isEmpty)
    #expect(read.scalars.map(\.tag) == ["loss", "count"])
    #expect(read.scalars.map(\.value) == [0.25, 3])
    #expect(read.scalars.allSatisfy { $0.step == 40 && $0.wallTime == 1_700_000_000 })
  }

  @Test func aSecondEventFileInTheSameSecondDoesNotOverwriteTheFirst() throws {
    let folder = temporaryFile("run")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let first = try TensorBoardEventWriter(directory: folder, wallTime: 1_700_000_000, hostname: "h")
    try first.add(scalars: [("x", 1)], step: 1)
    try first.flush()
    let second = try TensorBoardEventWriter(directory: folder, wallTime: 1_700_000_000, hostname: "h")
    #expect(second.url.lastPathComponent == "events.out.tfevents.1700000000.h.1")
    #expect(TensorBoardEventReader.scalars(in: [UInt8](try Data(contentsOf: first.url))).scalars.count == 1)
  }

  @Test func unwritablePathsAreTypedErrors() throws {
    let file = temporaryFile("plain-file")
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data().write(to: file)
    #expect(throws: LoggingError.self) { try CSVWriter(url: file.appendingPathComponent("progress.csv")) }
    #expect(throws: LoggingError.self) { try TensorBoardScalarWriter(directory: file.appendingPathComponent("run")) }
  }
}

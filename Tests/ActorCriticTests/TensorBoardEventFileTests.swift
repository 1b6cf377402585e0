import Foundation
import Testing

@testable import ActorCritic

/// TensorBoard event files written natively, checked against the golden records of
/// pixels-and-bridge.md §6 (produced by an independent writer and read back by tensorboard 2.21).
@Suite struct TensorBoardEventFileTests {
  private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

  @Test func crc32cMatchesItsCheckValue() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([]) == 0)
  }

  @Test func recordsMatchTheGoldenBytes() {
    #expect(
      hex(TFRecord.frame(TensorBoardEvent.fileVersion(wallTime: 1_700_000_000).encoded))
        == "1800000000000000a37f4b220900000040fc54d9411a0d627261696e2e4576656e743a32eced8f9d")
    let scalar = TensorBoardEvent.scalars(wallTime: 1_700_000_003, step: 3, values: [("rollout/ep_rew_mean", 1.5)])
    #expect(
      hex(TFRecord.frame(scalar.encoded))
        == "290000000000000037ff5f00090000c040fc54d94110032a1c0a1a0a13726f6c6c6f75742f65705f7265775f6d65616e150000c03f88e920a9")
  }

  /// Written, read back; a record whose data CRC is damaged is skipped with a warning, never
  /// trusted, and the records after it are still read.
  @Test func writerRoundTripsAndCorruptRecordsAreSkipped() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let writer = try TensorBoardEventWriter(directory: directory, wallTime: 1_700_000_000, hostname: "test")
    #expect(writer.url.lastPathComponent == "events.out.tfevents.1700000000.test")
    for step in 1...3 {
      try writer.add(
        scalars: [("train/loss", Float(step) / 4), ("rollout/ep_len_mean", Float(10 * step))], step: Int64(step),
        wallTime: 1_700_000_000 + Double(step))
    }
    try writer.flush()
    var bytes = [UInt8](try Data(contentsOf: writer.url))
    let read = TensorBoardEventReader.scalars(in: bytes)
    #expect(read.warnings.isEmpty)
    #expect(read.scalars.count == 6)
    #expect(read.scalars.filter { $0.tag == "train/loss" }.map(\.value) == [0.25, 0.5, 0.75])
    #expect(read.scalars.map(\.step) == [1, 1, 2, 2, 3, 3])

    // Damage one byte inside the second scalar record's payload.
    let first = TFRecord.frame(TensorBoardEvent.fileVersion(wallTime: 1_700_000_000).encoded).count
    let second = TFRecord.frame(
      TensorBoardEvent.scalars(
        wallTime: 1_700_000_001, step: 1, values: [("train/loss", 0.25), ("rollout/ep_len_mean", 10)]
      ).encoded
    ).count
    bytes[first + second + 20] ^= 0x40
    let damaged = TensorBoardEventReader.scalars(in: bytes)
    #expect(damaged.warnings.count == 1 && damaged.warnings[0].contains("data CRC mismatch"))
    #expect(damaged.scalars.map(\.step) == [1, 1, 3, 3])

    // A truncated tail ends the scan with a warning.
    let truncated = TensorBoardEventReader.scalars(in: Array(bytes.prefix(bytes.count - 3)))
    #expect(truncated.warnings.last?.contains("truncated") == true)
  }
}

import Foundation
import Testing

@testable import BenchmarkSuite

/// `bench status` shows how a long run is learning: the newest checkpoint's last curve row, read
/// by seeking past the model section (a replay buffer of gigabytes is never read).
@Suite struct StatusProgressTests {
  /// `bench status --suite smoke --algorithms a2c --environments CartPole-v1 --seeds 1 --start-seed 3 --timesteps 10000`.
  func plan() throws -> RunPlan {
    try RunPlan(
      suiteName: "smoke", algorithms: [.a2c], environments: ["CartPole-v1"], seeds: 1, startSeed: 3, timesteps: 10_000,
      shard: nil)
  }

  /// Writes a checkpoint of `run` whose model section is `modelBytes` bytes and whose curve has
  /// `rows` (each: timesteps, episodes, last-100 mean).
  func writeCheckpoint(_ store: ResultsStore, modelBytes: Int, rows: [(Int, Int, Double)]) throws -> URL {
    let run = try #require(try plan().runs.first)
    let recorder = CurveRecorder(totalTimesteps: 10_000)
    recorder.rows = rows.map { t, episodes, mean in
      ["\(t)", "\(t / 40)", "\(episodes)", "\(mean)", "20.0", "0.1", "0.2", "0.6", "0.5", "0.0007"]
    }
    let checkpoint = RunCheckpoint(
      header: RunCheckpoint.Header(
        run: run, build: RunCheckpoint.currentBuild, updates: 100, timesteps: rows.last?.0 ?? 0, totalTimesteps: 10_000,
        trainingComplete: false, environmentExact: true, episodeRestarts: [], trainingSeconds: 20, payloadBytes: 0),
      model: [UInt8](repeating: 0xAB, count: modelBytes), curve: recorder.captureState())
    let checkpoints = try CheckpointStore(store: store, run: run)
    try checkpoints.write(try checkpoint.encoded(), update: 100)
    return try #require(checkpoints.files().first?.url)
  }

  @Test("The newest curve row's last-100 return is read past the model section and shown by bench status")
  func showsTheReturnSoFar() throws {
    let store = ResultsStore(root: FakeResults.folder())
    let url = try writeCheckpoint(store, modelBytes: 3_000_001, rows: [(2_000, 40, 21.5), (4_000, 75, 87.25)])
    let rows = try CurveRecorder.savedRows(try RunCheckpoint.readCurveSection(at: url))
    #expect(rows.map { $0[0] } == ["2000", "4000"])
    let progress = try #require(RunStatus.latestLastHundred(at: url))
    #expect(progress.meanReturn == 87.25 && progress.episodes == 75)
    let text = RunStatus.report(RunStatus.of(try plan(), in: store))
    #expect(text.contains("4,000/10,000 steps (40%), update 100, last-100 return 87.25 after 75 episodes"), "\(text)")
    // 4,000 steps in 20 s of training: 200 steps/s, so the 6,000 left take 30 s at that rate.
    #expect(text.contains("after 75 episodes, trained 20.0 s at 200 steps/s, ≈ 30.0 s of training left at that rate, "), "\(text)")
  }

  @Test("No curve row yet, or a damaged section length: no return shown, and nothing thrown")
  func withoutRowsNothingIsShown() throws {
    let store = ResultsStore(root: FakeResults.folder())
    let url = try writeCheckpoint(store, modelBytes: 100, rows: [])
    #expect(RunStatus.latestLastHundred(at: url) == nil)
    // A model-section length pointing past the end of the file is refused, not followed.
    var bytes = Array(try Data(contentsOf: url))
    let headerLength = bytes[12..<20].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    for k in 0..<8 { bytes[20 + headerLength + k] = 0xFF }
    try Data(bytes).write(to: url)
    #expect(throws: (any Error).self) { try RunCheckpoint.readCurveSection(at: url) }
    #expect(RunStatus.latestLastHundred(at: url) == nil)
    // So is a header length of 2⁶⁴ − 1 (no overflow on the way).
    for k in 0..<8 { bytes[12 + k] = 0xFF }
    try Data(bytes).write(to: url)
    #expect(throws: (any Error).self) { try RunCheckpoint.readCurveSection(at: url) }
  }
}

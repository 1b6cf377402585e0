import ActorCritic
import BenchmarkSuite
import Foundation
import Testing

/// `bench run --tensorboard DIR`: one TensorBoard run per (environment, algorithm, seed) at
/// `DIR/<suite>/<env>/<algorithm>/seed-<n>_1`, in this process and through `--jobs` children.
@Suite struct TensorBoardRunTests {
  private func temporaryFolder(_ label: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("acb-\(label)-\(UUID().uuidString)", isDirectory: true)
  }

  private func eventFiles(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.contains("tfevents") }
  }

  /// A redone run replaces the TensorBoard runs of its earlier attempt (`seed-0_*`), and leaves
  /// other seeds' alone.
  @Test func aRunWritesItsTensorBoardRunAndReplacesAnEarlierAttempt() throws {
    let root = temporaryFolder("tb-results"), tensorboard = temporaryFolder("tb")
    defer {
      try? FileManager.default.removeItem(at: root)
      try? FileManager.default.removeItem(at: tensorboard)
    }
    let plan = try RunPlan(
      suiteName: "smoke", algorithms: [.a2c], environments: [], seeds: 1, startSeed: 0, timesteps: 400, shard: nil)
    let run = try #require(plan.runs.first)
    let folder = RunExecutor.tensorBoardRunFolder(of: run, in: tensorboard)
    #expect(folder.path.hasSuffix("smoke/CartPole-v1/a2c/seed-0_1"))
    let parent = folder.deletingLastPathComponent()
    for stale in ["seed-0_1", "seed-0_2", "seed-01_1"] {
      try FileManager.default.createDirectory(at: parent.appendingPathComponent(stale), withIntermediateDirectories: true)
    }
    try Data("old".utf8).write(to: folder.appendingPathComponent("events.out.tfevents.1.old"))
    var runner = SuiteRunner(plan: plan, store: ResultsStore(root: root), jobs: 1, commandLine: ["bench"])
    runner.progressOutput = { _ in }
    runner.tensorboard = tensorboard
    #expect(try runner.run().completed == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).sorted() == ["seed-01_1", "seed-0_1"])
    let files = eventFiles(in: folder)
    #expect(files.count == 1 && !files[0].hasSuffix(".old"))
    let read = TensorBoardEventReader.scalars(in: [UInt8](try Data(contentsOf: folder.appendingPathComponent(files[0]))))
    #expect(read.warnings.isEmpty)
    #expect(read.scalars.filter { $0.tag == "loss/loss" }.count == 400 / 40)
  }

  @Test func childProcessesWriteTheirRunsToo() throws {
    try BenchBinary.require()
    let root = temporaryFolder("tb-jobs-results"), tensorboard = temporaryFolder("tb-jobs")
    defer {
      try? FileManager.default.removeItem(at: root)
      try? FileManager.default.removeItem(at: tensorboard)
    }
    let outcome = try BenchBinary.run([
      "run", "--suite", "smoke", "--algorithms", "a2c", "acer", "--seeds", "1", "--timesteps", "400", "--jobs", "2",
      "--results", root.path, "--tensorboard", tensorboard.path,
    ])
    #expect(outcome.status == 0, "\(outcome.error)")
    for algorithm in ["a2c", "acer"] {
      let folder = tensorboard.appendingPathComponent("smoke/CartPole-v1/\(algorithm)/seed-0_1")
      #expect(eventFiles(in: folder).count == 1, "\(algorithm)")
    }
  }
}

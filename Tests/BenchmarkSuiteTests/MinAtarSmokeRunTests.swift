import BenchmarkSuite
import Foundation
import Testing

/// The pixel path end to end, as CI runs it: `bench run --suite minatar` through the Gymnasium
/// bridge (MinAtar's game in Python workers, MinAtar's CNN in Swift) for all three algorithms at a
/// small budget, then `bench check` and `bench report` on the folder. Needs the project's Python
/// environment (`scripts/setup.sh`); without it the run fails with the bridge's message.
@Suite("bench run --suite minatar: the pixel path end to end", .serialized)
struct MinAtarSmokeRunTests {
  init() throws { try BenchBinary.require() }

  @Test("All three algorithms train on MinAtar Breakout through the bridge, are evaluated, checked and reported")
  func smoke() throws {
    let results = FakeResults.folder("minatar-smoke")
    // 16 copies × 240 steps: 48 A2C updates, 12 ACKTR updates (past K-FAC's 10 cold updates, so
    // the eigendecomposition runs), 12 ACER updates.
    let run = try BenchBinary.run([
      "run", "--suite", "minatar", "--environments", "minatar:Breakout", "--seeds", "1", "--timesteps", "3840",
      "--evaluation-timesteps", "300", "--results", results.path,
    ])
    #expect(run.status == 0, "\(run.error)")
    #expect(run.output.contains("3 runs completed"))
    let store = ResultsStore(root: results)
    let summaries = try store.completedSummaries(suite: "minatar").sorted { $0.run.entry.algorithm < $1.run.entry.algorithm }
    #expect(summaries.map(\.run.entry.algorithm) == [.a2c, .acktr, .acer])
    for summary in summaries {
      #expect(summary.timesteps == 3840)
      #expect(summary.trainingEpisodes > 0, "\(summary.run.identifier)")
      #expect(summary.evaluation?.timesteps ?? 0 <= 300)
      #expect(summary.run.entry.evaluationTimesteps == 300)
    }
    let check = try BenchBinary.run(["check", "--results", results.path, "--bootstrap-reps", "200"])
    #expect(check.status == 0, "\(check.output)\(check.error)")
    #expect(
      check.output.split(separator: "\n").contains {
        $0.hasPrefix("minatar:Breakout") && $0.contains("DQN") && $0.contains("MinAtar paper")
      })
    let paper = FakeResults.folder("minatar-smoke-paper")
    let report = try BenchBinary.run(["report", "--results", results.path, "--out", paper.path, "--bootstrap-reps", "200"])
    #expect(report.status == 0, "\(report.error)")
    let text = try String(contentsOf: paper.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(text.contains("on the `minatar` suite") && text.contains("minatar:Breakout"))
  }

  @Test("The committed MinAtar random anchors are what bench random-policy measures through the bridge (4 fast games)")
  func randomAnchors() throws {
    // Freeway's episodes are 2,500 steps (250,000 for the committed 100): left to the command.
    for game in ["Asterix", "Breakout", "Seaquest", "SpaceInvaders"] {
      let measured = try RandomPolicyBaseline.measureVectorized(environment: "minatar:\(game)", episodes: 100, seed: 0)
      #expect(measured.meanReturn == ScoreAnchors.measuredMinAtarRandomReturns["minatar:\(game)"], "\(game)")
    }
    let anchors = try ScoreAnchors.forEnvironment("minatar:SpaceInvaders")
    #expect(anchors.reference == 185 && anchors.referenceSource.hasPrefix("MinAtar paper AC(λ=0.8)"))
  }
}

import Foundation
import Testing

@testable import BenchmarkSuite

/// A run's evaluation reports its own progress, so `bench run` does not sit at 100% for the
/// minutes a 150,000-step Pong evaluation takes.
@Suite struct EvaluationProgressTests {
  private func plan(evaluationTimesteps: Int) throws -> RunPlan {
    try RunPlan(
      suiteName: "smoke", algorithms: [.a2c], environments: [], seeds: 1, startSeed: 0, timesteps: 400, shard: nil,
      evaluationTimesteps: evaluationTimesteps)
  }

  @Test func childLinesRoundTripAndOtherLinesAreNotProgress() {
    for report in [RunProgress.training(steps: 0), .training(steps: 1_234_567), .evaluating(steps: 2048, of: 150_000)] {
      #expect(RunProgress(line: report.line) == report)
    }
    #expect(RunProgress.evaluating(steps: 1024, of: 3000).line == "evaluating 1024 3000")
    for line in [
      "progress", "progress x", "progress -1", "progress 1 2", "evaluating 5", "evaluating 7 5", "evaluating 1 2 3",
      "message progress 3", "resumed 400", "",
    ] {
      #expect(RunProgress(line: line) == nil, "\(line)")
    }
  }

  @Test func evaluationReportsAtItsStartEvery1024StepsAndAtItsEnd() throws {
    let run = try #require(try plan(evaluationTimesteps: 3000).runs.first)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "acb-evalprogress-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: root) }
    var reports: [RunProgress] = []
    try RunExecutor.execute(run, store: ResultsStore(root: root)) { reports.append($0) }
    let evaluating = reports.drop { if case .training = $0 { true } else { false } }
    #expect(evaluating.count >= 1 && reports.count > evaluating.count, "training reports come first")
    #expect(
      Array(evaluating) == [0, 1024, 2048, 3000].map { RunProgress.evaluating(steps: $0, of: 3000) },
      "\(Array(evaluating))")
    #expect(reports.dropLast(evaluating.count).last == .training(steps: 400))
  }

  @Test func theBoardShowsTheEvaluationAndItsETA() throws {
    let run = try #require(try plan(evaluationTimesteps: 150_000).runs.first)
    var lines: [String] = []
    let board = ProgressBoard(total: 1, totalSteps: 400, interval: .zero, interactive: false) { lines.append($0) }
    board.started(run)
    board.progress(run, .training(steps: 200))
    #expect(lines.last?.contains("CartPole-v1/a2c/seed-0 50%") == true, "\(lines)")
    board.progress(run, .evaluating(steps: 0, of: 150_000))
    Thread.sleep(forTimeInterval: 0.2)
    board.progress(run, .evaluating(steps: 37_500, of: 150_000))
    let line = try #require(lines.last)
    #expect(line.contains("CartPole-v1/a2c/seed-0 evaluating 25%"), "\(line)")
    #expect(line.contains("400/400 steps"), "training counts in full once the evaluation began: \(line)")
    // 25% in ≈ 0.2 s: ≈ 0.6 s left, not 0 s (training alone) and not "…" (unknown).
    #expect(!line.contains("ETA 0s") && !line.contains("ETA …") && line.contains("ETA "), "\(line)")
    board.finished(run, error: nil)
    #expect(lines.last?.contains("evaluating") == false)
    #expect(lines.last?.hasPrefix("[1/1 runs]") == true, "\(lines.last ?? "")")
  }

  @Test func theETASpreadsEvaluationsOverTheJobsButNotBelowTheLongest() {
    // Eight Pong evaluations of 25 min each with --jobs 8 and no training left: 25 min, not 3 h 20.
    #expect(ProgressBoard.estimatedSeconds(training: 0, evaluations: Array(repeating: 1500, count: 8), jobs: 8) == 1500)
    // One job: training, then the evaluation.
    #expect(ProgressBoard.estimatedSeconds(training: 3000, evaluations: [600], jobs: 1) == 3600)
    #expect(ProgressBoard.estimatedSeconds(training: 3000, evaluations: [600, 600], jobs: 2) == 3600)
    #expect(ProgressBoard.estimatedSeconds(training: 0, evaluations: [], jobs: 4) == 0)
    // Unknown training speed stays unknown ("ETA …"), whatever the evaluations say.
    #expect(ProgressBoard.estimatedSeconds(training: .nan, evaluations: [600], jobs: 1).isNaN)
  }

  @Test func benchRunShowsTheEvaluationInProgress() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "acb-evalboard-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: root) }
    var runner = SuiteRunner(
      plan: try plan(evaluationTimesteps: 3000), store: ResultsStore(root: root), jobs: 1, commandLine: ["bench"])
    var output = ""
    runner.progressOutput = { output += $0 }
    runner.progressInterval = .zero
    #expect(try runner.run().completed == 1)
    for percent in [0, 34, 68, 100] {
      #expect(output.contains("seed-0 evaluating \(percent)%"), "\(percent)% missing from:\n\(output)")
    }
  }

  @Test func aChildProcessWritesItsEvaluationLines() throws {
    try BenchBinary.require()
    let run = try #require(try plan(evaluationTimesteps: 3000).runs.first)
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "acb-evalchild-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let spec = String(decoding: try JSONCoding.compactEncoder.encode(run), as: UTF8.self)
    let outcome = try BenchBinary.run(["run-one", "--spec", spec, "--results", root.path])
    #expect(outcome.status == 0, "\(outcome.error)")
    let reports = outcome.output.split(separator: "\n").compactMap { RunProgress(line: $0) }
    #expect(reports.last == .evaluating(steps: 3000, of: 3000), "\(outcome.output)")
    #expect(reports.contains(.training(steps: 400)))
  }
}

import Foundation
import Testing

@Suite("bench command line (the built executable)", .enabled(if: BenchBinary.exists, "build bench first"))
struct CommandLineTests {
  @Test("Unknown suite, algorithm and environment: exact messages and exit codes")
  func unknownNames() throws {
    let results = FakeResults.folder().path
    let suite = try BenchBinary.run(["run", "--suite", "nope", "--results", results])
    #expect(suite.status == 1)
    #expect(suite.error == "Error: unknown suite 'nope'; available: smoke, classic\n")
    let algorithm = try BenchBinary.run(["run", "--algorithms", "dqn", "--results", results])
    #expect(algorithm.status == 64)
    #expect(
      algorithm.error.hasPrefix(
        "Error: unknown algorithm 'dqn'; available: a2c, acktr, acer\nUsage: bench run"))
    let environment = try BenchBinary.run(["run", "--environments", "Pong-v0", "--results", results])
    #expect(environment.status == 1)
    #expect(
      environment.error
        == "Error: unknown environment 'Pong-v0'; available: CartPole-v1, Acrobot-v1, MountainCar-v0, "
        + "Pendulum-v1, MountainCarContinuous-v0\n")
    let combination = try BenchBinary.run(
      ["run", "--algorithms", "acer", "--environments", "Pendulum-v1", "--results", results])
    #expect(combination.status == 1)
    #expect(
      combination.error
        == "Error: invalid --algorithms/--environments 'acer Pendulum-v1'; allowed: a combination present in "
        + "suite 'classic' (see 'bench list suites')\n")
    #expect(!FileManager.default.fileExists(atPath: results + "/runs"))
  }

  @Test("Analysis commands on a folder without runs name the problem")
  func emptyResults() throws {
    let results = FakeResults.folder().path
    for command in ["check", "report", "plot", "aggregate"] {
      let outcome = try BenchBinary.run([command, "--results", results])
      #expect(outcome.status == 1, "\(command)")
      #expect(
        outcome.error
          == "Error: invalid --suite 'classic'; allowed: a suite with runs; \(results)/runs holds none "
          + "(run 'bench run' first)\n", "\(command)")
    }
    let merge = try BenchBinary.run(["merge", "--into", FakeResults.folder().path, results])
    #expect(merge.status == 1)
    #expect(merge.error == "Error: \(results): not a results folder (no runs/ folder inside)\n")
  }

  @Test("bench check exits 1 on a worse row and 0 otherwise")
  func checkExitCode() throws {
    let store = try FakeResults.small()
    let worse = try BenchBinary.run(["check", "--results", store.root.path, "--bootstrap-reps", "1000"])
    #expect(worse.status == 1)  // CartPole: A2C 100…400 and ACKTR 50…80 are far below the zoo's agents
    #expect(worse.output.contains("suite classic: 4 published rows: "))
    #expect(worse.output.contains(", 2 worse."))
    try FileManager.default.removeItem(at: store.runsFolder.appendingPathComponent("classic/CartPole-v1"))
    let fine = try BenchBinary.run(["check", "--results", store.root.path, "--bootstrap-reps", "1000"])
    #expect(fine.status == 0)
    #expect(fine.output.contains("suite classic: 2 published rows: "))
    #expect(!fine.output.contains("worse"))
  }
}

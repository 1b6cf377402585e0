import Foundation
import Testing

@Suite("bench command line (the built executable)")
struct CommandLineTests {
  init() throws { try BenchBinary.require() }

  @Test("Unknown suite, algorithm and environment: the same exit code (64) and the allowed values")
  func unknownNames() throws {
    let results = FakeResults.folder().path
    let cases: [([String], String)] = [
      (["run", "--suite", "nope"], "Error: The value 'nope' is invalid for '--suite <suite>'. Please provide one of the following:\n  - smoke\n  - classic\n  - minatar\n  - atari\n  - mujoco\n  - gymnasium\n  - pomdp\n  - pomdp-mlp\n"),
      (["aggregate", "--suite", "../runs/smoke"], "Error: The value '../runs/smoke' is invalid for '--suite <suite>'. Please provide one of the following:\n  - smoke\n  - classic\n  - minatar\n  - atari\n  - mujoco\n  - gymnasium\n  - pomdp\n  - pomdp-mlp\n"),
      (["run", "--algorithms", "dqn"], "Error: The value 'dqn' is invalid for '--algorithms <algorithms>'. Please provide one of 'a2c', 'acktr' or 'acer'.\n"),
      (["run", "--environments", "Pong-v0"],
       "Error: The value 'Pong-v0' is invalid for '--environments <environments>'. Please provide one of the "
        + "following:\n  - CartPole-v1\n  - Acrobot-v1\n  - MountainCar-v0\n  - Pendulum-v1\n  - MountainCarContinuous-v0\n"
        + "  - CartPoleNoVel-v1\n  - AcrobotNoVel-v1\n  - gym:<id>\n  - atari:<Game>\n  - minatar:Asterix\n  - minatar:Breakout\n  - minatar:Freeway\n"
        + "  - minatar:Seaquest\n  - minatar:SpaceInvaders\n"),
      (["random-policy", "--seed", "0", "--environments", "Pong-v0"],
       "Error: The value 'Pong-v0' is invalid for '--environments <environments>'. Please provide one of the "
        + "following:\n  - CartPole-v1\n  - Acrobot-v1\n  - MountainCar-v0\n  - Pendulum-v1\n  - MountainCarContinuous-v0\n"
        + "  - CartPoleNoVel-v1\n  - AcrobotNoVel-v1\n  - gym:<id>\n  - atari:<Game>\n  - minatar:Asterix\n  - minatar:Breakout\n  - minatar:Freeway\n"
        + "  - minatar:Seaquest\n  - minatar:SpaceInvaders\n"),
    ]
    for (arguments, message) in cases {
      let takesResults = arguments[0] != "random-policy"
      let outcome = try BenchBinary.run(arguments + (takesResults ? ["--results", results] : []))
      #expect(outcome.status == 64, "\(arguments)")
      #expect(outcome.error.hasPrefix(message), "\(arguments)")
      #expect(outcome.output.isEmpty, "\(arguments)")
    }
    let combination = try BenchBinary.run(
      ["run", "--algorithms", "acer", "--environments", "Pendulum-v1", "--results", results])
    #expect(combination.status == 64)
    #expect(
      combination.error
        == "Error: invalid --algorithms/--environments 'acer Pendulum-v1'; allowed: a combination present in "
        + "suite 'classic' (see 'bench list suites')\n")
    #expect(!FileManager.default.fileExists(atPath: results + "/runs"))
    #expect(!FileManager.default.fileExists(atPath: results + "/manifest.json"))
  }

  @Test("Every integer option is range-checked: exit 64 naming the option and its range, nothing written")
  func integerRanges() throws {
    let results = FakeResults.folder().path
    let cases: [([String], String)] = [
      (["run", "--start-seed", "9223372036854775807", "--seeds", "2"], "Error: Please specify --start-seed in 0…4,294,967,295 (got 9223372036854775807).\n"),
      (["run", "--timesteps", "9223372036854775807"], "Error: Please specify --timesteps in 1…10,000,000,000 (got 9223372036854775807).\n"),
      (["run", "--seeds", "9223372036854775807"], "Error: Please specify --seeds in 1…10,000 (got 9223372036854775807).\n"),
      (["run", "--seeds", "0"], "Error: Please specify --seeds in 1…10,000 (got 0).\n"),
      (["run", "--start-seed", "4294967295", "--seeds", "2"],
       "Error: invalid --start-seed '4294967295'; allowed: an integer in 0…4,294,967,294 with --seeds 2 (the last "
        + "seed, start-seed + seeds − 1, must be at most 4,294,967,295)\n"),
      (["run", "--jobs", "100000"], "Error: Please specify --jobs in 1…256 (got 100000).\n"),
      (["run", "--shard", "1/9223372036854775807"], "Error: Please specify --shard as i/N with 1 ≤ i ≤ N ≤ 1…1,000,000 (got '1/9223372036854775807').\n"),
      (["check", "--bootstrap-reps", "9223372036854775807"], "Error: Please specify --bootstrap-reps in 100…1,000,000 (got 9223372036854775807).\n"),
      (["plot", "--bootstrap-seed=-1"], "Error: Please specify --bootstrap-seed in 0…4,294,967,295 (got -1).\n"),
      (["random-policy", "--seed=-5"], "Error: Please specify --seed in 0…4,294,967,295 (got -5).\n"),
      (["perf-workload", "a2c", "--timesteps", "0"], "Error: Please specify --timesteps in 1…10,000,000,000 (got 0).\n"),
      (["regress", "--work-multiplier", "9223372036854775807"], "Error: Please specify --work-multiplier in 1…1,000 (got 9223372036854775807).\n"),
    ]
    for (arguments, message) in cases {
      let takesResults = !["perf-workload", "random-policy"].contains(arguments[0])
      let withResults = takesResults ? arguments + ["--results", results] : arguments
      let outcome = try BenchBinary.run(withResults)
      #expect(outcome.status == 64, "\(arguments)")
      #expect(outcome.error.hasPrefix(message), "\(arguments): \(outcome.error)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: results).isEmpty)
  }

  @Test("random-policy --episodes 1 is refused before any output")
  func randomPolicyEpisodes() throws {
    let outcome = try BenchBinary.run(["random-policy", "--episodes", "1"])
    #expect(outcome.status == 64)
    #expect(outcome.output.isEmpty)
    #expect(outcome.error.hasPrefix("Error: Please specify --episodes in 2…10,000,000 (got 1).\n"))
  }

  @Test("--set is decoded and checked before anything is written: field and allowed values named, exit 64")
  func setIsCheckedAtPlanTime() throws {
    let results = FakeResults.folder().path
    let cases: [([String], String)] = [
      (["--set", "gamma=2"], "invalid a2c hyperparameter 'gamma': 2.0 (allowed: 0 ≤ gamma ≤ 1)"),
      (["--set", "n_steps=abc"], "invalid a2c hyperparameter 'n_steps': 'abc' (allowed: an integer)"),
      (["--set", "n_steps=2.5"], "invalid a2c hyperparameter 'n_steps': '2.5' (allowed: an integer)"),
      (["--set", "lr_schedule=bogus"],
       "invalid a2c hyperparameter 'lr_schedule': 'bogus' (allowed: one of constant, linear, middle_drop, "
        + "double_linear_con, double_middle_drop)"),
      (["--algorithms", "acktr", "--set", "epsilon=0"], "invalid acktr hyperparameter 'epsilon': 0.0 (allowed: a finite value > 0)"),
      (["--algorithms", "acer", "--set", "trust_region=maybe"], "invalid acer hyperparameter 'trust_region': 'maybe' (allowed: true or false)"),
      (["--set", "no_such_knob=1", "--algorithms", "acer"], "acer has no hyperparameter 'no_such_knob'; available: "),
      (["--set", "net_arch={\"shared\":[],\"policy\":[2147483648],\"value\":[64],\"activation\":\"tanh\"}"],
       "invalid a2c hyperparameter 'net_arch': policy [2147483648] (allowed: at most 16 layers of widths 1…4096)"),
    ]
    for (arguments, message) in cases {
      let outcome = try BenchBinary.run(["run", "--suite", "smoke"] + arguments + ["--results", results])
      #expect(outcome.status == 64, "\(arguments)")
      #expect(outcome.error.hasPrefix("Error: " + message), "\(arguments): \(outcome.error)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: results).isEmpty)
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
    // CartPole ACKTR 50…80 is far below the zoo's 487.6; A2C 100…400 spreads too widely for one agent
    // at 499.9 to be implausible (p(worse) ≈ 0.1 before Holm).
    #expect(worse.status == 1)
    #expect(worse.output.contains("suite classic: 4 published rows: 3 matches, 1 worse.\n"))
    #expect(
      worse.output.contains(
        "  CartPole-v1 ACKTR (rl-baselines-zoo): worse: published agent 487.6 vs our 95% prediction interval for one new seed "
          + "[17.6, 112.4]; margin 23.9; Holm-adjusted p(worse) < 0.001 ≤ 0.05\n"))
    try FileManager.default.removeItem(at: store.runsFolder.appendingPathComponent("classic/CartPole-v1"))
    let fine = try BenchBinary.run(["check", "--results", store.root.path, "--bootstrap-reps", "1000"])
    #expect(fine.status == 0)
    #expect(fine.output.contains("suite classic: 2 published rows: 2 matches.\n"))
  }
}

@Suite("End-to-end suites without the executable")
struct MissingBinaryTests {
  @Test("A missing bench executable is an error, not a skip")
  func missingBinaryFails() throws {
    let path = FakeResults.folder().appendingPathComponent("bench").path
    let error = #expect(throws: BenchBinary.Missing.self) { try BenchBinary.require(at: path) }
    #expect(error?.description.hasPrefix("the bench executable is missing at \(path)") == true)
    try BenchBinary.require()  // the real one, built with the tests
  }
}

import Foundation
import Plotting

/// Runs a plan: skips complete runs, redoes half-written ones, runs the rest in this process or
/// as `jobs` child processes, shows progress, and writes the manifest.
public struct SuiteRunner {
  public let plan: RunPlan
  public let store: ResultsStore
  public let jobs: Int
  public let commandLine: [String]
  /// Where progress lines go (standard error by default, so standard output stays clean).
  public var progressOutput: (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
  /// The least time between two progress lines; nil: 250 ms on a terminal, 10 s otherwise.
  public var progressInterval: Duration?
  /// Wait for another writer's ``ResultsLock`` instead of failing (`bench run --wait`).
  public var waitForLock = false
  /// Add runs to a folder whose manifest records another build or BLAS kernel
  /// (`bench run --allow-mixed-provenance`).
  public var allowMixedProvenance = false
  /// Checkpoint runs in training at this interval and resume them from their checkpoints
  /// (`bench run --checkpoint-every`); nil: no checkpoints, and runs resume only from their start.
  public var checkpointInterval: CheckpointInterval?
  /// The stop request (SIGTERM/SIGINT) that ends the session after the current update of each
  /// run in progress; nil: signals are not handled.
  public var stopSignal: StopSignal?
  /// A folder for one TensorBoard run per (environment, algorithm, seed) (`bench run
  /// --tensorboard`), `nil` for none.
  public var tensorboard: URL?
  /// Files each run writes only on request (`bench run --save-model`, `--record-episode`).
  public var artifacts = RunArtifacts()

  public init(plan: RunPlan, store: ResultsStore, jobs: Int, commandLine: [String]) {
    self.plan = plan
    self.store = store
    self.jobs = jobs
    self.commandLine = commandLine
  }

  /// What happened.
  public struct Outcome: Sendable {
    public var completed: Int
    public var skipped: Int
    public var failed: Int
    public var failures: [String]
    public var seconds: Double
    /// The stop signal that ended the session early, if one did.
    public var interruptedBy: Int32? = nil
    /// What each interrupted run saved (one line per run).
    public var interruptions: [String] = []

    /// The closing lines `bench run` prints.
    public func report(resultsPath: String) -> String {
      var lines = [
        "\(completed) runs completed, \(skipped) already complete, \(failed) failed in \(formatDuration(seconds)).",
        "Results: \(resultsPath)/runs/ (manifest: \(resultsPath)/manifest.json)",
      ]
      lines += failures.map { "  failed: \($0)" }
      if let signal = interruptedBy {
        lines.insert(
          "Interrupted by \(StopSignal.name(signal)): run the same command again to resume"
            + (interruptions.isEmpty ? "." : " (\(interruptions.count) run(s) in progress saved their state):"), at: 0)
        lines.insert(contentsOf: interruptions.map { "  \($0)" }, at: 1)
      }
      return lines.joined(separator: "\n")
    }
  }

  /// Executes the plan under the folder's exclusive ``ResultsLock``.
  /// - Throws: ``BenchmarkError/resultsLocked(path:holder:)`` when another process writes the
  ///   folder (unless ``waitForLock``), before anything is written.
  public func run() throws -> Outcome {
    let lock = try ResultsLock(root: store.root, commandLine: commandLine, wait: waitForLock) { [progressOutput] in
      progressOutput("Waiting for the results folder \(store.root.path), in use by \($0).\n")
    }
    defer { lock.release() }
    // Refuse a folder whose run folders disagree with their files before writing anything.
    _ = try store.runFolders(suite: plan.suite.name)
    // A complete run is kept only if it is the run planned: the same entry (budget,
    // hyperparameters, …) and seed. Anything else in its folder is refused, not silently reused.
    for run in plan.runs where store.isComplete(run) {
      let url = store.folder(for: run).appendingPathComponent("spec.json")
      guard let data = try? Data(contentsOf: url), let stored = try? JSONCoding.decoder.decode(RunSpec.self, from: data)
      else { throw BenchmarkError.incompatibleResults(path: url.path, reason: "spec.json is missing or unreadable") }
      if stored != run {
        throw BenchmarkError.incompatibleResults(
          path: store.folder(for: run).path,
          reason: "it holds \(run.identifier) with other settings than this command's "
            + "(\(RunSpec.differences(stored, run).joined(separator: "; "))); use another --results folder")
      }
    }
    let pending = plan.runs.filter { !store.isComplete($0) }
    let skipped = plan.runs.count - pending.count
    // An episode strip needs a renderer: refuse before training rather than after it.
    try artifacts.validate()
    if artifacts.episode != nil {
      for environment in Set(pending.map(\.entry.environment)).sorted() { try EpisodeEnvironment.checkAvailable(environment) }
    }
    let lacking = plan.runs.filter { run in
      store.isComplete(run) && artifacts.fileNames.contains {
        !FileManager.default.fileExists(atPath: store.folder(for: run).appendingPathComponent($0).path)
      }
    }
    if !lacking.isEmpty {
      progressOutput(
        "Note: \(lacking.count) complete run(s) lack \(artifacts.fileNames.joined(separator: " or ")) (made without "
          + "asking for them); complete runs are not redone, so delete a run's folder to redo it with them.\n")
    }
    // Nothing to run: nothing is written, whichever build wrote the folder.
    if !pending.isEmpty {
      try writeManifest()
      let removed = store.removeLeftovers()
      if removed > 0 {
        progressOutput("Discarded \(removed) half-written file(s) or run folder(s) from an earlier interruption.\n")
      }
    }
    let board = ProgressBoard(
      total: pending.count, totalSteps: pending.reduce(0) { $0 + $1.entry.timesteps }, jobs: jobs,
      interval: progressInterval, output: progressOutput)
    let clock = ContinuousClock()
    let start = clock.now
    if jobs == 1 {
      for run in pending {
        if stopSignal?.received != nil { break }
        board.started(run)
        do {
          try RunExecutor.execute(
            run, store: store, tensorboard: tensorboard, checkpointing: checkpointSettings(for: run, board: board),
            artifacts: artifacts
          ) { board.progress(run, $0) }
          board.finished(run, error: nil)
        } catch BenchmarkError.interrupted(let identifier, _, let state) {
          board.interrupted(run, message: "\(identifier) \(state)")
          break
        } catch {
          board.finished(run, error: "\(run.identifier): \(error)")
        }
      }
    } else {
      try runInChildProcesses(pending, board: board)
    }
    board.close()
    let elapsed = clock.now - start
    var outcome = Outcome(
      completed: board.completed, skipped: skipped, failed: board.failures.count, failures: board.failures,
      seconds: elapsed.inSeconds)
    if let signal = stopSignal?.received, board.completed + board.failures.count < pending.count {
      outcome.interruptedBy = signal
      outcome.interruptions = board.interruptions
    }
    return outcome
  }

  /// The checkpoint settings of one run in this process (nil without ``checkpointInterval``).
  private func checkpointSettings(for run: RunSpec, board: ProgressBoard) -> CheckpointSettings? {
    guard let checkpointInterval else { return nil }
    return CheckpointSettings(
      interval: checkpointInterval, stop: stopSignal, log: { board.message($0) },
      onResume: { board.resumed(run, steps: $0) })
  }

  private func writeManifest() throws {
    let path = "manifest.json"
    if let data = try? store.read(path),
      let existing = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let version = existing["layoutVersion"] as? Int, version != ResultsStore.layoutVersion
    {
      throw BenchmarkError.incompatibleResults(
        path: store.root.path, reason: "layout version \(version), this build writes \(ResultsStore.layoutVersion)")
    }
    // A folder that already holds results keeps the provenance of every earlier session: the
    // top level describes this session, `shards` lists all of them in order. Earlier sessions of
    // *this suite* made by another build or kernel are refused unless mixing is allowed (their runs
    // would be pooled); sessions of other suites are kept and not compared (one build per suite).
    var provenance = Provenance.current(suite: plan.suite.name, commandLine: commandLine)
    if let data = try? store.read(path), let existing = try? JSONCoding.decoder.decode(Provenance.self, from: data) {
      if !allowMixedProvenance {
        for session in existing.sessions(suite: plan.suite.name) {
          if let mismatch = session.resultFieldMismatch(provenance) {
            throw BenchmarkError.incompatibleResults(
              path: store.root.appendingPathComponent(path).path,
              reason: "its \(plan.suite.name) runs were made with \(mismatch.field) '\(mismatch.this)', this build has "
                + "'\(mismatch.other)'; runs of one suite from different builds or kernels are not pooled "
                + "(use another --results folder, or pass --allow-mixed-provenance)")
          }
        }
      }
      provenance.shards = existing.sessions + [provenance]
    }
    try store.write(try JSONCoding.encoder.encode(provenance), to: path)
  }

  private func runInChildProcesses(_ pending: [RunSpec], board: ProgressBoard) throws {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let queue = RunQueue(pending)
    let children = ChildProcesses()
    // Children catch SIGTERM/SIGINT themselves (Slurm signals every process of the job; a
    // terminal, the foreground group); forwarding makes sure each one checkpoints and exits.
    stopSignal?.onSignal { _ in
      queue.close()
      children.terminateAll()
    }
    let group = DispatchGroup()
    for _ in 0..<min(jobs, pending.count) {
      group.enter()
      Thread.detachNewThread { [store, tensorboard, checkpointInterval, stopSignal, artifacts] in
        defer { group.leave() }
        while let run = queue.next() {
          board.started(run)
          let process = Process()
          process.executableURL = executable
          let spec = (try? String(decoding: JSONCoding.compactEncoder.encode(run), as: UTF8.self)) ?? "{}"
          process.arguments =
            ["run-one", "--spec", spec, "--results", store.root.path, "--parent-pid", "\(getpid())"]
            + (tensorboard.map { ["--tensorboard", $0.path] } ?? [])
            + (checkpointInterval.map { ["--checkpoint-every", $0.description] } ?? [])
            + artifacts.arguments
            + (FaultInjection.point.map { ["--fault", $0.description] } ?? [])
          let out = Pipe(), err = Pipe()
          process.standardOutput = out
          process.standardError = err
          do { try children.start(process) } catch {
            if stopSignal?.received != nil {
              board.abandoned(run)
            } else {
              board.finished(run, error: "\(run.identifier): cannot start a child process: \(error)")
            }
            continue
          }
          let errorDrain = PipeDrain(err.fileHandleForReading)
          var buffer = Data()
          while true {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: 10) {
              let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
              buffer.removeSubrange(buffer.startIndex...newline)
              if let report = RunProgress(line: line) { board.progress(run, report) }
              if line.hasPrefix("resumed "), let steps = Int(line.dropFirst(8)) { board.resumed(run, steps: steps) }
              if line.hasPrefix("message ") { board.message(String(line.dropFirst(8)) + "\n") }
            }
          }
          let errors = String(decoding: errorDrain.finish(), as: UTF8.self)
          process.waitUntilExit()
          children.finished(process)
          if process.terminationStatus == 0 {
            board.finished(run, error: nil)
          } else if stopSignal?.received != nil,
            process.terminationStatus > 128 || process.terminationReason == .uncaughtSignal
          {
            // The child was stopped by the signal: it reported what it saved on standard error
            // (nothing when the signal came before it could catch it).
            let saved = errors.split(separator: "\n").last { $0.contains("interrupted by") }
            board.interrupted(run, message: saved.map { String($0) } ?? "\(run.identifier) interrupted")
          } else {
            let reason = errors.trimmingCharacters(in: .whitespacesAndNewlines)
            board.finished(run, error: "\(run.identifier): \(reason.isEmpty ? "exit \(process.terminationStatus)" : reason)")
          }
        }
      }
    }
    group.wait()
  }
}


/// A thread-safe queue of pending runs; once closed (a stop signal) it hands out none.
final class RunQueue: @unchecked Sendable {
  private var runs: [RunSpec]
  private let lock = NSLock()
  init(_ runs: [RunSpec]) { self.runs = runs.reversed() }
  func next() -> RunSpec? { lock.withLock { runs.popLast() } }
  func close() { lock.withLock { runs.removeAll() } }
}

/// The child processes running now, so a stop signal can be forwarded to them.
final class ChildProcesses: @unchecked Sendable {
  private let lock = NSLock()
  private var running: [ObjectIdentifier: Process] = [:]
  private var stopping = false

  /// Starts `process` unless a stop was requested.
  func start(_ process: Process) throws {
    try lock.withLock {
      if stopping { throw CocoaError(.userCancelled) }
      try process.run()
      running[ObjectIdentifier(process)] = process
    }
  }

  func finished(_ process: Process) { lock.withLock { running[ObjectIdentifier(process)] = nil } }

  /// Sends SIGTERM to every running child; no new child starts afterwards.
  func terminateAll() {
    lock.withLock {
      stopping = true
      for process in running.values where process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }
  }
}

/// `1.2M`, `85k`, `950`.
func formatCount(_ n: Int) -> String {
  let x = Double(n)
  if x >= 1e6 { return String(format: "%.1fM", x / 1e6) }
  if x >= 1e4 { return String(format: "%.0fk", x / 1e3) }
  return String(n)
}

/// `2d03h`, `1h02m`, `3m05s`, `12s`.
func formatDuration(_ seconds: Double) -> String {
  let s = Int(seconds.rounded())
  if s >= 86_400 { return String(format: "%dd%02dh", s / 86_400, (s % 86_400) / 3600) }
  if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
  if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
  return "\(s)s"
}

extension JSONCoding {
  /// Single-line JSON for passing a run to a child process.
  static let compactEncoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    return e
  }()
}

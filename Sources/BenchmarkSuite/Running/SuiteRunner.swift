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
  /// Wait for another writer's ``ResultsLock`` instead of failing (`bench run --wait`).
  public var waitForLock = false
  /// Add runs to a folder whose manifest records another build or BLAS kernel
  /// (`bench run --allow-mixed-provenance`).
  public var allowMixedProvenance = false
  /// A folder for one TensorBoard run per (environment, algorithm, seed) (`bench run
  /// --tensorboard`), `nil` for none.
  public var tensorboard: URL?

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

    /// The closing lines `bench run` prints.
    public func report(resultsPath: String) -> String {
      var lines = [
        "\(completed) runs completed, \(skipped) already complete, \(failed) failed in \(formatDuration(seconds)).",
        "Results: \(resultsPath)/runs/ (manifest: \(resultsPath)/manifest.json)",
      ]
      lines += failures.map { "  failed: \($0)" }
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
    // Nothing to run: nothing is written, whichever build wrote the folder.
    if !pending.isEmpty {
      try writeManifest()
      let removed = store.removeLeftovers()
      if removed > 0 {
        progressOutput("Discarded \(removed) half-written file(s) or run folder(s) from an earlier interruption.\n")
      }
    }
    let board = ProgressBoard(
      total: pending.count, totalSteps: pending.reduce(0) { $0 + $1.entry.timesteps }, output: progressOutput)
    let clock = ContinuousClock()
    let start = clock.now
    if jobs == 1 {
      for run in pending {
        board.started(run)
        do {
          try RunExecutor.execute(run, store: store, tensorboard: tensorboard) { board.progress(run, steps: $0) }
          board.finished(run, error: nil)
        } catch {
          board.finished(run, error: "\(run.identifier): \(error)")
        }
      }
    } else {
      try runInChildProcesses(pending, board: board)
    }
    board.close()
    let elapsed = clock.now - start
    return Outcome(
      completed: board.completed, skipped: skipped, failed: board.failures.count, failures: board.failures,
      seconds: elapsed.inSeconds)
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
    // top level describes this session, `shards` lists all of them in order. Sessions of another
    // build or kernel are refused unless mixing is allowed (their runs would be pooled).
    var provenance = Provenance.current(suite: plan.suite.name, commandLine: commandLine)
    if let data = try? store.read(path), let existing = try? JSONCoding.decoder.decode(Provenance.self, from: data) {
      var sessions = existing.shards ?? [existing]
      if !allowMixedProvenance {
        for session in sessions {
          for field in ResultsMerger.resultFields where field.value(session) != field.value(provenance) {
            throw BenchmarkError.incompatibleResults(
              path: store.root.appendingPathComponent(path).path,
              reason: "its runs were made with \(field.name) '\(field.value(session))', this build has "
                + "'\(field.value(provenance))'; results of different builds or kernels are not pooled in one "
                + "folder (use another --results folder, or pass --allow-mixed-provenance)")
          }
        }
      }
      sessions.append(provenance)
      provenance.shards = sessions.map { session in
        var flat = session
        flat.shards = nil
        return flat
      }
    }
    try store.write(try JSONCoding.encoder.encode(provenance), to: path)
  }

  private func runInChildProcesses(_ pending: [RunSpec], board: ProgressBoard) throws {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    let queue = RunQueue(pending)
    let group = DispatchGroup()
    for _ in 0..<min(jobs, pending.count) {
      group.enter()
      Thread.detachNewThread { [store, tensorboard] in
        defer { group.leave() }
        while let run = queue.next() {
          board.started(run)
          let process = Process()
          process.executableURL = executable
          let spec = (try? String(decoding: JSONCoding.compactEncoder.encode(run), as: UTF8.self)) ?? "{}"
          process.arguments =
            ["run-one", "--spec", spec, "--results", store.root.path]
            + (tensorboard.map { ["--tensorboard", $0.path] } ?? [])
          let out = Pipe(), err = Pipe()
          process.standardOutput = out
          process.standardError = err
          do { try process.run() } catch {
            board.finished(run, error: "\(run.identifier): cannot start a child process: \(error)")
            continue
          }
          var buffer = Data()
          while true {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: 10) {
              let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
              buffer.removeSubrange(buffer.startIndex...newline)
              if line.hasPrefix("progress "), let steps = Int(line.dropFirst(9)) { board.progress(run, steps: steps) }
            }
          }
          let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
          process.waitUntilExit()
          if process.terminationStatus == 0 {
            board.finished(run, error: nil)
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


/// A thread-safe queue of pending runs.
final class RunQueue: @unchecked Sendable {
  private var runs: [RunSpec]
  private let lock = NSLock()
  init(_ runs: [RunSpec]) { self.runs = runs.reversed() }
  func next() -> RunSpec? { lock.withLock { runs.popLast() } }
}

/// Progress across runs: runs done/total, aggregate steps/s and an ETA, on one line.
final class ProgressBoard: @unchecked Sendable {
  private let lock = NSLock()
  private let total: Int
  private let totalSteps: Int
  private let output: (String) -> Void
  private var stepsByRun: [String: Int] = [:]
  private var finishedSteps = 0
  private(set) var completed = 0
  private(set) var failures: [String] = []
  private let start = ContinuousClock.now
  private var lastPrint = ContinuousClock.now
  private let interactive = isatty(2) != 0

  init(total: Int, totalSteps: Int, output: @escaping (String) -> Void) {
    self.total = total
    self.totalSteps = totalSteps
    self.output = output
    if total > 0 { output("Running \(total) runs (\(formatCount(totalSteps)) environment steps).\n") }
  }

  func started(_ run: RunSpec) { lock.withLock { stepsByRun[run.identifier] = 0 } }

  func progress(_ run: RunSpec, steps: Int) {
    lock.withLock {
      stepsByRun[run.identifier] = steps
      let now = ContinuousClock.now
      if now - lastPrint > .milliseconds(interactive ? 250 : 10_000) {
        lastPrint = now
        render(final: false)
      }
    }
  }

  func finished(_ run: RunSpec, error: String?) {
    lock.withLock {
      stepsByRun[run.identifier] = nil
      finishedSteps += run.entry.timesteps
      if let error { failures.append(error) } else { completed += 1 }
      render(final: false)
      if let error { output((interactive ? "\n" : "") + "failed: \(error)\n") }
    }
  }

  func close() { lock.withLock { if total > 0 { render(final: true) } } }

  private func render(final: Bool) {
    let done = finishedSteps + stepsByRun.values.reduce(0, +)
    let elapsed = ContinuousClock.now - start
    let seconds = elapsed.inSeconds
    let rate = seconds > 0 ? Double(done) / seconds : 0
    let remaining = rate > 0 ? Double(totalSteps - done) / rate : .nan
    let line =
      "[\(completed + failures.count)/\(total) runs] \(formatCount(done))/\(formatCount(totalSteps)) steps · "
      + "\(formatCount(Int(rate))) steps/s · elapsed \(formatDuration(seconds))"
      + (final ? "" : " · ETA \(remaining.isFinite ? formatDuration(remaining) : "…")")
    output(interactive ? "\r\u{1B}[K" + line + (final ? "\n" : "") : line + "\n")
  }
}

/// `1.2M`, `85k`, `950`.
func formatCount(_ n: Int) -> String {
  let x = Double(n)
  if x >= 1e6 { return String(format: "%.1fM", x / 1e6) }
  if x >= 1e4 { return String(format: "%.0fk", x / 1e3) }
  return String(n)
}

/// `1h02m`, `3m05s`, `12s`.
func formatDuration(_ seconds: Double) -> String {
  let s = Int(seconds.rounded())
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

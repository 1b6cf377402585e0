import Environments
import Foundation
import Statistics

/// §3 Reproducibility: the commands, the provenance and the time taken.
extension PaperWriter {
  // MARK: Reproducibility

  var reproducibility: String {
    var lines = ["## 3. Reproducibility"]
    let suite = catalog.suite
    // A folder holding part of a built-in suite (Pong of the zoo's eight games) is regenerated with
    // the filters that select that part, not by running the whole suite; runs made at other budgets
    // or with --set get those options (or a sentence saying no one command makes them). The ad-hoc
    // suite has no entries of its own: they are the ones its line makes for the folder's
    // environments and algorithms, and the line always names the environments, and the algorithms
    // unless they are its default pair (A2C and ACKTR).
    let adHoc = suite == Suite.gymnasium.name
    let entries =
      adHoc
      ? catalog.environments.flatMap { environment in
        catalog.algorithms.map { Suite.adHocEntry(environment: environment, algorithm: $0, timesteps: nil) }
      }
      : (try? Suite.named(suite))?.entries ?? []
    let allEnvironments = !adHoc && Set(entries.map(\.environment)).subtracting(catalog.environments).isEmpty
    let defaultAlgorithms =
      adHoc
      ? Set(catalog.algorithms) == [.a2c, .acktr] : Set(entries.map(\.algorithm)).subtracting(catalog.algorithms).isEmpty
    let filterOptions =
      (allEnvironments ? "" : " --environments " + catalog.environments.joined(separator: " "))
      + (defaultAlgorithms ? "" : " --algorithms " + catalog.algorithms.map(\.rawValue).joined(separator: " "))
    let selected = entries.filter { catalog.environments.contains($0.environment) && catalog.algorithms.contains($0.algorithm) }
    let reproduction = ReproductionOptions(runs: catalog.runs.map(\.run), entries: selected.count) { run in
      selected.first { $0.environment == run.entry.environment && $0.algorithm == run.entry.algorithm }
    }
    let runOptions = reproduction.options.map { " " + $0 }.joined()
    lines.append(
      "Everything above is regenerated from the results folder by these commands (Debian 12, Swift 6.3; "
        + "`scripts/setup.sh` installs OpenBLAS, LAPACKE, GSL, libpng and valgrind):\n\n```sh\n"
        + "bash scripts/setup.sh && swift build -c release --product bench\n"
        + ".build/release/bench run --suite \(suite)\(filterOptions)\(runOptions) --jobs 2 --results \(resultsPath)\n"
        + ".build/release/bench check --suite \(suite) --results \(resultsPath)\n"
        + ".build/release/bench report --suite \(suite) --results \(resultsPath) --out paper\n```\n\n"
        + (reproduction.unexpressed.isEmpty
          ? ""
          : "No one `bench run` line makes all of this folder's runs: it holds "
            + reproduction.unexpressed.joined(separator: "; ") + ". Each run's `spec.json` holds the entry it "
            + "was made from.\n\n")
        + (reproduction.extraRuns == 0
          ? ""
          : "The `bench run` line also makes the \(reproduction.extraRuns) run\(reproduction.extraRuns == 1 ? "" : "s") "
            + "of these environments, algorithms and seeds that the folder does not hold yet.\n\n")
        + "`bench run` is resumable and can be split over machines with `--shard i/N` and `bench merge`. "
        + "Each run is a pure function of (suite entry, seed, code, BLAS kernel); `bench regress` replays "
        + "the `smoke` suite and requires every run file but `timing.json` to be byte-identical.")
    // One build per suite: the sessions that added this suite's runs describe them; other suites'
    // sessions in the same folder do not.
    let sessions = catalog.provenance?.sessions(suite: suite) ?? []
    if let p = sessions.last {
      var table = MarkdownTable(["provenance of suite `\(suite)` (manifest.json)", "value"])
      let rows: [(String, String)] = [
        ("suite", p.suite), ("git revision", p.gitRevision), ("Swift", p.swiftVersion),
        ("OpenBLAS", p.openBLASConfiguration),
        (
          "OpenBLAS core / threads",
          "\(p.openBLASCore) / \(p.openBLASThreads) (OPENBLAS_CORETYPE=\(p.openBLASCoreTypeEnvironment))"
        ),
        ("GSL / RNG", "\(p.gslVersion) / \(p.randomNumberGenerator)"), ("libpng", p.libpngVersion),
        ("operating system", p.operatingSystem), ("processor", Self.processorsText(of: sessions)),
        ("written", p.createdAt),
        ("command line", "`" + p.commandLine.joined(separator: " ") + "`"),
      ]
      for (name, value) in rows { table.append([name, value]) }
      lines.append(table.text)
      if sessions.count > 1 {
        lines.append(
          "The `\(suite)` runs were added by \(sessions.count) sessions (`bench run` into the folder, or "
            + "`bench merge`), all of the same build as checked when each was added: "
            + sessions.map { "`\($0.commandLine.joined(separator: " "))` (\($0.createdAt), \($0.gitRevision))" }
            .joined(separator: "; ") + ".")
      }
      let others = (catalog.provenance?.sessionSuites ?? []).filter { $0 != suite }
      if !others.isEmpty {
        lines.append(
          "The folder also holds runs of \(others.map { "`\($0)`" }.joined(separator: ", ")), each suite with its "
            + "own build (`bench run` refuses to mix builds within a suite, not across suites).")
      }
    } else {
      lines.append("The results folder's `manifest.json` records no session of suite `\(suite)`; provenance unknown.")
    }
    if let restarts = restartsText { lines.append(restarts) }
    // The counted arithmetic rate, once any run records it (runs written before the count existed do not).
    let counted = Self.countedGigaflops(catalog.runs) != nil
    var time = MarkdownTable(
      ["algorithm", "runs", "environment steps", "training time (sum)", "mean steps/s"]
        + (counted ? ["GFLOP/s (counted)"] : []),
      alignments: [.left, .right, .right, .right, .right] + (counted ? [.right] : []))
    for algorithm in catalog.algorithms {
      let runs = catalog.runs.filter { $0.algorithm == algorithm }
      let steps = runs.reduce(0) { $0 + $1.summary.timesteps }
      let seconds = Self.trainingSeconds(runs)
      var row = [
        algorithm.displayName, "\(runs.count)", Format.steps(steps), seconds.map(Format.duration) ?? "–",
        seconds.map { Format.fixed($0 > 0 ? Double(steps) / $0 : 0, 0) } ?? "–",
      ]
      if counted {
        row.append(
          Self.countedGigaflops(runs).map {
            Format.fixed($0.rate, 2) + ($0.counted == runs.count ? "" : " (\($0.counted) of \(runs.count) runs)")
          } ?? "–")
      }
      time.append(row)
    }
    lines.append(
      "Time taken (training only, from the runs' `timing.json`; evaluation and process start-up "
        + "excluded\(machineText)):\n\n"
        + time.text)
    if counted {
      lines.append(
        "GFLOP/s (counted): the floating-point operations of the BLAS and LAPACK calls made while training "
          + "(2·m·n·k per matrix product, 10n³/3 per symmetric eigendecomposition; `FlopCounter`), summed over the "
          + "runs that record them and divided by their training time; a resumed run counts its last session. "
          + "Element-wise work is not counted, so the figure is a lower bound on the arithmetic rate, to set beside "
          + "the core's peak (one AVX2 core: 32 single-precision operations per cycle); K-FAC's asynchronous "
          + "eigendecompositions run on a second thread and count too, so ACKTR's figure can exceed one core's.")
    }
    return lines.joined(separator: "\n\n")
  }

  /// The runs a rerun does not reproduce bit for bit from the start to the end: those whose bridge
  /// worker was restarted (`workerRestarts` in `summary.json`) or whose resume could not restore
  /// the episodes in progress (`episodeRestarts`); `nil` when there are none.
  var restartsText: String? {
    let workers = catalog.runs.compactMap { run in run.summary.workerRestarts.flatMap { $0.isEmpty ? nil : (run, $0) } }
    let resumes = catalog.runs.compactMap { run in run.summary.episodeRestarts.flatMap { $0.isEmpty ? nil : (run, $0) } }
    guard !workers.isEmpty || !resumes.isEmpty else { return nil }
    func name(_ run: RunRecord) -> String { "\(run.environment) \(run.algorithm.displayName) seed \(run.seed)" }
    var text = ""
    if !workers.isEmpty {
      text +=
        "**Worker restarts.** \(workers.count) of \(catalog.runs.count) runs had a bridge worker restarted: "
        + workers.map { run, restarts in
          name(run) + " ("
            + restarts.map { "\($0.reason) after \($0.step) vector steps" }
            .joined(separator: "; ") + ")"
        }.joined(separator: ", ")
        + ". A restart re-seeds the worker's copies from seeds derived from the run seed and ends their episodes "
        + "in progress (kept in `episodes.csv`, marked `interrupted`, left out of the last-100 mean by builds "
        + "that know the mark); a rerun without the fault follows the same trajectory up to that step and "
        + "another after it."
    }
    if !resumes.isEmpty {
      text +=
        (text.isEmpty ? "" : " ")
        + "**Inexact resumes.** \(resumes.count) of \(catalog.runs.count) runs resumed from a checkpoint that could "
        + "not hold their environments' state, so their episodes in progress restarted: "
        + resumes.map { run, restarts in
          name(run) + " (update " + restarts.map { "\($0.update)" }.joined(separator: ", ") + ")"
        }.joined(separator: ", ")
        + "; an uninterrupted rerun differs from those updates on."
    }
    return text
  }

  /// The provenance table's processor cell: the one processor, or each with the sessions (1-based,
  /// oldest first) that ran on it — runs of one build are bit-identical across processors with the
  /// same pinned BLAS kernel, their wall-clock figures are not.
  static func processorsText(of sessions: [Provenance]) -> String {
    let groups = processorGroups(of: sessions)
    let name = { (processor: String?) in processor ?? "not recorded" }
    guard groups.count > 1 else { return name(groups.first?.processor) }
    return groups.map { group in
      let list = group.sessions
      return "\(name(group.processor)) (" + (list.count == 1 ? "session \(list[0])" : "sessions " + ranges(list)) + ")"
    }.joined(separator: "; ")
  }

  /// "1–6, 8" for [1, 2, 3, 4, 5, 6, 8].
  static func ranges(_ sorted: [Int]) -> String {
    var parts: [String] = []
    var start = sorted[0], end = sorted[0]
    for value in sorted.dropFirst() {
      if value == end + 1 { end = value; continue }
      parts.append(start == end ? "\(start)" : "\(start)–\(end)")
      start = value; end = value
    }
    parts.append(start == end ? "\(start)" : "\(start)–\(end)")
    return parts.joined(separator: ", ")
  }
}

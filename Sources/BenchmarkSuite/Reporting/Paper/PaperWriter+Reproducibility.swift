import Environments
import Foundation
import Statistics

/// §3 Reproducibility: the commands, the provenance and the time taken.
extension PaperWriter {
  // MARK: Reproducibility

  var reproducibility: String {
    var lines = ["## 3. Reproducibility"]
    let suite = catalog.suite
    let seeds = Set(aggregate.cells.flatMap(\.seeds)).sorted()
    let seedOptions =
      seeds.isEmpty
      ? "" : " --seeds \(seeds.count)" + (seeds.first == 0 ? "" : " --start-seed \(seeds.first!)")
    lines.append(
      "Everything above is regenerated from the results folder by these commands (Debian 12, Swift 6.3; "
        + "`scripts/setup.sh` installs OpenBLAS, LAPACKE, GSL, libpng and valgrind):\n\n```sh\n"
        + "bash scripts/setup.sh && swift build -c release --product bench\n"
        + ".build/release/bench run --suite \(suite)\(seedOptions) --jobs 2 --results \(resultsPath)\n"
        + ".build/release/bench check --suite \(suite) --results \(resultsPath)\n"
        + ".build/release/bench report --suite \(suite) --results \(resultsPath) --out paper\n```\n\n"
        + "`bench run` is resumable and can be split over machines with `--shard i/N` and `bench merge`. "
        + "Each run is a pure function of (suite entry, seed, code, BLAS kernel); `bench regress` replays "
        + "the `smoke` suite and requires every run file but `timing.json` to be byte-identical.")
    if let p = catalog.provenance {
      var table = MarkdownTable(["provenance (manifest.json)", "value"])
      let rows: [(String, String)] = [
        ("suite", p.suite), ("git revision", p.gitRevision), ("Swift", p.swiftVersion),
        ("OpenBLAS", p.openBLASConfiguration),
        (
          "OpenBLAS core / threads",
          "\(p.openBLASCore) / \(p.openBLASThreads) (OPENBLAS_CORETYPE=\(p.openBLASCoreTypeEnvironment))"
        ),
        ("GSL / RNG", "\(p.gslVersion) / \(p.randomNumberGenerator)"), ("libpng", p.libpngVersion),
        ("operating system", p.operatingSystem), ("processor", p.processor ?? "not recorded"),
        ("written", p.createdAt),
        ("command line", "`" + p.commandLine.joined(separator: " ") + "`"),
      ]
      for (name, value) in rows { table.append([name, value]) }
      lines.append(table.text)
      if let shards = p.shards, !shards.isEmpty {
        lines.append(
          "Merged with `bench merge` from \(shards.count) folders: "
            + shards.map { "`\($0.commandLine.joined(separator: " "))` (\($0.createdAt), \($0.gitRevision))" }
            .joined(separator: "; ") + ".")
      }
    } else {
      lines.append("The results folder has no `manifest.json`; provenance unknown.")
    }
    var time = MarkdownTable(
      ["algorithm", "runs", "environment steps", "training time (sum)", "mean steps/s"],
      alignments: [.left, .right, .right, .right, .right])
    for algorithm in catalog.algorithms {
      let runs = catalog.runs.filter { $0.algorithm == algorithm }
      let steps = runs.reduce(0) { $0 + $1.summary.timesteps }
      let seconds = Self.trainingSeconds(runs)
      time.append([
        algorithm.displayName, "\(runs.count)", Format.steps(steps), seconds.map(Format.duration) ?? "–",
        seconds.map { Format.fixed($0 > 0 ? Double(steps) / $0 : 0, 0) } ?? "–",
      ])
    }
    lines.append(
      "Time taken (training only, from the runs' `timing.json`; evaluation and process start-up "
        + "excluded\(machineText)):\n\n"
        + time.text)
    return lines.joined(separator: "\n\n")
  }
}

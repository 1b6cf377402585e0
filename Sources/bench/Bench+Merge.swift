import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench merge --into DIR SHARD_DIR...`: join result folders.
  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Join result folders (e.g. the shards of 'bench run --shard i/N') into one.",
      discussion: """
        Copies every complete run of each SHARD_DIR into --into (each run atomically). A run \
        present in several folders must have the same summary (wall-clock fields aside); if any \
        differ, nothing is written and every conflict is listed. The sessions of each suite must \
        agree on everything that can change a result (git revision, Swift, OpenBLAS build, core \
        and threads, GSL, RNG); sessions of different suites may differ (one build per suite). \
        The merged manifest.json lists every session under "shards". Run folders \
        must be named seed-<n> and agree with their spec.json and summary.json. The --into folder \
        is locked like bench run's (--wait waits for its holder).
        """)

    @Option(help: "The folder to merge into (created if missing; its runs take part in the checks).")
    var into: String

    @Argument(help: "The result folders to merge.")
    var shardDirectories: [String]

    @Flag(help: "Merge even when the manifests differ in a result-changing field.")
    var allowMixedProvenance = false

    @Flag(help: "When another bench process writes the --into folder, wait for it instead of exiting.")
    var wait = false

    func validate() throws {
      if shardDirectories.isEmpty { throw ValidationError("Please give at least one SHARD_DIR to merge.") }
    }

    func run() throws {
      var merger = ResultsMerger(
        target: ResultsStore(root: URL(fileURLWithPath: into, isDirectory: true)),
        sources: shardDirectories.map { ResultsStore(root: URL(fileURLWithPath: $0, isDirectory: true)) },
        allowMixedProvenance: allowMixedProvenance)
      merger.waitForLock = wait
      merger.waiting = { FileHandle.standardError.write(Data("Waiting for \(into), in use by \($0).\n".utf8)) }
      let outcome = try merger.merge(commandLine: CommandLine.arguments)
      print(
        "\(outcome.copied.count) runs copied, \(outcome.duplicates.count) identical duplicates skipped: "
          + into
      )
    }
  }
}

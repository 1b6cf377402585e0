import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench plot`: learning curves, the aggregate chart and performance profiles as PNG.
  struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Draw learning curves with 95% bands, the aggregate IQM chart and performance profiles.",
      discussion: """
        For each suite with runs (or --suite), writes <out>/<suite>-curves-<env>.png per environment (mean over seeds of the last-100 \
        training return against environment steps, 95% bootstrap band, dashed published zoo \
        scores and random policy), <suite>-aggregate-iqm.png and <suite>-performance-profile.png, \
        and updates results/aggregate/<suite>.json. Same results, same bytes. Figures of the suite \
        that the results no longer give (an environment no longer run, an aggregate without a common \
        seed) are removed from <out>; other files are left alone.
        """)

    @OptionGroup var options: AnalysisOptions

    @Option(help: "Where the PNG files go (default: <results>/plots).")
    var out: String?

    func run() throws {
      let folder = URL(fileURLWithPath: out ?? options.store.root.appendingPathComponent("plots").path)
      for (catalog, aggregate, _) in try options.aggregates() {
        let written = try FigureSet(catalog: catalog, aggregate: aggregate).write(to: folder)
        for url in written { print(url.path) }
      }
    }
  }
}

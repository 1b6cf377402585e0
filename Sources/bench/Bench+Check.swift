import ArgumentParser
import BenchmarkSuite
import Foundation

extension Bench {
  /// `bench check`: our results beside the published numbers; exit 1 on any "worse".
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare the results with the published rl-baselines-zoo numbers; exit 1 if any is worse.",
      discussion: """
        Each published row is one trained agent (one training seed) evaluated with the stochastic \
        policy over about 150,000 steps; our runs are evaluated the same way after training. Let \
        x1..xn be our per-seed evaluation means, [L, U] the 95% bootstrap CI of their mean, P the \
        published mean and d = 1.96 * published_std / sqrt(published_episodes) the published \
        number's own noise. Verdicts:

          matches                L - d <= P <= U + d
          matches (seed spread)  otherwise, min(x) - d <= P <= max(x) + d
          better                 min(x) > P + d   (every seed beats it)
          worse                  max(x) < P - d   (every seed falls short)
          not comparable         our training budget differs from the published agent's

        The seed-spread clause is there because the published score is a single agent, one draw \
        from a distribution over seeds, not a mean. If our implementation had the same \
        distribution, all n of our seeds would fall below it with probability at most 1/(n+1), \
        so "worse" is evidence, not proof; bench report adds the learning curves for every worse \
        row. Exit code 1 when any row is worse, 0 otherwise.
        """)

    @OptionGroup var options: AnalysisOptions

    func run() throws {
      let (_, aggregate, _) = try options.aggregate()
      let rows = ReferenceCheck.compare(aggregate)
      print(CheckTable.render(rows, suite: aggregate.suite))
      if rows.contains(where: \.verdict.isFailure) { throw ExitCode.failure }
    }
  }
}

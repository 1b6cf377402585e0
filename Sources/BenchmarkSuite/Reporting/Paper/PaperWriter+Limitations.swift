import Environments
import Foundation
import Statistics

/// §4 Limitations.
extension PaperWriter {
  // MARK: Limitations

  var limitations: String {
    var items = [seedLimitation]
    let environments = catalog.environments
    if nonClassicEnvironments.isEmpty {
      items.append(
        "**Classic control only.** \(environments.count) classic-control task\(environments.count == 1 ? "" : "s") "
          + "(\(environments.joined(separator: ", "))); the conclusions need not carry over to Atari or MuJoCo, "
          + "where the algorithms' published comparisons were made.")
    }
    items.append(
      "**Different random numbers.** "
        + (nonClassicEnvironments.isEmpty
          ? "Our environments match Gymnasium's dynamics exactly, but initial states, "
          : "The bridged environments are Gymnasium's own, seeded from our run seeds; ")
        + "action samples and network initialisation come from GSL mt19937 streams, not NumPy or TensorFlow, "
        + "so individual runs cannot reproduce "
        + (zooIsReference ? "the zoo's agents" : "the reference implementation's runs") + ", only their distribution.")
    // The caveats the published rows carry (published-numbers.md), once each.
    var caveats: [String] = []
    for row in comparisons where !row.published.caveat.isEmpty && !caveats.contains(row.published.caveat) {
      caveats.append(row.published.caveat)
    }
    if !caveats.isEmpty {
      items.append("**Published settings that differ from ours.** " + caveats.map { $0.prefix(1).uppercased() + $0.dropFirst() + "." }.joined(separator: " "))
    }
    items.append(
      "**Wall-clock numbers** (training time, steps/s) come from "
        + (processors.count > 1
          ? "\(processors.count) machines (\(processorText!)), the runs of each session on its own, so steps/s "
            + "mix them"
          : processorText.map { "one machine (\($0))" } ?? "a machine the manifest does not describe")
        + ", whatever else it ran at the time, and are information only; `bench regress` gates speed on "
        + "callgrind instruction counts instead.")
    return "## 4. Limitations\n\n" + items.map { "- " + $0 }.joined(separator: "\n")
  }

  /// What the seeds and the published numbers can decide: against single published agents (the
  /// zoo) only large shortfalls; where nothing published is comparable, only the reference
  /// implementation's runs (§2.7), if any, check the results.
  var seedLimitation: String {
    let tested = comparisons.filter { $0.verdict != .notComparable }
    if tested.isEmpty {
      return "**Few seeds, no published number tested.** "
        + (Set(seedCounts) == [1]
          ? "One seed per cell does not bound our mean at all, "
          : "Our \(seedText) per cell bound the mean only loosely, ")
        + "and "
        + (comparisons.isEmpty
          ? "no published number exists for this suite's environments"
          : "no published number is comparable like with like (§2.1: other algorithms, budgets or protocols, or "
            + "values read from figures)")
        + (implementationComparisons.isEmpty
          ? ": these are new results, and nothing in this report checks them against another implementation."
          : ": runs of the reference implementation itself on \(Self.cells(implementationComparisons.count)) "
            + "(§2.7) are this suite's only external check.")
    }
    let several = tested.contains { $0.published.trainingSeeds > 1 }
      ? " A published mean of several seeds is tested with its own seed spread (§1.5)." : ""
    // What more runs could decide: the reference implementation's runs where this suite has them (§2.7).
    let finer =
      implementationComparisons.isEmpty
      ? " This suite has no runs of the reference implementation to decide finer questions."
      : " Runs of the reference implementation (§2.7) decide finer questions."
    let oneSeed = Set(seedCounts) == [1]
    let bound =
      oneSeed
      ? "one seed per cell does not bound our mean at all (no seed spread)"
      : "our \(seedText) per cell bound the mean only loosely"
    guard tested.contains(where: { $0.published.trainingSeeds == 1 }) else {
      return "**Few seeds.** " + bound.prefix(1).uppercased() + bound.dropFirst() + "." + several + finer
    }
    return "**Few seeds, single published agents.** "
      + (several.isEmpty ? "Each published number is one agent" : "Some published numbers are one agent each")
      + "; \(bound). "
      + (oneSeed
        ? "One seed against one published agent is tested as agent against agent (§1.5): one badly trained seed "
          + "is enough for *worse*, and *matches* says only that this one agent's evaluation lies within the margin "
          + "of the published agent's, not that the implementations train alike."
        : "Against one published agent the verdict rule (§1.5) can only detect shortfalls of several seed "
          + "standard deviations.")
      + several + finer
  }
}

import Environments
import Foundation
import Statistics

/// §4 Limitations.
extension PaperWriter {
  // MARK: Limitations

  var limitations: String {
    var items = [
      "**Few seeds, single published agents.** Each published number is one agent; our \(seedText) per cell "
        + "bound the mean only loosely. Against one published agent the verdict rule (§1.5) can only detect "
        + "shortfalls of several seed standard deviations; runs of the reference implementation (§2.7) "
        + "decide finer questions."
    ]
    let environments = catalog.environments
    if nonClassicEnvironments.isEmpty {
      items.append(
        "**Classic control only.** \(environments.count) classic-control task\(environments.count == 1 ? "" : "s") "
          + "(\(environments.joined(separator: ", "))); the conclusions need not carry over to Atari or MuJoCo, "
          + "where the algorithms' published comparisons were made.")
    }
    items.append(
      "**Different random numbers.** Our environments match Gymnasium's dynamics exactly, but initial states, "
        + "action samples and network initialisation come from GSL mt19937 streams, not NumPy or TensorFlow, "
        + "so individual runs cannot reproduce the zoo's agents, only their distribution.")
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
        + (processorText.map { "one machine (\($0))" } ?? "a machine the manifest does not describe")
        + ", whatever else it ran at the time, and are information only; `bench regress` gates speed on "
        + "callgrind instruction counts instead.")
    return "## 4. Limitations\n\n" + items.map { "- " + $0 }.joined(separator: "\n")
  }
}

import Environments
import Foundation
import Statistics

/// §2.2: the evidence behind a *worse* verdict.
extension PaperWriter {
  /// The evidence paragraph of a *worse* row: where our seeds ended, how training went, and what
  /// differs from the published setting.
  func evidence(for row: ReferenceComparison) -> String {
    guard let algorithm = row.algorithm else { return "" }  // rows of other algorithms are never tested
    let runs = catalog.runs(environment: row.environment, algorithm: algorithm)
    let d = Format.digits(for: row.published.meanReturn)
    let anchors = try? ScoreAnchors.forEnvironment(row.environment)
    let published =
      row.published.trainingSeeds == 1
      ? "one agent, \(row.published.episodes) episodes, SE \(Format.fixed(row.published.standardError, d))"
      : "\(row.published.label), mean of \(row.published.trainingSeeds) seeds, \(row.published.protocolText)"
    var text =
      "**\(row.environment), \(algorithm.displayName)** — published "
        + "\(Format.fixed(row.published.meanReturn, d)) "
      + "(\(published)); "
      + "\(row.reason). Our "
      + (runs.count == 1 ? "one seed scores " : "\(runs.count) seeds score ")
      + row.scores.enumerated().map { "\(Format.fixed($1, d)) (seed \(row.seeds[$0]))" }.joined(separator: ", ")
      + (row.published.measure == .evaluation ? " in evaluation" : " over their last 100 training episodes")
    if let mean = row.mean { text += "; mean \(Format.interval(mean, d, seeds: row.seeds.count))" }
    text += ". "
    let lastHundred = runs.map(\.summary.lastHundredMeanReturn)
    text +=
      "The last 100 training episodes average "
      + lastHundred.map { Format.fixed($0, d) }.joined(separator: ", ")
      + " (best seed \(Format.fixed(lastHundred.max() ?? .nan, d))). "
    if let anchors, let best = row.scores.max() {
      text +=
        "On the normalised scale (random \(Format.score(anchors.random)) = 0, reference "
        + "\(Format.score(anchors.reference)) = 1) the best seed reaches "
        + "\(Format.fixed(anchors.normalize(best), 2)); "
    }
    if let curve = try? LearningCurve.summarize(runs, settings: aggregate.bootstrap) {
      let points = [0.25, 0.5, 0.75, 1.0].map { curve.mean(atFraction: $0) }
      text +=
        "the mean learning curve (figure `\(catalog.suite)-curves-\(row.environment).png`) stands at "
        + points.map { "\(Format.fixed($0.mean, d)) after \(Format.steps(Int($0.timesteps.rounded())))" }
        .joined(separator: ", ")
      let last = points[3]
      let before = points[2]
      if runs.count < 2 {
        // One seed: the bootstrap band has no width, so it cannot tell a rise from noise.
        let change = last.mean - before.mean
        text += "; over the last quarter of training it moved by \(change >= 0 ? "+" : "")\(Format.fixed(change, d))"
          + " (one seed: no band to judge the change against)"
      } else if last.lower > before.upper {
        text += "; it is still rising at the end of the budget (the last-quarter gain exceeds the 95% band)"
      } else if abs(last.mean - before.mean) <= max(last.upper - last.lower, 1e-9) {
        text += "; it is flat over the last quarter of training"
      }
      text += ". "
    }
    if let mean = row.mean {
      let gap = row.published.meanReturn - mean.estimate
      text += "Our mean falls \(Format.fixed(gap, d)) short of the published score"
      if let anchors {
        text +=
          " (\(Format.fixed(gap / (anchors.reference - anchors.random), 3)) on the normalised scale)"
      }
      text += ". "
    }
    text +=
      "The published \(row.published.trainingSeeds == 1 ? "agent" : "runs") trained for "
      + "\(Format.steps(row.published.trainingTimesteps)) steps, as ours"
      + (row.published.caveat.isEmpty ? "." : "; caveat: \(row.published.caveat).")
    return text
  }
}

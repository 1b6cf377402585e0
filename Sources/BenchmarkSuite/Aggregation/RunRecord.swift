import Foundation

/// One complete run read back from `results/runs/…/seed-<n>/`: its summary and learning curve.
public struct RunRecord: Sendable, Equatable {
  /// `summary.json`.
  public var summary: RunSummary
  /// `curve.csv`.
  public var curve: CurveTable
  /// `timing.json` (wall-clock, information only), when the folder has one.
  public var timing: RunTiming?

  /// A run from its parsed files.
  public init(summary: RunSummary, curve: CurveTable, timing: RunTiming? = nil) {
    self.summary = summary
    self.curve = curve
    self.timing = timing
  }

  /// The run.
  public var run: RunSpec { summary.run }
  /// The environment id.
  public var environment: String { summary.run.entry.environment }
  /// The algorithm.
  public var algorithm: AlgorithmID { summary.run.entry.algorithm }
  /// The seed.
  public var seed: Int { summary.run.seed }

  /// The score the aggregates use: the evaluation mean return (the zoo's protocol) when the run
  /// was evaluated, else the mean of the last 100 training episodes.
  public var score: Double { summary.evaluation?.meanReturn ?? summary.lastHundredMeanReturn }
}

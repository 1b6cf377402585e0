/// A floor that every seed's last-100 training return must clear at the end of its budget: the claim
/// "this algorithm learns this task", checked on its own, beside the published numbers.
///
/// ```
/// met      ⇔  every seed: mean return of its last 100 whole training episodes > minimum
/// judged   ⇔  the cell's runs trained the threshold's budget (shorter runs: "not at the budget")
/// ```
///
/// A verdict against a published agent can be *matches* for a seed that plays Pong at +12 and
/// evaluates at +17; the threshold asks the plainer question the benchmark's users ask first — did
/// training work — and `bench check` fails when the answer is no.
public struct LearningThreshold: Sendable, Equatable {
  /// The environment id.
  public var environment: String
  /// The algorithm.
  public var algorithm: AlgorithmID
  /// The last-100 training return every seed must exceed.
  public var minimum: Double
  /// The training budget at which it must do so (environment steps).
  public var trainingTimesteps: Int
  /// Why this floor.
  public var source: String

  /// The thresholds: Pong with A2C at the zoo's budget must end above +15 (the PPO paper's A2C
  /// reaches 19.7 there, the zoo's agent 18.97 in evaluation; +15 leaves room for seed spread).
  public static let all: [LearningThreshold] = [
    LearningThreshold(
      environment: "atari:Pong", algorithm: .a2c, minimum: 15, trainingTimesteps: 10_000_000,
      source: "A2C must clearly learn Pong at the zoo's 10M steps (the PPO paper's A2C: 19.7 over its last "
        + "100 training episodes at 10M steps)"),
  ]

  /// The thresholds of the cells of `aggregate`, each judged on the cell's runs.
  public static func check(_ aggregate: SuiteAggregate, thresholds: [LearningThreshold] = all) -> [LearningCheck] {
    thresholds.compactMap { threshold in
      guard let cell = aggregate.cell(environment: threshold.environment, algorithm: threshold.algorithm) else {
        return nil
      }
      let values = cell.lastHundred?.values ?? []
      let judged = cell.trainingTimesteps == threshold.trainingTimesteps && values.count == cell.seeds.count
      return LearningCheck(
        threshold: threshold, seeds: cell.seeds, lastHundred: values, trainingTimesteps: cell.trainingTimesteps,
        met: judged ? values.allSatisfy { $0 > threshold.minimum } : nil)
    }
  }
}

/// One ``LearningThreshold`` against a cell's runs.
public struct LearningCheck: Sendable, Equatable {
  /// The threshold.
  public var threshold: LearningThreshold
  /// The cell's seeds, ascending.
  public var seeds: [Int]
  /// Each seed's last-100 training return, in seed order.
  public var lastHundred: [Double]
  /// The runs' training budget.
  public var trainingTimesteps: Int
  /// Whether every seed cleared the floor; `nil` when the runs did not train the threshold's budget.
  public var met: Bool?

  /// "atari:Pong A2C: last-100 return 17.31 (seed 0) > +15 at 10M steps: met".
  public var text: String {
    let t = threshold
    let values = zip(seeds, lastHundred).map { "\(Format.fixed($1, 2)) (seed \($0))" }.joined(separator: ", ")
    let floor = (t.minimum >= 0 ? "+" : "") + Format.fixed(t.minimum, t.minimum.rounded() == t.minimum ? 0 : 2)
    let verdict: String
    switch met {
    case true?: verdict = "met"
    case false?: verdict = "NOT met"
    case nil:
      verdict =
        "not judged: trained \(Format.steps(trainingTimesteps)) steps, the threshold is at "
        + Format.steps(t.trainingTimesteps)
    }
    return "\(t.environment) \(t.algorithm.displayName): last-100 training return \(values.isEmpty ? "–" : values) "
      + "> \(floor) at \(Format.steps(t.trainingTimesteps)) steps: \(verdict)"
  }
}

import GymnasiumBridge
import Statistics

/// What a suite's runs show about A2C, ACKTR and ACER, in words, for the abstract.
///
/// ```
/// for each pair (X, Y) with P(X > Y) and its 95% bootstrap CI [l, u] (§2.5, Agarwal et al. 2021):
///   l > 1/2  →  X beats Y          u < 1/2  →  Y beats X          otherwise: not told apart
/// a pair is judged only when each of its shared environments has ≥ findingSeeds seeds of both
/// (a bootstrap over fewer seeds has no spread to speak of); every pair separated and consistent
/// → one ranking "X > Y > Z"
/// pairs with fewer seeds: the agents' scores per environment, named as single agents — what
/// those agents did, not a finding about the algorithms
/// ```
extension PaperWriter {
  /// Seeds per algorithm and environment below which a pair is not judged.
  static let findingSeeds = 3

  /// The abstract's sentence on what the suite shows about the algorithms; nil with fewer than
  /// two algorithms.
  var findings: String? { findingsBody.map { "What this suite shows about the algorithms: \($0)." } }

  /// ``findings`` without its lead-in and full stop.
  var findingsBody: String? {
    // No estimate at all: with two or more algorithms, say why each is not compared.
    guard !aggregate.improvement.isEmpty else { return catalog.algorithms.count > 1 ? uncomparedText : nil }
    var judged: [(winner: AlgorithmID, loser: AlgorithmID)] = []
    var tied: [(AlgorithmID, AlgorithmID)] = []
    var unjudged: [ImprovementEstimate] = []
    for estimate in aggregate.improvement {
      let seeded = estimate.environments.allSatisfy { environment in
        [estimate.x, estimate.y].allSatisfy {
          (aggregate.cell(environment: environment, algorithm: $0)?.seeds.count ?? 0) >= Self.findingSeeds
        }
      }
      guard seeded else {
        unjudged.append(estimate)
        continue
      }
      if estimate.probability.lower > 0.5 {
        judged.append((estimate.x, estimate.y))
      } else if estimate.probability.upper < 0.5 {
        judged.append((estimate.y, estimate.x))
      } else {
        tied.append((estimate.x, estimate.y))
      }
    }
    var parts: [String] = []
    if !judged.isEmpty || !tied.isEmpty {
      let rule = "by the probability of improvement, a pair counting as separated when its 95% CI lies on one side of 0.5"
      if tied.isEmpty, let ranking = Self.ranking(judged), ranking.count == Set(aggregate.cells.map(\.algorithm)).count {
        parts.append(ranking.map(\.displayName).joined(separator: " > ") + " (every pair separated, \(rule))")
      } else {
        let beats = judged.map { "\($0.winner.displayName) beats \($0.loser.displayName)" }
        let apart =
          judged.isEmpty
          ? [tied.count == 1 ? "\(tied[0].0.displayName) and \(tied[0].1.displayName) are not told apart" : "no pair is told apart"]
          : tied.map { "\($0.0.displayName) and \($0.1.displayName) are not told apart" }
        parts.append((beats + apart).joined(separator: ", ") + " (\(rule))")
      }
    }
    if !unjudged.isEmpty {
      parts.append(singleAgentText(unjudged))
    }
    if let uncompared = uncomparedText { parts.append(uncompared) }
    if let budgets = budgetDifferences {
      parts.append("each algorithm at its own published budget, which differ on \(budgets)")
    }
    return parts.joined(separator: "; ")
  }

  /// The algorithms of the suite in no probability-of-improvement estimate, and why. The estimate
  /// of a pair takes the seeds each algorithm ran on every environment of the pair (rliable's score
  /// matrix), so an algorithm part-way through its seeds may have none in common:
  /// ```
  /// shared(X)  = environments where X and another algorithm ran
  /// common(X)  = ∩ over shared(X) of X's seeds with scores
  /// reason     = "shares no environment"        when shared(X) = ∅
  ///              "no seed on all of them"        when common(X) = ∅
  ///              "its partners lack such a seed" otherwise
  /// ```
  /// Nil when every algorithm is in an estimate.
  var uncomparedText: String? {
    let compared = Set(aggregate.improvement.flatMap { [$0.x, $0.y] })
    let missing = catalog.algorithms.filter { !compared.contains($0) }
    guard !missing.isEmpty else { return nil }
    return missing.map { algorithm -> String in
      let name = algorithm.displayName
      let shared = catalog.environments.filter { environment in
        let present = catalog.algorithms(on: environment)
        return present.contains(algorithm) && present.count > 1
      }
      guard !shared.isEmpty else { return "\(name) is not compared (it shares no environment with another algorithm)" }
      let seedSets = shared.map { environment in
        aggregate.cell(environment: environment, algorithm: algorithm).flatMap { $0.scores == nil ? nil : Set($0.seeds) } ?? []
      }
      let common = seedSets.dropFirst().reduce(seedSets[0]) { $0.intersection($1) }
      return common.isEmpty
        ? "\(name) is not compared yet (the probability of improvement takes the seeds an algorithm ran on every "
          + "environment it shares with another, and no seed of \(name)'s ran on all of them)"
        : "\(name) is not compared (each algorithm it shares environments with lacks a seed run on all of them)"
    }.joined(separator: "; ")
  }

  /// Whether the suite is on pixels: every environment is a MinAtar or Atari game.
  var isOnPixels: Bool {
    !catalog.environments.isEmpty
      && catalog.environments.allSatisfy { (try? EnvironmentCatalog.parse($0))?.provider.observesPixels == true }
  }

  /// The order of a set of "winner beats loser" pairs when it is a strict total order over the
  /// algorithms it names (every pair present, no cycle); nil otherwise.
  static func ranking(_ pairs: [(winner: AlgorithmID, loser: AlgorithmID)]) -> [AlgorithmID]? {
    let algorithms = Set(pairs.flatMap { [$0.winner, $0.loser] })
    let wins = Dictionary(grouping: pairs, by: \.winner).mapValues(\.count)
    let order = algorithms.sorted { (wins[$0] ?? 0) > (wins[$1] ?? 0) }
    // A strict total order over k algorithms has k(k−1)/2 pairs and win counts k−1, …, 0.
    guard pairs.count == algorithms.count * (algorithms.count - 1) / 2,
      order.enumerated().allSatisfy({ (wins[$0.element] ?? 0) == algorithms.count - 1 - $0.offset })
    else { return nil }
    return order
  }

  /// The pairs judged without enough seeds: each environment's scores of the algorithms involved,
  /// highest first, as single agents (or means of their few seeds).
  func singleAgentText(_ estimates: [ImprovementEstimate]) -> String {
    let algorithms = Set(estimates.flatMap { [$0.x, $0.y] })
    let environments = catalog.environments.filter { environment in estimates.contains { $0.environments.contains(environment) } }
    let seedCounts = environments.flatMap { environment in
      algorithms.compactMap { algorithm in
        aggregate.cell(environment: environment, algorithm: algorithm).map { (algorithm, $0.seeds.count) }
      }
    }
    let perEnvironment = environments.map { environment -> String in
      let scored = algorithms.compactMap { algorithm -> (AlgorithmID, Double, Int)? in
        guard let cell = aggregate.cell(environment: environment, algorithm: algorithm),
          let mean = (cell.evaluation ?? cell.lastHundred)?.mean.estimate
        else { return nil }
        return (algorithm, mean, Format.digits(for: mean))
      }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.rawValue < $1.0.rawValue }
      return "on \(environment) " + scored.map { "\($0.0.displayName) \(Format.fixed($0.1, $0.2))" }.joined(separator: ", ")
    }
    let evaluated = environments.allSatisfy { environment in
      algorithms.allSatisfy { aggregate.cell(environment: environment, algorithm: $0)?.evaluation != nil }
    }
    return "with \(Self.seedsText(seedCounts, findingSeeds: Self.findingSeeds)) the "
      + "\(evaluated ? "evaluation" : "last-100") scores are " + perEnvironment.joined(separator: "; ")
  }

  /// How many seeds stand behind a judgement without a finding, e.g. "one agent per algorithm (fewer
  /// than 3 seeds, no finding about the algorithms, only about these agents)" or "2–3 seeds per
  /// algorithm (ACKTR, ACER with fewer than 3 seeds on some environment: no finding …)".
  static func seedsText(_ counts: [(algorithm: AlgorithmID, seeds: Int)], findingSeeds: Int) -> String {
    let low = counts.map(\.seeds).min() ?? 0, high = counts.map(\.seeds).max() ?? 0
    let who =
      high <= 1 ? "one agent per algorithm"
      : low == high ? "\(high) seeds per algorithm" : "\(low)–\(high) seeds per algorithm"
    let short = Set(counts.filter { $0.seeds < findingSeeds }.map(\.algorithm))
    let all = Set(counts.map(\.algorithm))
    let why =
      short == all
      ? "fewer than \(findingSeeds) seeds,"
      : AlgorithmID.allCases.filter(short.contains).map(\.displayName).joined(separator: ", ")
        + " with fewer than \(findingSeeds) seeds on some environment:"
    return "\(who) (\(why) no finding about the algorithms, only about these agents)"
  }
}

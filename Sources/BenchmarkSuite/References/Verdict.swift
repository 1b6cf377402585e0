import Statistics

/// How our runs compare with a published number (`bench check`).
public enum Verdict: String, Codable, Sendable, CaseIterable {
  /// The published score lies inside our 95 % CI of the seed mean, widened by its own noise.
  case matches
  /// Outside that interval, but inside the spread of our individual seeds (widened likewise): the
  /// published number is one agent, i.e. one draw from a seed distribution.
  case matchesSeedSpread = "matches (seed spread)"
  /// Every one of our seeds scores above the published score plus its noise.
  case better
  /// Every one of our seeds scores below the published score minus its noise.
  case worse
  /// The runs cannot be compared with the row (different training budget, or no evaluation).
  case notComparable = "not comparable"

  /// Whether `bench check` fails on this verdict.
  public var isFailure: Bool { self == .worse }
}

/// The rule that turns our per-seed evaluation scores and a published row into a ``Verdict``.
///
/// ```
/// x₁…xₙ   our per-seed evaluation means (same protocol as the zoo: stochastic policy,
///          ≈150,000 steps, observation normalisation frozen)
/// [L, U]   95 % percentile-bootstrap CI of their mean (50,000 replicates)
/// P, σ, k  the published mean, its episode standard deviation, its episode count
/// δ        = 1.96 · σ / √k            (95 % half-width of the published agent's own
///                                      evaluation noise)
///
/// not comparable   our training budget ≠ the published agent's, or no evaluation
/// matches          L − δ ≤ P ≤ U + δ
/// matches (seed spread)  otherwise, if min xᵢ − δ ≤ P ≤ max xᵢ + δ
/// better           min xᵢ > P + δ
/// worse            max xᵢ < P − δ
/// ```
/// Why the seed spread: a zoo row is one trained agent (one training seed), so it is a single
/// draw from that implementation's distribution over seeds, not an estimate of its mean. Our CI of
/// the mean shrinks as seeds are added while the spread of single agents does not, so a correct
/// reimplementation of a high-variance algorithm would often be "worse" than a lucky published
/// seed by a CI-only rule. If both implementations had the same seed distribution, P would exceed
/// all n of our seeds with probability at most 1/(n + 1) (exchangeability), so with 5 seeds a
/// "worse" verdict is evidence at roughly the 1/6 level, not proof; the report therefore gives
/// every "worse" row an evidence paragraph (learning curves, last-100 means).
public struct VerdictRule: Sendable, Equatable {
  /// The normal quantile for the published number's noise band (1.96 for 95 %).
  public var z: Double

  /// A rule with the normal quantile `z` (default Φ⁻¹(0.975) ≈ 1.96).
  public init(z: Double = 1.959963984540054) { self.z = z }

  /// The standard rule.
  public static let standard = VerdictRule()

  /// The tolerance δ for a published row.
  public func tolerance(for published: PublishedResult) -> Double { z * published.standardError }

  /// The verdict with a one-line reason.
  ///
  /// - Parameters:
  ///   - scores: our per-seed evaluation means (at least one).
  ///   - meanInterval: the bootstrap CI of their mean.
  ///   - trainingTimesteps: our training budget.
  public func verdict(
    scores: [Double], meanInterval: IntervalEstimate, published: PublishedResult, trainingTimesteps: Int
  ) -> (verdict: Verdict, reason: String) {
    if trainingTimesteps != published.trainingTimesteps {
      return (
        .notComparable,
        "trained \(trainingTimesteps) steps; the published agent \(published.trainingTimesteps)"
      )
    }
    guard let low = scores.min(), let high = scores.max() else {
      return (.notComparable, "no evaluated seed")
    }
    let p = published.meanReturn
    let delta = tolerance(for: published)
    let reaching = scores.filter { $0 >= p - delta }.count
    if meanInterval.lower - delta <= p && p <= meanInterval.upper + delta {
      return (.matches, "published score inside our 95% CI of the mean ± δ")
    }
    if low - delta <= p && p <= high + delta {
      let side = p > meanInterval.upper + delta ? "above" : "below"
      return (
        .matchesSeedSpread,
        "published score \(side) our CI of the mean but within our seeds' range ± δ "
          + "(\(reaching) of \(scores.count) seeds reach P − δ)"
      )
    }
    if low > p + delta { return (.better, "all \(scores.count) seeds above P + δ") }
    return (.worse, "all \(scores.count) seeds below P − δ")
  }
}

/// Holm's step-down correction of m p-values for the family-wise error rate.
///
/// ```
/// p₍₁₎ ≤ … ≤ p₍ₘ₎ sorted;   p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) · p₍ⱼ₎)
/// reject H₍ᵢ₎ ⇔ p̃₍ᵢ₎ ≤ α     ⇒  P(any false rejection) ≤ α, under any dependence
/// ```
/// Holm 1979, "A simple sequentially rejective multiple test procedure", Scand. J. Statist. 6.
/// Uniformly more powerful than Bonferroni; equal to `statsmodels`' `multipletests(method="holm")`.
public enum HolmCorrection {
  /// The adjusted p-values, in the order of `pValues`.
  public static func adjusted(_ pValues: [Double]) -> [Double] {
    let m = pValues.count
    let order = pValues.indices.sorted { (pValues[$0], $0) < (pValues[$1], $1) }
    var adjusted = [Double](repeating: 1, count: m)
    var running = 0.0
    for (rank, index) in order.enumerated() {
      running = Swift.max(running, Swift.min(1, Double(m - rank) * pValues[index]))
      adjusted[index] = running
    }
    return adjusted
  }
}

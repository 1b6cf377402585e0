import Statistics

/// One line of `bench check`'s second table: our cell against runs of another implementation
/// (stable-baselines 2.10.2 made with `Tools/stable_baselines_reference.py`) where no published
/// row is decided by them — the `minatar` suite, whose games have no published A2C, ACKTR or ACER
/// number, so that those runs are the only reference.
///
/// ```
/// x₁…xₙ our evaluation means, y₁…y_k theirs (same environment, algorithm and training budget)
/// Welch:  w = √(s_x²/n + s_y²/k),  ν Welch–Satterthwaite
///         p_worse  = P(T_ν > (ȳ − x̄ − m)/w),  p_better = P(T_ν > (x̄ − ȳ − m)/w)
/// ```
/// with the margin `m` of ``VerdictRule/margin(environment:)`` and Holm's correction over these
/// rows (their own family: the published rows' verdicts do not change when reference runs appear).
public struct ImplementationCheck: Sendable, Equatable {
  /// Our cell beside the other implementation's runs.
  public var comparison: ReferenceImplementationComparison
  /// Our mean evaluation return with its 95 % bootstrap CI.
  public var mean: IntervalEstimate?
  /// The equivalence margin m in return units.
  public var margin: Double
  /// The two-sample test; nil with fewer than 2 seeds on a side.
  public var test: RowTest?
  /// Holm-adjusted p-value of "ours is worse", over the tested rows of this table.
  public var adjustedPWorse: Double?
  /// Holm-adjusted p-value of "ours is better".
  public var adjustedPBetter: Double?
  /// The verdict (``Verdict/notComparable`` when untested).
  public var verdict: Verdict

  /// The environment id.
  public var environment: String { comparison.environment }
  /// The algorithm.
  public var algorithm: AlgorithmID { comparison.algorithm }
}

extension ReferenceCheck {
  /// The cells of `aggregate` with runs of another implementation at our training budget that no
  /// published row of `published` used (``RowTest/Basis/referenceRuns(implementation:seeds:)``),
  /// each tested by Welch's t on the evaluation means, Holm-corrected over the tested rows; a cell
  /// whose runs state another evaluation protocol (``ReferenceImplementationComparison/evaluationMismatch``)
  /// is not tested.
  public static func compareImplementations(
    _ aggregate: SuiteAggregate, referenceRuns: [ReferenceImplementationRun], published: [ReferenceComparison],
    rule: VerdictRule = .standard
  ) -> [ImplementationCheck] {
    let decided = Set(
      published.compactMap { row -> ImplementationCell? in
        guard case .referenceRuns(let implementation, _)? = row.test?.basis, let algorithm = row.algorithm else { return nil }
        return ImplementationCell(implementation: implementation, environment: row.environment, algorithm: algorithm)
      })
    var rows = ReferenceImplementationComparison.compare(referenceRuns, with: aggregate)
      .filter { !decided.contains($0.cell) }
      .map { comparison in
        let margin = rule.margin(environment: comparison.environment)
        return ImplementationCheck(
          comparison: comparison,
          mean: aggregate.cell(environment: comparison.environment, algorithm: comparison.algorithm)?.evaluation?.mean,
          margin: margin,
          // Evaluation means of another protocol (budget, copies) are not ours: not tested.
          test: comparison.evaluationMismatch != nil
            ? nil
            : rule.referenceTest(
              ours: comparison.oursEvaluation, theirs: comparison.referenceEvaluation,
              implementation: comparison.implementation, margin: margin),
          adjustedPWorse: nil, adjustedPBetter: nil, verdict: .notComparable)
      }
    let verdicts = rule.verdicts(rows.map(\.test))
    for i in rows.indices {
      rows[i].verdict = verdicts[i].verdict
      rows[i].adjustedPWorse = verdicts[i].adjustedWorse
      rows[i].adjustedPBetter = verdicts[i].adjustedBetter
    }
    return rows
  }
}

import Statistics

extension VerdictRule {
  /// The rule, its false-alarm rate and the seeds a row needs, in words, for `bench check --help`
  /// (a family of `rows` published rows).
  public func helpText(rows: Int) -> String {
    let alpha = Format.fixed(familyLevel * 100, 0) + "%"
    let shortfalls = [3, 5, 10, 20].map { "n = \($0): \(Format.fixed(detectableShortfall(seeds: $0, rows: rows), 1))" }
    let twoSample = [5, 10, 20].map { "\($0): \(Format.fixed(detectableReferenceShortfall(seeds: $0, rows: rows), 2))" }
    return """
      Each published row is one trained agent (one training seed) evaluated with the stochastic \
      policy over about 150,000 steps; our runs are evaluated the same way after training. Let \
      x1..xn be our per-seed evaluation means (mean x, sd s), P the published mean and \
      SE = published_std / sqrt(published_episodes) its own evaluation noise; \
      m = \(Format.fixed(equivalenceMargin, 2)) * (reference - random) is the equivalence margin on the \
      normalised scale (5% of the way from a random policy to the best published agent: smaller \
      differences are treated as equal).

      Against one published agent (a prediction interval for one new seed of ours):
        w = sqrt(s^2 (1 + 1/n) + SE^2),  nu = n - 1
        p_worse = P(T_nu > (P - m - x)/w),  p_better = P(T_nu > (x - P - m)/w)
      One seed of ours against one published agent's evaluation: the two agents, each with \
      its own evaluation noise (se = our episodes' sd / sqrt(episodes)):
        w = sqrt(se^2 + SE^2),  nu = infinity
      With one seed a side the seeds' spread is unknown: this asks whether two agents differ \
      (one badly trained seed is enough for "worse"); 2 seeds or more use the interval above, \
      and one seed is "not comparable" with every other row.
      Where runs of the reference implementation exist (<results>/reference/, same budget, at \
      least 2 seeds, evaluated as ours are), Welch's two-sample test of their evaluation means \
      against ours, with the same margin, decides the row instead. Runs evaluated with more \
      copies within the budget count only where every episode lasts the time limit (Pendulum-v1): \
      elsewhere each copy cuts off its last, length-biased episode.

      The papers' rows (PPO paper Table 6, ACKTR paper, OpenAI baselines, MinAtar paper) carry \
      their own protocol: a mean of k training seeds over the last 100 training episodes is \
      compared with our last-100 means, w = sqrt(s^2 (1/k + 1/n)) (their seeds assumed to spread \
      as ours). Every row is compared like with like — same measure, same training budget — and \
      is "not comparable (why)" otherwise; rows read from a figure, and rows of other algorithms \
      (DQN, AC(lambda)), are printed for context and never tested.

      Verdicts, with Holm's correction over the tested rows, per direction, at alpha = \(familyLevel):
        worse           Holm-adjusted p_worse <= \(familyLevel)
        better          Holm-adjusted p_better <= \(familyLevel)
        matches         otherwise
        not comparable  other training budget, no evaluation, or fewer than 2 seeds

      False alarms: if every row were truly equivalent, the probability that the check reports \
      any worse row (exit 1) is at most \(alpha), whatever the dependence between rows (the \
      published SE added to our spread makes it a little smaller still).

      Seeds per row: with \(rows) tested rows (the classic suite's rl-baselines-zoo rows; Holm's \
      correction grows with the count), a single published agent can only be called worse when it \
      lies this many of our seed standard deviations above our mean: \
      \(shortfalls.joined(separator: ", ")). Against reference runs with n seeds on each side the \
      two-sample test finds (80% power) a shortfall of \(twoSample.joined(separator: ", ")) seed \
      sds. Recommended: 10 seeds per row, and 10 reference seeds beside any row whose verdict \
      matters. Exit code 1 when any row is worse, 0 otherwise.
      """
  }
}

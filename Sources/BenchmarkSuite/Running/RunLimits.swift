/// The allowed range of every integer `bench` takes, chosen so that no value inside them can
/// overflow an `Int` anywhere in the harness (sums of budgets over a grid, seed arithmetic) or
/// ask for an allocation a machine cannot give.
///
/// ```
/// seed            0 … 2³² − 1        the run seed is hashed into 32-bit stream seeds
///                                    (SeedSequence), so wider seeds would add no streams
/// seeds per entry 1 … 10,000         grid ≤ 13 entries × 10,000 runs
/// timesteps       1 … 10¹⁰           ≥ 100× every published budget; a grid's total
///                                    (≤ 1.3 × 10¹⁵) stays far below Int.max ≈ 9.2 × 10¹⁸
/// evaluation      0 … 10⁸            (bench run --evaluation-timesteps; 0 disables it)
/// jobs            1 … 256
/// shard count     1 … 1,000,000
/// bootstrap reps  100 … 10⁶          rliable's default is 50,000
/// episodes        2 … 10⁷            (bench random-policy)
/// ```
public enum RunLimits {
  public static let seed: ClosedRange<Int> = 0...4_294_967_295
  public static let seeds: ClosedRange<Int> = 1...10_000
  public static let timesteps: ClosedRange<Int> = 1...10_000_000_000
  public static let evaluationTimesteps: ClosedRange<Int> = 0...100_000_000
  public static let jobs: ClosedRange<Int> = 1...256
  public static let shardCount: ClosedRange<Int> = 1...1_000_000
  public static let bootstrapRepetitions: ClosedRange<Int> = 100...1_000_000
  public static let episodes: ClosedRange<Int> = 2...10_000_000
  public static let workMultiplier: ClosedRange<Int> = 1...1_000

  /// `a…b` with thousands separators, as error messages print a range.
  public static func describe(_ range: ClosedRange<Int>) -> String {
    "\(grouped(range.lowerBound))…\(grouped(range.upperBound))"
  }

  static func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var result = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { result.append(",") }
      result.append(c)
    }
    return (n < 0 ? "-" : "") + result
  }

  /// Throws ``BenchmarkError/invalidOption(name:value:allowed:)`` unless `value` ∈ `range`.
  public static func check(_ value: Int, _ name: String, _ range: ClosedRange<Int>) throws(BenchmarkError) {
    guard range.contains(value) else {
      throw .invalidOption(name: name, value: "\(value)", allowed: "an integer in \(describe(range))")
    }
  }

  /// Checks seeds, start seed and budget of a run plan: each in range, and the last seed
  /// `startSeed + seeds − 1` a valid seed too.
  public static func checkPlan(seeds: Int, startSeed: Int, timesteps: Int?) throws(BenchmarkError) {
    try check(seeds, "--seeds", Self.seeds)
    try check(startSeed, "--start-seed", seed)
    if let timesteps { try check(timesteps, "--timesteps", Self.timesteps) }
    if startSeed > seed.upperBound - (seeds - 1) {
      throw .invalidOption(
        name: "--start-seed", value: "\(startSeed)",
        allowed: "an integer in 0…\(grouped(seed.upperBound - (seeds - 1))) with --seeds \(seeds) "
          + "(the last seed, start-seed + seeds − 1, must be at most \(grouped(seed.upperBound)))")
    }
  }
}

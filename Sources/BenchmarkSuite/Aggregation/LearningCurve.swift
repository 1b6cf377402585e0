import Randomness
import Statistics

/// The mean learning curve of one (environment, algorithm) cell over seeds, with a 95 % band.
///
/// ```
/// yₛ(t)  = mean_return_last100 of seed s, linearly interpolated at t
/// grid   = `points` evenly spaced t from max_s first(t) to min_s last(t)
/// mean(t) = (1/n) Σₛ yₛ(t);   band(t) = percentile-bootstrap CI of the mean over seeds
/// ```
/// Each checkpoint's band uses the stream `bootstrap/curve/<env>/<algo>` number k, so the figure
/// is a pure function of the runs.
public struct LearningCurve: Sendable, Equatable {
  /// The environment id.
  public var environment: String
  /// The algorithm.
  public var algorithm: AlgorithmID
  /// Seeds contributing: the runs with at least one finite last-100 mean (a run that completed no
  /// training episode has no curve and is not counted).
  public var seeds: [Int]
  /// The common grid of timesteps.
  public var timesteps: [Double]
  /// Mean over seeds at each grid point.
  public var mean: [Double]
  /// Lower end of the band.
  public var lower: [Double]
  /// Upper end of the band.
  public var upper: [Double]

  /// The curve of `runs` (one cell) on `points` grid points; `nil` when no run has a finite
  /// checkpoint.
  public static func summarize(
    _ runs: [RunRecord], points: Int = 100, settings: BootstrapSettings
  ) throws(BenchmarkError) -> LearningCurve? {
    guard let first = runs.first else { return nil }
    var series: [(t: [Double], y: [Double])] = []
    var seeds: [Int] = []
    for run in runs {
      let t = try run.curve.column("timesteps")
      let y = try run.curve.column("mean_return_last100")
      let finite = t.indices.filter { y[$0].isFinite }
      guard !finite.isEmpty else { continue }
      series.append((finite.map { t[$0] }, finite.map { y[$0] }))
      seeds.append(run.seed)
    }
    guard !series.isEmpty else { return nil }
    let start = series.map { $0.t[0] }.max()!
    let end = series.map { $0.t[$0.t.count - 1] }.min()!
    let grid: [Double] =
      end > start && points >= 2
      ? (0..<points).map { $0 == points - 1 ? end : start + Double($0) * (end - start) / Double(points - 1) }
      : [end]
    let values = series.map { s in grid.map { interpolate(s.t, s.y, at: $0) } }
    let checkpoints = grid.indices.compactMap { k in try? ScoreMatrix(tasks: [values.map { $0[k] }]) }
    guard checkpoints.count == grid.count else { return nil }
    let bootstrap: StratifiedBootstrap
    do {
      bootstrap = try StratifiedBootstrap(
        repetitions: settings.curveRepetitions, confidenceLevel: settings.confidenceLevel)
    } catch {
      throw .invalidOption(
        name: "curve bootstrap", value: "\(settings.curveRepetitions)", allowed: "repetitions ≥ 1 (\(error))")
    }
    let estimates = bootstrap.curveEstimates(
      checkpoints: checkpoints, metric: .mean,
      algorithm: "curve/\(first.environment)/\(first.algorithm.rawValue)",
      seeds: SeedSequence(runSeed: UInt64(settings.seed)))
    return LearningCurve(
      environment: first.environment, algorithm: first.algorithm, seeds: seeds, timesteps: grid,
      mean: estimates.map(\.estimate), lower: estimates.map(\.lower), upper: estimates.map(\.upper))
  }

  /// Piecewise-linear interpolation of (t, y) at `x`, clamped to the ends.
  static func interpolate(_ t: [Double], _ y: [Double], at x: Double) -> Double {
    if x <= t[0] { return y[0] }
    if x >= t[t.count - 1] { return y[y.count - 1] }
    var low = 0
    var high = t.count - 1
    while high - low > 1 {
      let mid = (low + high) / 2
      if t[mid] <= x { low = mid } else { high = mid }
    }
    let w = (x - t[low]) / (t[high] - t[low])
    return y[low] + w * (y[high] - y[low])
  }

  /// The mean at the grid point nearest to the fraction `f` ∈ [0, 1] of training.
  public func mean(atFraction f: Double) -> (timesteps: Double, mean: Double, lower: Double, upper: Double) {
    let k = min(timesteps.count - 1, max(0, Int((f * Double(timesteps.count - 1)).rounded())))
    return (timesteps[k], mean[k], lower[k], upper[k])
  }
}

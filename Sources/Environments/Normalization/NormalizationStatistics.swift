#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The running statistics of SB2's `VecNormalize` (`obs_rms`, `ret_rms`), saved with a model.
///
/// Apply them with ``normalizeObservations(_:into:configuration:)`` and
/// ``normalizeRewards(_:into:configuration:)``; they never change while normalising.
public struct NormalizationStatistics: Codable, Equatable, Sendable {
  /// Running moments of the raw observations (`obs_rms`), one entry per observation component.
  public var observation: RunningMeanStd
  /// Running moments of the per-copy discounted return (`ret_rms`, one component).
  public var discountedReturn: RunningMeanStd

  /// Fresh statistics (mean 0, variance 1, count 1e-4) for observations of `observationSize`.
  public init(observationSize: Int) {
    observation = RunningMeanStd(dimension: observationSize)
    discountedReturn = RunningMeanStd(dimension: 1)
  }

  /// Statistics with the given moments.
  public init(observation: RunningMeanStd, discountedReturn: RunningMeanStd) {
    self.observation = observation
    self.discountedReturn = discountedReturn
  }

  /// SB2 `normalize_obs` on a batch of raw observations (row-major, `observation.dimension` per row).
  ///
  /// ```
  /// out[i, j] = Float(clip((Double(raw[i, j]) − μⱼ) / √(σ²ⱼ + ε), −clip, clip))
  /// ```
  /// (NumPy promotes the `float32` observations to `float64` against the `float64` statistics; the
  /// policy then casts to `float32`.) Copies `raw` unchanged when observation normalisation is off.
  public func normalizeObservations(
    _ raw: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
    configuration: NormalizationConfiguration
  ) {
    precondition(raw.count == output.count && raw.count % observation.dimension == 0)
    guard configuration.normalizeObservations else {
      for k in raw.indices { output[k] = raw[k] }
      return
    }
    let dimension = observation.dimension
    let clip = configuration.clipObservation
    for k in raw.indices {
      let j = k % dimension
      let scaled =
        (Double(raw[k]) - observation.mean[j]) / sqrt(observation.variance[j] + configuration.epsilon)
      output[k] = Float(PythonArithmetic.clip(scaled, -clip, clip))
    }
  }

  /// SB2 `normalize_reward` on a batch of `float32` rewards.
  ///
  /// ```
  /// out[i] = clip(raw[i] / Float(√(σ²_ret + ε)), −clip, clip)          (in Float32)
  /// ```
  /// SB2 ran on NumPy 1.x, where dividing a `float32` array by a `float64` scalar stays in
  /// `float32` (value-based casting), so the divisor is rounded to `Float32` first. Copies `raw`
  /// unchanged when reward normalisation is off. (The same Python code under NumPy 2, NEP 50,
  /// would divide in `float64` and round once, which can differ from SB2 as it ran by one ulp.)
  public func normalizeRewards(
    _ raw: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
    configuration: NormalizationConfiguration
  ) {
    precondition(raw.count == output.count)
    guard configuration.normalizeRewards else {
      for k in raw.indices { output[k] = raw[k] }
      return
    }
    let scale = Float(sqrt(discountedReturn.variance[0] + configuration.epsilon))
    let clip = Float(configuration.clipReward)
    for k in raw.indices {
      output[k] = PythonArithmetic.clip(raw[k] / scale, -clip, clip)
    }
  }
}

/// The learning-rate schedules of stable-baselines / OpenAI baselines (`common/schedules.py`).
///
/// `lr(p) = lr₀ · f(p)` with progress `p = step / total` (algorithms.md §1.7):
///
/// | schedule | f(p) |
/// | --- | --- |
/// | constant | 1 |
/// | linear | 1 − p |
/// | middleDrop | 1 − p if 1 − p ≥ 0.75, else 0.075 |
/// | doubleLinearConstant | with q = 2p: 1 − q if 1 − q ≥ 0.125, else 0.125 |
/// | doubleMiddleDrop | 1 − p if 1 − p ≥ 0.75; 0.075 if 0.25 ≤ 1 − p < 0.75; else 0.125 |
public enum LearningRateSchedule: String, Codable, Sendable, CaseIterable {
  case constant
  case linear
  case middleDrop = "middle_drop"
  case doubleLinearConstant = "double_linear_con"
  case doubleMiddleDrop = "double_middle_drop"

  /// The multiplier `f(p)`.
  ///
  /// `p` may exceed 1 (a second `learn` without resetting the step count); `linear` then goes
  /// negative exactly as in stable-baselines (algorithms.md §4.8).
  public func multiplier(progress p: Double) -> Double {
    switch self {
    case .constant: return 1
    case .linear: return 1 - p
    case .middleDrop: return 1 - p >= 0.75 ? 1 - p : 0.075
    case .doubleLinearConstant:
      let q = 1 - 2 * p
      return q >= 0.125 ? q : 0.125
    case .doubleMiddleDrop:
      let e = 1 - p
      if e >= 0.75 { return e }
      return e >= 0.25 ? 0.075 : 0.125
    }
  }
}

/// stable-baselines' legacy `Scheduler`: `value()` returns `lr₀·f(n / total)` and then `n += 1`.
///
/// A2C and ACKTR call it once per *sample* of the batch and use the last value, so update
/// `u = 1, 2, …` runs at `lr₀·f((u·B − 1)/total)` (algorithms.md §1.7). The counter restarts on
/// every `learn` call.
public struct Scheduler: Sendable, Codable, Equatable {
  /// `lr₀`.
  public var initialValue: Double
  /// The schedule `f`.
  public var schedule: LearningRateSchedule
  /// `total` (the `total_timesteps` of the current `learn` call).
  public var total: Double
  /// The number of values taken so far.
  public private(set) var count: Int = 0

  public init(initialValue: Double, schedule: LearningRateSchedule, total: Int) {
    self.initialValue = initialValue
    self.schedule = schedule
    self.total = Double(max(total, 1))
  }

  /// Returns `lr₀·f(n / total)` and advances `n`.
  public mutating func value() -> Double {
    let v = initialValue * schedule.multiplier(progress: Double(count) / total)
    count += 1
    return v
  }

  /// Takes `samples` values, as stable-baselines' per-sample loop does, and returns the last one.
  public mutating func value(forBatchOf samples: Int) -> Double {
    precondition(samples >= 1, "a batch has at least one sample")
    count += samples - 1
    return value()
  }

  /// The value at an explicit step without advancing (ACER's `value_steps`).
  public func value(atStep step: Int) -> Double {
    initialValue * schedule.multiplier(progress: Double(step) / total)
  }
}

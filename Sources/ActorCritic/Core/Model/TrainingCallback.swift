/// What a callback sees during training (stable-baselines' `locals`, made explicit).
public struct TrainingContext: Sendable {
  /// Environment steps taken so far (all envs), `num_timesteps`.
  public var timesteps: Int
  /// `total_timesteps` of the current `learn` call (plus earlier steps when not reset).
  public var totalTimesteps: Int
  /// Updates done in the current `learn` call.
  public var updates: Int
  /// Episodes completed so far in the current `learn` call.
  public var episodes: Int
  /// The metrics of the latest update, if any.
  public var latestMetrics: UpdateMetrics?
}

/// Hooks into training (stable-baselines 3 `BaseCallback`; SB2 passes a callable).
///
/// Returning `false` from ``onStep(_:)`` or ``onUpdate(_:)`` stops training after the current
/// step; `learn` then returns normally with everything done so far kept.
public protocol TrainingCallback: AnyObject {
  /// Called once before the first rollout.
  func onTrainingStart(_ context: TrainingContext)
  /// Called after every vectorised environment step.
  func onStep(_ context: TrainingContext) -> Bool
  /// Called after every gradient update with its metrics.
  func onUpdate(_ context: TrainingContext) -> Bool
  /// Called once when training ends (normally or stopped).
  func onTrainingEnd(_ context: TrainingContext)
}

extension TrainingCallback {
  public func onTrainingStart(_ context: TrainingContext) {}
  public func onStep(_ context: TrainingContext) -> Bool { true }
  public func onUpdate(_ context: TrainingContext) -> Bool { true }
  public func onTrainingEnd(_ context: TrainingContext) {}
}

/// A callback made of closures; the convenient form for scripts and tests.
public final class ClosureCallback: TrainingCallback {
  private let step: ((TrainingContext) -> Bool)?
  private let update: ((TrainingContext) -> Bool)?

  /// - Parameters:
  ///   - onStep: called after every environment step; return `false` to stop.
  ///   - onUpdate: called after every update; return `false` to stop.
  public init(
    onStep: ((TrainingContext) -> Bool)? = nil, onUpdate: ((TrainingContext) -> Bool)? = nil
  ) {
    self.step = onStep
    self.update = onUpdate
  }

  public func onStep(_ context: TrainingContext) -> Bool { step?(context) ?? true }
  public func onUpdate(_ context: TrainingContext) -> Bool { update?(context) ?? true }
}

/// Runs several callbacks in order; stops when any of them asks to.
public final class CallbackList: TrainingCallback {
  public let callbacks: [any TrainingCallback]
  public init(_ callbacks: [any TrainingCallback]) { self.callbacks = callbacks }

  public func onTrainingStart(_ context: TrainingContext) { for c in callbacks { c.onTrainingStart(context) } }
  public func onStep(_ context: TrainingContext) -> Bool {
    var go = true
    for c in callbacks { go = c.onStep(context) && go }
    return go
  }
  public func onUpdate(_ context: TrainingContext) -> Bool {
    var go = true
    for c in callbacks { go = c.onUpdate(context) && go }
    return go
  }
  public func onTrainingEnd(_ context: TrainingContext) { for c in callbacks { c.onTrainingEnd(context) } }
}

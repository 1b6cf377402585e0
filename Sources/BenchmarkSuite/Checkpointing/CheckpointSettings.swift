import Foundation

/// How ``RunExecutor`` checkpoints and resumes a run (`bench run --checkpoint-every`).
public struct CheckpointSettings: Sendable {
  /// How often to write a checkpoint (``CheckpointInterval/off``: never, but still stop on a signal).
  public var interval: CheckpointInterval
  /// The stop request to poll after every update and during the evaluation (nil: none).
  public var stop: StopSignal?
  /// Where messages go (resume, fallback after a damaged checkpoint, write failures).
  public var log: @Sendable (String) -> Void
  /// Called with the steps already trained when a run resumes from a checkpoint.
  public var onResume: (@Sendable (Int) -> Void)?

  public init(
    interval: CheckpointInterval, stop: StopSignal? = nil,
    log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
    onResume: (@Sendable (Int) -> Void)? = nil
  ) {
    self.interval = interval
    self.stop = stop
    self.log = log
    self.onResume = onResume
  }
}

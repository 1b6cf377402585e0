/// One transparent restart of a bridge worker, as the run's summary records it.
public struct WorkerRestart: Equatable, Hashable, Codable, Sendable {
  /// The worker's index (0-based; worker `w` hosts a contiguous range of copies).
  public var worker: Int
  /// The copies it hosts, whose episodes in flight ended as truncated and interrupted.
  public var environments: [Int]
  /// Vector steps taken before the one that failed.
  public var step: Int
  /// Why: `died (killed by signal 9)`, `timed out after 60 s`, `garbled reply: …`.
  public var reason: String
  /// The restart count of this worker; its copies were re-seeded from generation `generation`
  /// (see ``SubprocessVectorEnvironment/seed(of:generation:seeds:)``).
  public var generation: Int

  /// Creates a record.
  public init(worker: Int, environments: [Int], step: Int, reason: String, generation: Int) {
    self.worker = worker
    self.environments = environments
    self.step = step
    self.reason = reason
    self.generation = generation
  }
}

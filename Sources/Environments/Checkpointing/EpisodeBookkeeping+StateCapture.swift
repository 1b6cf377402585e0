/// The episode bookkeeping every vector environment's checkpoint holds (``VectorEnvironment`` and
/// the Gymnasium bridge's `SubprocessVectorEnvironment` write the same layout):
///
/// ```
/// completedEpisodes  Int n, n × (environmentIndex Int, return Double, length Int, truncated Bool,
///                    interrupted Bool)                         the episodes of the last step
/// monitor            returns [Double], lengths [Int], totalSteps Int
/// ```
extension BinaryStateWriter {
  /// Appends the episodes that finished in the last step.
  public mutating func write(completedEpisodes episodes: [EpisodeRecord]) {
    write(episodes.count)
    for e in episodes {
      write(e.environmentIndex)
      write(e.episodeReturn)
      write(e.length)
      write(e.truncated)
      write(e.interrupted)
    }
  }

  /// Appends the monitor's finished episodes and step count.
  public mutating func write(monitor: EpisodeMonitor) {
    write(monitor.returns)
    write(monitor.lengths)
    write(monitor.totalSteps)
  }
}

extension BinaryStateReader {
  /// Reads what ``BinaryStateWriter/write(completedEpisodes:)`` wrote for `copies` copies.
  public mutating func readCompletedEpisodes(copies: Int) throws(BinaryStateError) -> [EpisodeRecord] {
    let completedCount = try readInt("completedEpisodes")
    guard (0...copies).contains(completedCount) else {
      throw .invalid(field: "completedEpisodes", reason: "\(completedCount) episodes from \(copies) copies")
    }
    var completed: [EpisodeRecord] = []
    for _ in 0..<completedCount {
      let index = try readInt("completedEpisodes.environmentIndex")
      guard (0..<copies).contains(index) else {
        throw .invalid(field: "completedEpisodes.environmentIndex", reason: "\(index) is not a copy")
      }
      completed.append(
        EpisodeRecord(
          environmentIndex: index, episodeReturn: try readDouble("completedEpisodes.return"),
          length: try readInt("completedEpisodes.length"), truncated: try readBool("completedEpisodes.truncated"),
          interrupted: try readBool("completedEpisodes.interrupted")))
    }
    return completed
  }

  /// Reads what ``BinaryStateWriter/write(monitor:)`` wrote.
  public mutating func readMonitor() throws(BinaryStateError) -> EpisodeMonitor {
    let returns = try readArray(Double.self, "monitor.returns")
    let lengths = try readArray(Int.self, "monitor.lengths", count: returns.count)
    let totalSteps = try readInt("monitor.totalSteps")
    var monitor = EpisodeMonitor()
    for (r, l) in zip(returns, lengths) {
      monitor.record(EpisodeRecord(environmentIndex: 0, episodeReturn: r, length: l, truncated: false))
    }
    monitor.countSteps(totalSteps)
    return monitor
  }
}

import Environments

/// ``TrainingState``'s part of a checkpoint:
///
/// ```
/// actionRandom, predictionRandom   stream states [UInt8]
/// timesteps Int
/// episodes   n × (timesteps Int, return Double, length Int, environmentIndex Int, interrupted Bool)
/// history    keys [String] (every extras key, sorted), n × (update Int, timesteps Int,
///            learningRate, policyLoss, valueLoss, entropy, explainedVariance, gradientNorm,
///            stepsPerSecond, meanEpisodeReturn, meanEpisodeLength: Double,
///            extras: m × (key index Int, value Double))
/// ```
extension TrainingState {
  func captureState(into writer: inout BinaryStateWriter) {
    writer.write(bytes: actionRandom.state)
    writer.write(bytes: predictionRandom.state)
    writer.write(timesteps)
    let all = episodes.episodes
    writer.write(all.count)
    for e in all {
      writer.write(e.timesteps)
      writer.write(e.episodeReturn)
      writer.write(e.length)
      writer.write(e.environmentIndex)
      writer.write(e.interrupted)
    }
    let keys = Set(history.flatMap(\.extras.keys)).sorted()
    let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
    writer.write(keys.count)
    for key in keys { writer.write(key) }
    writer.write(history.count)
    for m in history {
      writer.write(m.update)
      writer.write(m.timesteps)
      for x in [
        m.learningRate, m.policyLoss, m.valueLoss, m.entropy, m.explainedVariance, m.gradientNorm, m.stepsPerSecond,
        m.meanEpisodeReturn, m.meanEpisodeLength,
      ] {
        writer.write(x)
      }
      let extras = m.extras.sorted { $0.key < $1.key }
      writer.write(extras.count)
      for (key, value) in extras {
        writer.write(index[key]!)
        writer.write(value)
      }
    }
  }

  func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    let action = try reader.readBytes("actionRandom")
    let prediction = try reader.readBytes("predictionRandom")
    for (name, bytes, stream) in [("actionRandom", action, actionRandom), ("predictionRandom", prediction, predictionRandom)]
    where bytes.count != stream.state.count {
      throw .invalid(field: name, reason: "\(bytes.count) bytes, a stream state has \(stream.state.count)")
    }
    let restoredTimesteps = try reader.readInt("timesteps")
    let episodeCount = try reader.readInt("episodes")
    guard episodeCount >= 0, episodeCount <= reader.remaining / 33 else {
      throw .truncated(field: "episodes", needed: max(episodeCount, 0) &* 33, remaining: reader.remaining)
    }
    var tracker = EpisodeTracker()
    for _ in 0..<episodeCount {
      let t = try reader.readInt("episode.timesteps")
      let r = try reader.readDouble("episode.return")
      let l = try reader.readInt("episode.length")
      let i = try reader.readInt("episode.environmentIndex")
      let interrupted = try reader.readBool("episode.interrupted")
      tracker.record(
        [EpisodeRecord(environmentIndex: i, episodeReturn: r, length: l, truncated: false, interrupted: interrupted)],
        timesteps: t)
    }
    let keyCount = try reader.readInt("history.keys")
    guard keyCount >= 0, keyCount <= reader.remaining / 8 else {
      throw .truncated(field: "history.keys", needed: max(keyCount, 0) &* 8, remaining: reader.remaining)
    }
    var keys: [String] = []
    for _ in 0..<keyCount { keys.append(try reader.readString("history.key")) }
    let historyCount = try reader.readInt("history")
    guard historyCount >= 0, historyCount <= reader.remaining / 96 else {
      throw .truncated(field: "history", needed: max(historyCount, 0) &* 96, remaining: reader.remaining)
    }
    var restoredHistory: [UpdateMetrics] = []
    restoredHistory.reserveCapacity(historyCount)
    for _ in 0..<historyCount {
      let update = try reader.readInt("history.update")
      let steps = try reader.readInt("history.timesteps")
      var x: [Double] = []
      for _ in 0..<9 { x.append(try reader.readDouble("history.metric")) }
      let extraCount = try reader.readInt("history.extras")
      guard (0...keys.count).contains(extraCount) else {
        throw .invalid(field: "history.extras", reason: "\(extraCount) extras, \(keys.count) keys")
      }
      var extras: [String: Double] = [:]
      for _ in 0..<extraCount {
        let k = try reader.readInt("history.extras.key")
        guard keys.indices.contains(k) else { throw .invalid(field: "history.extras.key", reason: "index \(k)") }
        extras[keys[k]] = try reader.readDouble("history.extras.value")
      }
      restoredHistory.append(
        UpdateMetrics(
          update: update, timesteps: steps, learningRate: x[0], policyLoss: x[1], valueLoss: x[2], entropy: x[3],
          explainedVariance: x[4], gradientNorm: x[5], stepsPerSecond: x[6], meanEpisodeReturn: x[7],
          meanEpisodeLength: x[8], extras: extras))
    }
    actionRandom.state = action
    predictionRandom.state = prediction
    timesteps = restoredTimesteps
    episodes = tracker
    history = restoredHistory
  }
}

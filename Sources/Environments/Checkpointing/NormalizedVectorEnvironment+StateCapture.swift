import Randomness

/// A ``NormalizedVectorEnvironment``'s checkpoint (SB2 `VecNormalize`'s state, including what
/// its pickle leaves out):
///
/// ```
/// training Bool
/// obs_rms   mean [Double], variance [Double], count Double
/// ret_rms   mean [Double], variance [Double], count Double
/// ret       discountedReturns [Double]   (per copy)
/// rewards [Float], observations (normalised, raw bytes)
/// wrapped   the wrapped environment's checkpoint
/// ```
/// When the wrapped environment restarts its episodes, `ret` restarts at 0 and the first
/// observations are normalised with the restored statistics (which the restart does not update).
extension NormalizedVectorEnvironment: CheckpointableVectorEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) -> EnvironmentCaptureFidelity {
    guard let inner = wrapped as? any CheckpointableVectorEnvironment else {
      writer.write(false)
      return .restartsEpisodes(reason: "\(environmentID): the wrapped vector environment cannot be checkpointed")
    }
    writer.write(true)
    writer.write(training)
    for rms in [statistics.observation, statistics.discountedReturn] {
      writer.write(rms.mean)
      writer.write(rms.variance)
      writer.write(rms.count)
    }
    writer.write(discountedReturns)
    writer.write(rewards)
    writer.write(bytes: UnsafeRawBufferPointer(observations.bytes))
    return inner.captureState(into: &writer)
  }

  public func restoreState(
    from reader: inout BinaryStateReader, restartSeeds: SeedSequence
  ) throws(BinaryStateError) -> EnvironmentCaptureFidelity {
    guard try reader.readBool("normalization.captured"), let inner = wrapped as? any CheckpointableVectorEnvironment
    else { throw .invalid(field: "normalization.captured", reason: "the checkpoint holds no wrapped environment state") }
    let newTraining = try reader.readBool("normalization.training")
    var restored = statistics
    for (name, dimension) in [("obs_rms", observationSize), ("ret_rms", 1)] {
      var rms = name == "obs_rms" ? restored.observation : restored.discountedReturn
      rms.mean = try reader.readArray(Double.self, "\(name).mean", count: dimension)
      rms.variance = try reader.readArray(Double.self, "\(name).var", count: dimension)
      rms.count = try reader.readDouble("\(name).count")
      if name == "obs_rms" { restored.observation = rms } else { restored.discountedReturn = rms }
    }
    let newReturns = try reader.readArray(Double.self, "ret", count: count)
    let newRewards = try reader.readArray(Float.self, "normalization.rewards", count: count)
    try reader.readBytes("normalization.observations", into: observations.bytes)
    let fidelity = try inner.restoreState(from: &reader, restartSeeds: restartSeeds)
    do { try loadStatistics(restored) } catch {
      throw .invalid(field: "normalization.statistics", reason: "\(error)")
    }
    training = newTraining
    discountedReturns = newReturns
    rewards = newRewards
    if fidelity != .exact {
      discountedReturns = [Double](repeating: 0, count: count)
      rewards = [Float](repeating: 0, count: count)
      normalizeObservations()
    }
    return fidelity
  }
}

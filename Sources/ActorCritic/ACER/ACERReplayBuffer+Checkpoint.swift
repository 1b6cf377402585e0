import Environments

/// The replay buffer's checkpoint, compact: only the filled slots, observations in their own
/// element type (uint8 frames stay uint8, one byte per component).
///
/// ```
/// capacity Int, count Int, nextIndex Int
/// observations   count × E·(T+1)·width·elementSize bytes
/// actions [Int32], rewards [Float], behaviourProbabilities [Float], dones [Bool]   count slots each
/// masks [Float] (E·(T+1) per slot), initialStates [Float] (E·stateCount per slot)   recurrent only
/// ```
/// A full ring of the zoo's Atari ACER (250 slots of 16·21 84×84×4 frames) is ≈2.4 GB, as in
/// memory; a MinAtar or classic-control ring is a few MB.
extension ACERReplayBuffer {
  func captureState(into writer: inout BinaryStateWriter) {
    writer.write(capacity)
    writer.write(count)
    writer.write(nextIndex)
    writer.write(bytes: observations)
    writer.write(actions)
    writer.write(rewards)
    writer.write(behaviourProbabilities)
    writer.write(dones)
    writer.write(masks)
    writer.write(initialStates)
  }

  /// Restores into an empty buffer of the same shape, keeping its reserved storage.
  func restoreState(from reader: inout BinaryStateReader) throws(BinaryStateError) {
    let savedCapacity = try reader.readInt("replay.capacity")
    guard savedCapacity == capacity else {
      throw .invalid(field: "replay.capacity", reason: "checkpoint has \(savedCapacity) slots, buffer \(capacity)")
    }
    let savedCount = try reader.readInt("replay.count")
    let savedNext = try reader.readInt("replay.nextIndex")
    guard (0...capacity).contains(savedCount), (0..<capacity).contains(savedNext),
      savedCount == capacity || savedNext == savedCount
    else {
      throw .invalid(field: "replay.count", reason: "count \(savedCount), next \(savedNext) in a ring of \(capacity)")
    }
    let rows = savedCount * rowsPerSlot
    // A slice of the checkpoint's bytes: the frames are copied once, into the ring, after every
    // field has been validated (a full Atari ring is ≈2.4 GB).
    let savedObservations = try reader.readByteSlice("replay.observations")
    guard savedObservations.count == savedCount * observationsPerSlot else {
      throw .invalid(field: "replay.observations", reason: "\(savedObservations.count) bytes for \(savedCount) slots")
    }
    let savedActions = try reader.readArray(Int32.self, "replay.actions", count: rows)
    guard savedActions.allSatisfy({ (0..<Int32(actionCount)).contains($0) }) else {
      throw .invalid(field: "replay.actions", reason: "an action outside 0..<\(actionCount)")
    }
    let savedRewards = try reader.readArray(Float.self, "replay.rewards", count: rows)
    let savedProbabilities = try reader.readArray(Float.self, "replay.behaviourProbabilities", count: rows * actionCount)
    let savedDones = try reader.readBools("replay.dones", count: rows)
    let savedMasks = try reader.readArray(
      Float.self, "replay.masks", count: stateCount > 0 ? savedCount * environmentCount * (steps + 1) : 0)
    let savedStates = try reader.readArray(
      Float.self, "replay.initialStates", count: stateCount > 0 ? savedCount * environmentCount * stateCount : 0)
    observations.removeAll(keepingCapacity: true)
    observations.append(contentsOf: savedObservations)
    actions.removeAll(keepingCapacity: true)
    actions.append(contentsOf: savedActions)
    rewards.removeAll(keepingCapacity: true)
    rewards.append(contentsOf: savedRewards)
    behaviourProbabilities.removeAll(keepingCapacity: true)
    behaviourProbabilities.append(contentsOf: savedProbabilities)
    dones.removeAll(keepingCapacity: true)
    dones.append(contentsOf: savedDones)
    masks.removeAll(keepingCapacity: true)
    masks.append(contentsOf: savedMasks)
    initialStates.removeAll(keepingCapacity: true)
    initialStates.append(contentsOf: savedStates)
    count = savedCount
    nextIndex = savedNext
  }
}

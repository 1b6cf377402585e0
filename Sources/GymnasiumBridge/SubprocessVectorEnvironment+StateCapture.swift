import Environments
import Randomness

/// A ``SubprocessVectorEnvironment``'s checkpoint: the state of every hosted copy, asked of the
/// workers with GET_STATE (``BridgeProtocol``, version 2), and this side's bookkeeping.
///
/// ```
/// environmentID String, count Int, exact Bool
/// exact:  count × copy state [UInt8]          opaque, Python/worker/acb_state.py's byte tree
/// else:   reason String                       why not (the fidelity a restore returns)
/// observations … hasReset                    VectorStepState
/// stepsTaken Int
/// restarts   n × (worker Int, environments [Int], step Int, reason String, generation Int)
/// generations [Int]                           per copy: its worker's restart count
/// ```
/// The capture is exact when every copy can hand out its state: MinAtar and Atari (ALE) copies
/// can, a plain `gym:` environment cannot (its worker says why). Restoring an exact capture
/// sends SET_STATE to the fresh workers, whose copies continue bit for bit. Otherwise every
/// copy is made again and reset with seeds derived from `restartSeeds` —
/// `seed(of: i, generation: g, seeds: restartSeeds)` — its unfinished episode is dropped
/// (finished ones stay in the monitor), and the fidelity says so.
extension SubprocessVectorEnvironment: CheckpointableVectorEnvironment {
  public func captureState(into writer: inout BinaryStateWriter) -> EnvironmentCaptureFidelity {
    let copies = captureCopies()
    switch copies {
    case .success(let states):
      VectorStepState.writeHeader(environmentID: environmentID, count: count, exact: true, into: &writer)
      for state in states { writer.write(bytes: state) }
    case .failure(let reason):
      VectorStepState.writeHeader(environmentID: environmentID, count: count, exact: false, into: &writer)
      writer.write(reason.text)
    }
    VectorStepState(
      rewards: rewards, dones: dones, terminated: terminated, truncated: truncated, completedEpisodes: completedEpisodes,
      monitor: monitor, runningReturns: runningReturns, runningLengths: runningLengths, hasReset: hasReset
    ).write(into: &writer, observations: observations, terminalObservations: terminalObservations)
    writer.write(stepsTaken)
    writer.write(restarts.count)
    for r in restarts {
      writer.write(r.worker)
      writer.write(r.environments)
      writer.write(r.step)
      writer.write(r.reason)
      writer.write(r.generation)
    }
    writer.write((0..<count).map { i in workers.first { $0.copies.contains(i) }!.generation })
    switch copies {
    case .success: return .exact
    case .failure(let reason): return .restartsEpisodes(reason: reason.text)
    }
  }

  public func restoreState(
    from reader: inout BinaryStateReader, restartSeeds: SeedSequence
  ) throws(BinaryStateError) -> EnvironmentCaptureFidelity {
    let exact = try VectorStepState.readHeader(from: &reader, environmentID: environmentID, count: count)
    var states: [[UInt8]] = []
    var reason = ""
    if exact {
      for i in 0..<count { states.append(try reader.readBytes("copy \(i) state")) }
    } else {
      reason = try reader.readString("reason")
    }
    let step = try VectorStepState.read(
      from: &reader, copies: count, observations: observations, terminalObservations: terminalObservations)
    let newStepsTaken = try reader.readInt("stepsTaken")
    let restartCount = try reader.readInt("restarts")
    guard restartCount >= 0, restartCount <= reader.remaining / 40 else {
      throw .invalid(field: "restarts", reason: "\(restartCount) restarts in \(reader.remaining) bytes")
    }
    var newRestarts: [WorkerRestart] = []
    for _ in 0..<restartCount {
      newRestarts.append(
        WorkerRestart(
          worker: try reader.readInt("restart.worker"), environments: try reader.readArray(Int.self, "restart.environments"),
          step: try reader.readInt("restart.step"), reason: try reader.readString("restart.reason"),
          generation: try reader.readInt("restart.generation")))
    }
    let generations = try reader.readArray(Int.self, "generations", count: count)

    monitor = step.monitor
    rewards = step.rewards
    dones = step.dones
    terminated = step.terminated
    truncated = step.truncated
    completedEpisodes = step.completedEpisodes
    stepsTaken = newStepsTaken
    restarts = newRestarts
    guard exact else {
      // The copies' state was not saved: make them again and restart every episode from seeds
      // of the resume's own.
      restoreGenerations(generations)
      try remake(seeds: restartSeeds)
      return .restartsEpisodes(reason: reason)
    }
    try setCopyStates(states)
    restoreGenerations(generations)
    runningReturns = step.runningReturns
    runningLengths = step.runningLengths
    hasReset = step.hasReset
    return .exact
  }

  /// Each worker continues at the highest restart count of its copies (the worker layout may
  /// differ on the machine that resumes: another core count), so no seed is used twice.
  private func restoreGenerations(_ generations: [Int]) {
    for w in workers.indices { workers[w].generation = workers[w].copies.map { generations[$0] }.max() ?? 0 }
  }

  /// Why a capture is not exact.
  struct NotCaptured: Error {
    var text: String
  }

  /// Every copy's state (GET_STATE to every worker, all sent before any reply is read), or why
  /// it cannot be had. A worker that died or hung is restarted as during a step (its episodes
  /// end as interrupted), and the capture is then not exact.
  private func captureCopies() -> Result<[[UInt8]], NotCaptured> {
    var states = [[UInt8]](repeating: [], count: count)
    var uncapturable: [String] = []
    let restartsBefore = restarts.count
    let failure = exchange(
      "state capture", interruptEpisodes: true, request: { _ in (.getState, []) },
      receive: { w in
        let process = try self.process(w)
        try self.expect(.state, from: process, timeout: self.configuration.stepTimeout)
        try process.payload.withUnsafeBytes { (raw) throws in
          var reader = WireReader(raw, environment: self.environmentID)
          for i in self.workers[w].copies {
            let captured = try reader.read(UInt8.self)
            let bytes = Array(try reader.take(Int(try reader.read(UInt32.self))))
            if captured == 1 {
              states[i] = bytes
            } else {
              uncapturable.append("copy \(i): \(String(decoding: bytes, as: UTF8.self))")
            }
          }
          guard reader.remaining == 0 else {
            throw WorkerFault.garbled("STATE has \(reader.remaining) bytes more than its copies")
          }
        }
      })
    if let failure { return .failure(NotCaptured(text: "\(environmentID): the state capture failed (\(failure))")) }
    if restarts.count > restartsBefore {
      return .failure(NotCaptured(text: "\(environmentID): a worker was restarted during the state capture"))
    }
    if let first = uncapturable.first {
      return .failure(NotCaptured(text: "\(environmentID) cannot save its environments' state (\(first))"))
    }
    return .success(states)
  }

  /// SET_STATE to every worker with its copies' states; the copies continue from them.
  private func setCopyStates(_ states: [[UInt8]]) throws(BinaryStateError) {
    do {
      for w in workers.indices {
        var body = WireWriter()
        for i in workers[w].copies {
          body.append(UInt32(states[i].count))
          body.append(contentsOf: states[i])
        }
        try process(w).send(.setState, body.bytes)
      }
      for w in workers.indices { try expect(.stateSet, from: try process(w), timeout: configuration.stepTimeout) }
    } catch {
      throw .invalid(field: "copy states", reason: "\(Self.typed(error, name: environmentID, what: "state restore"))")
    }
  }

  /// Makes every copy again with the seeds `restartSeeds` derives and resets it.
  private func remake(seeds restartSeeds: SeedSequence) throws(BinaryStateError) {
    do {
      for w in workers.indices {
        try Self.sendMake(workers[w], environment, seeds: restartSeeds, renderable: configuration.renderable)
      }
      for w in workers.indices {
        let made = try Self.receiveSpaces(try process(w), timeout: configuration.startTimeout, name: environmentID)
        guard made == (observationSpace, actionSpace) else {
          throw BinaryStateError.invalid(field: "spaces", reason: "the environments were made again with other spaces: \(made)")
        }
      }
    } catch let error as BinaryStateError {
      throw error
    } catch {
      throw .invalid(field: "copies", reason: "\(Self.typed(error, name: environmentID, what: "remaking the environments"))")
    }
    reset()
  }
}

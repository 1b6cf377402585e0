import Environments
import Foundation
import Randomness

/// `count` copies of a Gymnasium environment hosted in `W` Python worker processes, with SB2
/// `SubprocVecEnv` + `Monitor` semantics; conforms to ``VectorizedEnvironment``, so everything
/// that trains on a ``VectorEnvironment`` trains on it.
///
/// Worker `w` hosts the contiguous copies `⌊w·count/W⌋ ..< ⌊(w+1)·count/W⌋` and steps them
/// serially, as SB2's `SubprocVecEnv` worker does; the workers run side by side (every STEP is
/// sent before any reply is read). They speak ``BridgeProtocol`` (version 2, no pickle) over a
/// Unix socket pair. Each step, for each copy (SB2 `DummyVecEnv`/`SubprocVecEnv.step_wait`):
/// ```
/// obs_i, r_i, terminated_i, truncated_i = env_i.step(a_i)
/// if terminated_i or truncated_i: terminalObservation_i = obs_i;  obs_i = env_i.reset()
/// ```
/// (Gymnasium's `SyncVectorEnv(autoreset_mode=SAME_STEP)` with `final_obs`.) Episodes are logged
/// where SB2 puts `Monitor` — for plain Gymnasium and MinAtar outside everything, for Atari
/// between MaxAndSkip and EpisodicLife, so an Atari episode is the full game, unclipped.
///
/// **Seeds.** Copy `i` is reset with `seed = seed(of: i, generation: 0, seeds:)` on its first
/// reset and without a seed afterwards (Gymnasium continues its own generator):
/// ```
/// seed(i, 0) = seeds.seed(for: .environment, index: i)                        (a UInt32)
/// seed(i, g) = seeds.seed(for: "environment-restart-<g>", index: i)   after the g-th restart of its worker
/// ```
/// so a run is a pure function of the run seed, and a restarted copy never repeats its seed.
///
/// **Faults.** A worker that dies (crash, `kill -9`, out of memory) or does not reply within
/// ``Configuration/stepTimeout`` is killed, reaped and restarted: its copies are made again,
/// reset with the next generation's seeds, and their episodes in flight end in that step as
/// truncated, with ``EpisodeRecord/interrupted`` set (terminal observation: the last one
/// received); the restart is appended to ``restarts``. Failures inside Python — an unknown id,
/// a missing package, an exception in `step`, a NaN or wrongly shaped observation — are not
/// retried: they throw ``EnvironmentError/hosted(_:)`` with the worker's traceback. A failure
/// during ``reset()`` (which cannot throw) is thrown by the next ``step(_:)``.
///
/// **Lifetime.** ``close()`` (also run by `deinit`) asks every worker to exit and reaps it;
/// a worker whose parent dies — killed, crashed — exits within about 0.1 s on its own.
public final class SubprocessVectorEnvironment: VectorizedEnvironment {
  /// How workers are run.
  public struct Configuration: Sendable {
    /// Worker processes; `nil` means one per available core, at most `count`.
    public var workerCount: Int?
    /// Seconds a worker may take to reply to a RESET or STEP before it counts as hung.
    public var stepTimeout: Double
    /// Seconds a worker may take to start and make its environments (Python imports included).
    public var startTimeout: Double
    /// Restarts allowed over the environment's life before a fault becomes an error.
    public var maximumRestarts: Int
    /// Make the environments with `render_mode="rgb_array"` so ``render(_:)`` works.
    public var renderable: Bool
    /// The interpreter and worker program; `nil` means ``PythonRuntime/locate(for:filePath:)``.
    public var runtime: PythonRuntime?

    /// Creates a configuration (defaults: one worker per core, 60 s steps, 120 s starts, 16 restarts).
    public init(
      workerCount: Int? = nil, stepTimeout: Double = 60, startTimeout: Double = 120, maximumRestarts: Int = 16,
      renderable: Bool = false, runtime: PythonRuntime? = nil
    ) {
      self.workerCount = workerCount
      self.stepTimeout = stepTimeout
      self.startTimeout = startTimeout
      self.maximumRestarts = maximumRestarts
      self.renderable = renderable
      self.runtime = runtime
    }
  }

  /// The number of copies.
  public let count: Int
  /// `<provider>:<id>`, e.g. `gym:LunarLander-v3`.
  public let environmentID: String
  /// The observation space of one copy (translated from Gymnasium's).
  public let observationSpace: Space
  /// The action space of one copy.
  public let actionSpace: Space
  /// Components per raw observation of one copy.
  public let observationSize: Int
  /// `Double`s per action of one copy.
  public let actionDimension: Int
  /// The current raw observations, one per copy.
  public let observations: ObservationBuffer
  /// The last observation of each copy whose episode ended in the last step.
  public let terminalObservations: ObservationBuffer
  /// The rewards of the last step.
  public internal(set) var rewards: [Float]
  /// `terminated || truncated` of the last step.
  public internal(set) var dones: [Bool]
  /// Whether each copy reached a terminal state in the last step.
  public internal(set) var terminated: [Bool]
  /// Whether each copy was truncated in the last step (a time limit, or a worker restart).
  public internal(set) var truncated: [Bool]
  /// The Monitor's episodes that finished in the last step, in copy order.
  public internal(set) var completedEpisodes: [EpisodeRecord] = []
  /// Every Monitor episode so far.
  public internal(set) var monitor = EpisodeMonitor()
  /// Every worker restart so far, oldest first.
  public internal(set) var restarts: [WorkerRestart] = []

  /// What is hosted.
  public let environment: BridgedEnvironment
  /// The configuration the workers run with.
  public let configuration: Configuration

  private let seeds: SeedSequence
  private let runtime: PythonRuntime
  var workers: [Worker]
  var runningReturns: [Double]
  var runningLengths: [Int]
  var stepsTaken = 0
  private var pendingError: EnvironmentError?
  var hasReset = false
  private var closed = false

  /// One worker process and the copies it hosts.
  struct Worker {
    var process: WorkerProcess?
    let copies: Range<Int>
    var generation = 0
  }

  /// Starts the workers and makes `count` copies of `environment` in them.
  ///
  /// - Throws: ``EnvironmentError/invalidEnvironmentCount(_:)`` when `count < 1`,
  ///   ``EnvironmentError/hosted(_:)`` when Python is not set up, the id is unknown, a package is
  ///   missing, a space cannot be translated, or a worker cannot be started.
  public init(
    _ environment: BridgedEnvironment, count: Int, seeds: SeedSequence, configuration: Configuration = Configuration()
  ) throws(EnvironmentError) {
    guard count >= 1 else { throw .invalidEnvironmentCount(count) }
    let name = environment.description
    let workerCount = configuration.workerCount ?? min(count, ProcessInfo.processInfo.activeProcessorCount)
    guard workerCount >= 1, workerCount <= count else {
      throw .hosted(
        HostedEnvironmentFailure(
          kind: .workerUnavailable, environment: name,
          message: "workerCount must be in 1…\(count) (the number of copies), got \(workerCount)"))
    }
    self.environment = environment
    self.configuration = configuration
    self.count = count
    self.seeds = seeds
    environmentID = name
    if let given = configuration.runtime { runtime = given } else { runtime = try PythonRuntime.locate(for: name) }
    workers = (0..<workerCount).map { w in Worker(copies: (w * count / workerCount)..<((w + 1) * count / workerCount)) }

    var spaces: (Space, Space)?
    var startRestarts: [WorkerRestart] = []
    do {
      // All workers start side by side (every MAKE is sent before any reply is read); one that
      // dies or hangs while starting is started again, as a restart.
      var faults: [Int: WorkerFault] = [:]
      for w in workers.indices { workers[w].process = try Self.spawn(runtime, name: name) }
      for w in workers.indices {
        do {
          try Self.handshake(workers[w].process!, timeout: configuration.startTimeout, name: name)
          try Self.sendMake(workers[w], environment, seeds: seeds, renderable: configuration.renderable)
        } catch let fault as WorkerFault { faults[w] = fault }
      }
      for w in workers.indices {
        var made: (Space, Space)
        do {
          if let fault = faults[w] { throw fault }
          made = try Self.receiveSpaces(workers[w].process!, timeout: configuration.startTimeout, name: name)
        } catch var fault as WorkerFault {
          while true {
            guard startRestarts.count < configuration.maximumRestarts else { throw fault }
            workers[w].process?.terminate(grace: 0)
            workers[w].generation += 1
            startRestarts.append(
              WorkerRestart(
                worker: w, environments: Array(workers[w].copies), step: 0,
                reason: Self.describe(fault, of: workers[w].process) + " while starting",
                generation: workers[w].generation))
            do {
              workers[w].process = try Self.spawn(runtime, name: name)
              try Self.handshake(workers[w].process!, timeout: configuration.startTimeout, name: name)
              try Self.sendMake(workers[w], environment, seeds: seeds, renderable: configuration.renderable)
              made = try Self.receiveSpaces(workers[w].process!, timeout: configuration.startTimeout, name: name)
              break
            } catch let next as WorkerFault { fault = next }
          }
        }
        if let spaces, spaces != made {
          throw EnvironmentError.hosted(
            HostedEnvironmentFailure(
              kind: .protocolViolation, environment: name,
              message: "workers disagree on the spaces: \(spaces) and \(made)"))
        }
        spaces = made
      }
    } catch {
      for w in workers.indices { workers[w].process?.terminate(grace: 0) }
      throw Self.typed(error, name: name, what: "starting")
    }
    (observationSpace, actionSpace) = spaces!
    observationSize = observationSpace.observationElementCount
    actionDimension = actionSpace.actionDimension
    observations = ObservationBuffer(space: observationSpace, count: count)
    terminalObservations = ObservationBuffer(space: observationSpace, count: count)
    rewards = [Float](repeating: 0, count: count)
    dones = [Bool](repeating: false, count: count)
    terminated = [Bool](repeating: false, count: count)
    truncated = [Bool](repeating: false, count: count)
    runningReturns = [Double](repeating: 0, count: count)
    runningLengths = [Int](repeating: 0, count: count)
    restarts = startRestarts
  }

  deinit { close() }

  /// The seed copy `i` is reset with after `generation` restarts of its worker (see the type's
  /// documentation).
  public static func seed(of i: Int, generation: Int, seeds: SeedSequence) -> UInt32 {
    generation == 0
      ? seeds.seed(for: .environment, index: i)
      : seeds.seed(for: StreamPurpose(rawValue: "environment-restart-\(generation)"), index: i)
  }

  /// The process ids of the running workers, in worker order (for monitoring and fault tests).
  public var workerProcessIDs: [Int32] { workers.compactMap { $0.process.map { Int32($0.pid) } } }

  /// Bytes that crossed the running workers' sockets so far, frame headers included: `sent` to
  /// the workers, `received` from them (a restarted worker counts from its start). Divided by
  /// the steps taken, the transport's bytes per step (PROTOCOL.md, Measuring the transport).
  public var bytesTransferred: (sent: Int, received: Int) {
    workers.reduce((0, 0)) { total, worker in
      (total.0 + (worker.process?.bytesSent ?? 0), total.1 + (worker.process?.bytesReceived ?? 0))
    }
  }

  /// Asks every worker to exit and reaps it; ``step(_:)`` throws afterwards.
  public func close() {
    closed = true
    for w in workers.indices {
      workers[w].process?.terminate()
      workers[w].process = nil
    }
  }

  // MARK: - Reset and step

  /// Resets every copy (SB2 `VecEnv.reset()`); unfinished episodes are discarded. A worker that
  /// died or hangs is restarted; an error inside Python is thrown by the next ``step(_:)``.
  public func reset() {
    pendingError = nil
    completedEpisodes.removeAll(keepingCapacity: true)
    for i in 0..<count {
      rewards[i] = 0
      dones[i] = false
      terminated[i] = false
      truncated[i] = false
    }
    pendingError = exchange(
      "reset", interruptEpisodes: false, request: { _ in (.reset, []) },
      receive: { w in try self.receiveObservations(of: w, timeout: self.configuration.stepTimeout) })
    hasReset = true
  }

  /// Steps every copy (see the type's documentation for auto-reset, faults and errors).
  ///
  /// - Throws: ``EnvironmentError/invalidActionCount(environment:expected:actual:)`` or
  ///   ``EnvironmentError/invalidAction(environment:action:space:)`` (checked before anything is
  ///   sent), ``EnvironmentError/hosted(_:)`` for a failure inside Python or a worker that keeps
  ///   failing.
  /// - Precondition: ``reset()`` was called.
  public func step(_ actions: [Double]) throws(EnvironmentError) {
    precondition(hasReset, "call reset() before step(_:)")
    if let pendingError {
      self.pendingError = nil
      throw pendingError
    }
    guard !closed else {
      throw .hosted(HostedEnvironmentFailure(kind: .workerUnavailable, environment: environmentID, message: "the environment was closed"))
    }
    try checkActions(actions)
    let dimension = actionDimension
    completedEpisodes.removeAll(keepingCapacity: true)
    let failure = exchange(
      "step", interruptEpisodes: true,
      request: { w in
        var body = WireWriter()
        for x in actions[(self.workers[w].copies.lowerBound * dimension)..<(self.workers[w].copies.upperBound * dimension)] {
          body.append(x)
        }
        return (.step, body.bytes)
      },
      receive: { w in try self.receiveStep(of: w) })
    stepsTaken += 1
    monitor.countSteps(count)
    if let failure { throw failure }
  }

  /// An RGB frame of copy `i` (`render()` of an environment made with `render_mode="rgb_array"`),
  /// for videos and PNG strips of an episode.
  ///
  /// - Throws: ``EnvironmentError/hosted(_:)`` unless ``Configuration/renderable`` was set, or
  ///   when the worker fails.
  public func render(_ i: Int) throws(EnvironmentError) -> RenderedFrame {
    guard let w = workers.firstIndex(where: { $0.copies.contains(i) }) else {
      throw .hosted(
        HostedEnvironmentFailure(kind: .protocolViolation, environment: environmentID, message: "render copy \(i) is outside 0..<\(count)"))
    }
    var body = WireWriter()
    body.append(UInt32(i - workers[w].copies.lowerBound))
    do {
      let process = try process(w)
      try process.send(.render, body.bytes)
      try expect(.frame, from: process, timeout: configuration.stepTimeout)
      return try process.payload.withUnsafeBytes { (raw) throws(EnvironmentError) in
        var reader = WireReader(raw, environment: environmentID)
        let height = Int(try reader.read(UInt32.self))
        let width = Int(try reader.read(UInt32.self))
        let channels = Int(try reader.read(UInt32.self))
        let pixels = try reader.take(height * width * channels)
        return RenderedFrame(width: width, height: height, rgb: Array(pixels))
      }
    } catch {
      throw Self.typed(error, name: environmentID, what: "render")
    }
  }

  /// One request to every worker, all sent before any reply is read (the workers run side by
  /// side); workers that died or hung are restarted afterwards, in worker order. Returns the first
  /// failure inside Python (every other reply is still read, so the workers stay in step).
  func exchange(
    _ what: String, interruptEpisodes: Bool, request: (Int) -> (BridgeProtocol.MessageType, [UInt8]),
    receive: (Int) throws -> Void
  ) -> EnvironmentError? {
    var faults: [Int: WorkerFault] = [:]
    for w in workers.indices {
      let (type, body) = request(w)
      do { try process(w).send(type, body) } catch { faults[w] = error }
    }
    var failure: EnvironmentError?
    for w in workers.indices where faults[w] == nil {
      do {
        try receive(w)
      } catch let error as WorkerFault {
        faults[w] = error
      } catch {
        failure = failure ?? Self.typed(error, name: environmentID, what: what)
      }
    }
    for (w, fault) in faults.sorted(by: { $0.key < $1.key }) {
      do { try restart(w, after: fault, interruptEpisodes: interruptEpisodes) } catch { failure = failure ?? error }
    }
    return failure
  }

  // MARK: - Replies

  func process(_ w: Int) throws(WorkerFault) -> WorkerProcess {
    guard let process = workers[w].process else { throw .died }
    return process
  }

  /// Receives a reply of `type`; an ERROR reply is thrown as the typed failure it carries.
  func expect(_ type: BridgeProtocol.MessageType, from process: WorkerProcess, timeout: Double) throws {
    try Self.expect(type, from: process, timeout: timeout, name: environmentID)
  }

  static func expect(
    _ type: BridgeProtocol.MessageType, from process: WorkerProcess, timeout: Double, name: String
  ) throws {
    let got = try process.receive(timeout: timeout)
    if got == .error { throw failure(fromErrorPayload: process.payload, name: name) }
    guard got == type else { throw WorkerFault.garbled("expected reply \(type), got \(got)") }
  }

  /// OBSERVATIONS: the copies' first observations and the Monitor steps taken while resetting.
  private func receiveObservations(of w: Int, timeout: Double) throws {
    let process = try process(w)
    try expect(.observations, from: process, timeout: timeout)
    let copies = workers[w].copies
    let size = observations.bytesPerObservation
    try process.payload.withUnsafeBytes { (raw) throws in
      var reader = WireReader(raw, environment: environmentID)
      guard raw.count == copies.count * (size + 12) else {
        throw WorkerFault.garbled("OBSERVATIONS of \(raw.count) bytes for \(copies.count) copies of \(size) bytes")
      }
      copyObservations(try reader.take(copies.count * size), into: observations, copies: copies)
      for i in copies {
        runningReturns[i] = try reader.readDouble()
        runningLengths[i] = Int(try reader.read(UInt32.self))
      }
    }
  }

  /// STEPPED: rewards, flags, Monitor bookkeeping, observations and terminal observations.
  private func receiveStep(of w: Int) throws {
    let process = try process(w)
    try expect(.stepped, from: process, timeout: configuration.stepTimeout)
    let copies = workers[w].copies
    let size = observations.bytesPerObservation
    try process.payload.withUnsafeBytes { (raw) throws in
      var reader = WireReader(raw, environment: environmentID)
      var flags = [UInt8](repeating: 0, count: copies.count)
      var records = reader
      _ = try reader.take(copies.count * BridgeProtocol.stepRecordSize)
      let observationBytes = try reader.take(copies.count * size)
      for (k, i) in copies.enumerated() {
        let reward = try records.readDouble()
        let monitorReward = try records.readDouble()
        let monitorSteps = Int(try records.read(UInt32.self))
        let resetReward = try records.readDouble()
        let resetSteps = Int(try records.read(UInt32.self))
        flags[k] = try records.read(UInt8.self)
        rewards[i] = Float(reward)
        terminated[i] = flags[k] & BridgeProtocol.Flag.terminated != 0
        truncated[i] = flags[k] & BridgeProtocol.Flag.truncated != 0
        dones[i] = terminated[i] || truncated[i]
        runningReturns[i] += monitorReward
        runningLengths[i] += monitorSteps
        if flags[k] & BridgeProtocol.Flag.monitorEnded != 0 {
          finishEpisode(
            of: i, truncated: flags[k] & BridgeProtocol.Flag.monitorTruncated != 0, interrupted: false)
        }
        runningReturns[i] += resetReward
        runningLengths[i] += resetSteps
        if dones[i] {
          terminalObservations.observation(i).copyMemory(from: try reader.take(size))
        }
      }
      guard reader.remaining == 0 else {
        throw WorkerFault.garbled("STEPPED has \(reader.remaining) bytes more than its records announce")
      }
      copyObservations(observationBytes, into: observations, copies: copies)
    }
  }

  private func copyObservations(_ bytes: UnsafeRawBufferPointer, into buffer: ObservationBuffer, copies: Range<Int>) {
    guard !copies.isEmpty else { return }
    let start = buffer.observation(copies.lowerBound).baseAddress!
    start.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
  }

  private func finishEpisode(of i: Int, truncated: Bool, interrupted: Bool) {
    let record = EpisodeRecord(
      environmentIndex: i, episodeReturn: runningReturns[i], length: runningLengths[i], truncated: truncated,
      interrupted: interrupted)
    completedEpisodes.append(record)
    monitor.record(record)
    runningReturns[i] = 0
    runningLengths[i] = 0
  }

  // MARK: - Restarts

  /// Kills and reaps worker `w`, starts a new one with the next generation's seeds and resets its
  /// copies; with `interruptEpisodes`, their episodes in flight end now as truncated.
  private func restart(_ w: Int, after fault: WorkerFault, interruptEpisodes: Bool) throws(EnvironmentError) {
    var reason = Self.describe(fault)
    var interrupt = interruptEpisodes
    while true {
      if let old = workers[w].process {
        old.terminate(grace: 0)
        reason = Self.describe(fault, of: old)
        workers[w].process = nil
      }
      guard restarts.count < configuration.maximumRestarts else {
        throw .hosted(
          HostedEnvironmentFailure(
            kind: .workerUnavailable, environment: environmentID,
            message: "worker \(w) failed (\(reason)) after \(restarts.count) restarts, the limit "
              + "(maximumRestarts = \(configuration.maximumRestarts))"))
      }
      workers[w].generation += 1
      let copies = workers[w].copies
      restarts.append(
        WorkerRestart(
          worker: w, environments: Array(copies), step: stepsTaken, reason: reason, generation: workers[w].generation))
      if interrupt {
        interrupt = false
        for i in copies {
          terminalObservations.copyObservation(i, from: observations, at: i)
          rewards[i] = 0
          terminated[i] = false
          truncated[i] = true
          dones[i] = true
          finishEpisode(of: i, truncated: true, interrupted: true)
        }
      }
      do {
        let process = try Self.spawn(runtime, name: environmentID)
        workers[w].process = process
        try Self.handshake(process, timeout: configuration.startTimeout, name: environmentID)
        try Self.sendMake(workers[w], environment, seeds: seeds, renderable: configuration.renderable)
        let made = try Self.receiveSpaces(process, timeout: configuration.startTimeout, name: environmentID)
        guard made == (observationSpace, actionSpace) else {
          throw EnvironmentError.hosted(
            HostedEnvironmentFailure(
              kind: .protocolViolation, environment: environmentID,
              message: "the restarted worker has other spaces: \(made)"))
        }
        try process.send(.reset)
        try receiveObservations(of: w, timeout: configuration.stepTimeout)
        return
      } catch let next as WorkerFault {
        reason = Self.describe(next) + " while restarting"
        continue
      } catch {
        workers[w].process?.terminate(grace: 0)
        throw Self.typed(error, name: environmentID, what: "restart")
      }
    }
  }

  // MARK: - Starting workers

  static func spawn(_ runtime: PythonRuntime, name: String) throws(EnvironmentError) -> WorkerProcess {
    do { return try WorkerProcess(runtime: runtime) } catch {
      throw .hosted(
        HostedEnvironmentFailure(
          kind: .workerUnavailable, environment: name, message: "cannot start a worker: \(describe(error))"))
    }
  }

  /// HELLO: the worker is up and speaks our protocol version.
  static func handshake(_ process: WorkerProcess, timeout: Double, name: String) throws {
    try expect(.hello, from: process, timeout: timeout, name: name)
    try process.payload.withUnsafeBytes { (raw) throws in
      var reader = WireReader(raw, environment: name)
      let version = try reader.read(UInt32.self)
      guard version == BridgeProtocol.version else {
        throw EnvironmentError.hosted(
          HostedEnvironmentFailure(
            kind: .protocolViolation, environment: name,
            message: "the worker speaks protocol version \(version), this build version \(BridgeProtocol.version)"))
      }
    }
  }

  static func sendMake(
    _ worker: Worker, _ environment: BridgedEnvironment, seeds: SeedSequence, renderable: Bool
  ) throws {
    let seedList = worker.copies.map { String(seed(of: $0, generation: worker.generation, seeds: seeds)) }
    let id = String(decoding: try JSONEncoder().encode(environment.id), as: UTF8.self)
    let request =
      "{\"provider\": \"\(environment.provider.rawValue)\", \"id\": \(id), \"seeds\": [\(seedList.joined(separator: ", "))], "
      + "\"kwargs\": \(environment.keywordArgumentsJSON), \"render\": \(renderable)}"
    guard let process = worker.process else { throw WorkerFault.died }
    try process.send(.make, Array(request.utf8))
  }

  static func receiveSpaces(_ process: WorkerProcess, timeout: Double, name: String) throws -> (Space, Space) {
    try expect(.spaces, from: process, timeout: timeout, name: name)
    return try process.payload.withUnsafeBytes { (raw) throws in
      var reader = WireReader(raw, environment: name)
      let observation = try SpaceWireCoding.decode(from: &reader)
      let action = try SpaceWireCoding.decode(from: &reader)
      return (observation, action)
    }
  }

  // MARK: - Errors

  /// An ERROR payload (`u8 kind, JSON {environment, message, traceback, module?}`) as a failure.
  static func failure(fromErrorPayload payload: [UInt8], name: String) -> EnvironmentError {
    guard let code = payload.first else {
      return .hosted(HostedEnvironmentFailure(kind: .protocolViolation, environment: name, message: "an empty ERROR reply"))
    }
    struct Details: Decodable {
      var environment: String?
      var message: String
      var traceback: String?
      var module: String?
    }
    guard let details = try? JSONDecoder().decode(Details.self, from: Data(payload.dropFirst())) else {
      return .hosted(
        HostedEnvironmentFailure(kind: .protocolViolation, environment: name, message: "an ERROR reply that is not JSON"))
    }
    return .hosted(
      HostedEnvironmentFailure(
        kind: BridgeProtocol.failureKind(code), environment: name, message: details.message,
        traceback: details.traceback ?? "", module: details.module))
  }

  /// `died (killed by signal 9)` for a reaped worker that died, else ``describe(_:)``.
  static func describe(_ fault: WorkerFault, of process: WorkerProcess?) -> String {
    if case .died = fault, let ended = process?.exitDescription { return "died (\(ended))" }
    return describe(fault)
  }

  static func describe(_ fault: WorkerFault) -> String {
    switch fault {
    case .died: return "died"
    case .timedOut(let seconds): return "timed out after \(seconds) s"
    case .garbled(let what): return "garbled reply: \(what)"
    }
  }

  /// Any error of the bridge as an ``EnvironmentError``.
  static func typed(_ error: any Error, name: String, what: String) -> EnvironmentError {
    switch error {
    case let error as EnvironmentError: return error
    case let fault as WorkerFault:
      return .hosted(
        HostedEnvironmentFailure(
          kind: .workerUnavailable, environment: name,
          message: "the worker \(describe(fault)) during \(what) (its standard error shows why)"))
    default:
      return .hosted(HostedEnvironmentFailure(kind: .protocolViolation, environment: name, message: "\(error)"))
    }
  }
}

/// One RGB frame of a rendered environment, row-major, 3 bytes per pixel.
public struct RenderedFrame: Equatable, Sendable {
  /// Pixels per row.
  public var width: Int
  /// Rows.
  public var height: Int
  /// `height × width × 3` bytes.
  public var rgb: [UInt8]
}

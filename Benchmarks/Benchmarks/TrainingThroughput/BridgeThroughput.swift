import ActorCritic
import Benchmark
import Environments
import Foundation
import GymnasiumBridge
import Randomness

// The Gymnasium bridge's throughput, side by side with the fastest single-core Python loop over
// the same environments and wrappers (Tools/bridge_throughput_peer.py, run from here so both sides
// are measured in one run on the same machine state). Random actions; steps/s of the timed part.
//
// - Atari Pong: `atari:Pong` (SB2's pipeline in one worker, the 4-frame stack in Swift), 1 copy,
//   against the same wrappers + a NumPy frame stack in one Python loop. Issue 10's bar: the bridge
//   within 10% of the Python loop.
// - MinAtar Breakout: `minatar:Breakout`, 32 copies in 2 workers (one per core), against
//   `minatar.Environment` alone in Python on one core. Bar: ≥ 50,000 steps/s.

/// Steps/s of `steps` random steps of a bridged environment (the start-up is not timed).
func bridgeRate(_ name: String, copies: Int, steps: Int) throws -> Double {
  let vector = try EnvironmentCatalog.makeVectorEnvironment(name, count: copies, seeds: SeedSequence(runSeed: 0))
  let random = RandomStream(seed: 1)
  let n: Int
  if case .discrete(let actions) = vector.actionSpace { n = actions } else { n = 1 }
  vector.reset()
  var actions = [Double](repeating: 0, count: copies)
  let clock = ContinuousClock()
  let start = clock.now
  for _ in 0..<(steps / copies) {
    for i in 0..<copies { actions[i] = Double(random.uniformInt(below: n)) }
    try vector.step(actions)
  }
  let elapsed = clock.now - start
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  return Double((steps / copies) * copies) / seconds
}

/// Steps/s the Python peer loop reports.
func pythonPeerRate(_ kind: String, _ game: String, steps: Int) throws -> Double {
  let runtime = try PythonRuntime.locate(for: "\(kind):\(game)")
  let root = URL(fileURLWithPath: runtime.workerScript).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let process = Process()
  process.executableURL = URL(fileURLWithPath: runtime.python)
  process.arguments = [root.appendingPathComponent("Tools/bridge_throughput_peer.py").path, kind, game, "\(steps)"]
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("steps_per_second ") }),
    let rate = Double(line.dropFirst("steps_per_second ".count))
  else { throw EnvironmentError.hosted(.init(kind: .protocolViolation, environment: kind, message: "peer printed \(text)")) }
  return rate
}

// How observations travel, measured (PROTOCOL.md, "Measuring the transport"): for an environment
// and copy count, the bytes per vector step that crossed the socket pairs (both directions,
// headers included), the transport's time per step — an ECHO exchange of exactly those sizes with
// the same workers side by side (``TransportProbe``) — and its share of a random-action step and
// of an A2C training step (the zoo's A2C: nature_cnn on Atari, MinAtar's network on MinAtar).
// Plus the socket pair's bandwidth for 8 MiB replies.

let bytesPerStep = BenchmarkMetric.custom("bytes_per_vector_step", polarity: .prefersSmaller)
let transportMicroseconds = BenchmarkMetric.custom("transport_us_per_vector_step", polarity: .prefersSmaller)
let transportShareOfStep = BenchmarkMetric.custom("transport_share_of_random_step_permille", polarity: .prefersSmaller)
let transportShareOfTraining = BenchmarkMetric.custom("transport_share_of_a2c_step_permille", polarity: .prefersSmaller)
let bandwidth = BenchmarkMetric.custom("socket_pair_megabytes_per_second", polarity: .prefersLarger)

/// One measurement of the transport on `name` with `copies` copies (one worker per core).
struct TransportMeasurement {
  var bytesPerStep: Double
  var transportSeconds: Double
  var randomStepSeconds: Double
  var trainingStepSeconds: Double
}

/// Seconds per vector step of `steps` random steps, and the bytes that crossed the sockets.
private func randomSteps(_ vector: any VectorizedEnvironment, bridge: SubprocessVectorEnvironment, steps: Int) throws
  -> (seconds: Double, sent: Int, received: Int)
{
  let random = RandomStream(seed: 1)
  guard case .discrete(let n) = vector.actionSpace else { return (.nan, 0, 0) }
  var actions = [Double](repeating: 0, count: vector.count)
  vector.reset()
  let before = bridge.bytesTransferred
  let clock = ContinuousClock()
  let start = clock.now
  for _ in 0..<steps {
    for i in actions.indices { actions[i] = Double(random.uniformInt(below: n)) }
    try vector.step(actions)
  }
  let elapsed = clock.now - start
  let after = bridge.bytesTransferred
  return (
    (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(steps),
    after.sent - before.sent, after.received - before.received
  )
}

func measureTransport(_ name: String, copies: Int, steps: Int, architecture: NetworkArchitecture, trainingSteps: Int)
  throws -> TransportMeasurement
{
  let vector = try EnvironmentCatalog.makeVectorEnvironment(name, count: copies, seeds: SeedSequence(runSeed: 0))
  guard let bridge = (vector as? SubprocessVectorEnvironment) ?? ((vector as? FrameStackedVectorEnvironment)?.wrapped as? SubprocessVectorEnvironment)
  else { throw EnvironmentError.hosted(.init(kind: .protocolViolation, environment: name, message: "not a bridged environment")) }
  defer { bridge.close() }
  let workers = bridge.workerProcessIDs.count
  let random = try randomSteps(vector, bridge: bridge, steps: steps)
  // Per worker and step: the payloads (without the 5-byte headers) the probe sends and asks for.
  let request = random.sent / (steps * workers) - 5
  let reply = random.received / (steps * workers) - 5
  let probe = try TransportProbe(workers: workers)
  defer { probe.close() }
  let transport = try probe.secondsPerExchange(requestBytes: request, replyBytes: reply, exchanges: 2_000)
  var configuration = A2CConfiguration()
  configuration.networkArchitecture = architecture
  let model = try A2C(environment: vector, configuration: configuration, seed: 0)
  let clock = ContinuousClock()
  let start = clock.now
  try model.learn(totalTimesteps: trainingSteps)
  let elapsed = clock.now - start
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  return TransportMeasurement(
    bytesPerStep: Double(random.sent + random.received) / Double(steps), transportSeconds: transport,
    randomStepSeconds: random.seconds, trainingStepSeconds: seconds / Double(model.timesteps / copies))
}

private func transportConfiguration() -> Benchmark.Configuration {
  .init(
    metrics: [bytesPerStep, transportMicroseconds, transportShareOfStep, transportShareOfTraining],
    timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(120), maxIterations: 1,
    thresholds: [transportShareOfTraining: .relaxed])
}

private func bridgeConfiguration() -> Benchmark.Configuration {
  .init(
    metrics: [.wallClock, stepsPerSecond], timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(60),
    maxIterations: 3, thresholds: [.wallClock: .relaxed, stepsPerSecond: .relaxed])
}

func bridgeBenchmarks() {
  let cases: [(String, () throws -> Double)] = [
    ("Bridge atari:Pong, 1 copy, random actions, 3k steps", { try bridgeRate("atari:Pong", copies: 1, steps: 3_000) }),
    ("Python loop, same Pong wrappers + frame stack, 3k steps", { try pythonPeerRate("atari", "Pong", steps: 3_000) }),
    ("Bridge minatar:Breakout, 32 copies in 2 workers, random actions, 320k steps", {
      try bridgeRate("minatar:Breakout", copies: 32, steps: 320_000)
    }),
    ("Python MinAtar Breakout alone, one core, 300k steps", { try pythonPeerRate("minatar", "Breakout", steps: 300_000) }),
  ]
  let transports: [(String, String, Int, Int, NetworkArchitecture, Int)] = [
    ("Transport atari:Pong, 16 copies in 2 workers (84×84 uint8 frames; stacked in Swift)", "atari:Pong", 16, 400, .natureCNN, 3_200),
    ("Transport minatar:Breakout, 16 copies in 2 workers (10×10×4 uint8)", "minatar:Breakout", 16, 4_000, .minAtarCNN, 64_000),
  ]
  for (title, name, copies, steps, architecture, training) in transports {
    Benchmark(title, configuration: transportConfiguration()) { benchmark in
      for _ in benchmark.scaledIterations {
        let m = try measureTransport(name, copies: copies, steps: steps, architecture: architecture, trainingSteps: training)
        benchmark.measurement(bytesPerStep, Int(m.bytesPerStep))
        benchmark.measurement(transportMicroseconds, Int(m.transportSeconds * 1e6))
        benchmark.measurement(transportShareOfStep, Int(1000 * m.transportSeconds / m.randomStepSeconds))
        benchmark.measurement(transportShareOfTraining, Int(1000 * m.transportSeconds / m.trainingStepSeconds))
      }
    }
  }
  Benchmark(
    "Socket pair bandwidth, 8 MiB replies, 1 worker",
    configuration: .init(metrics: [bandwidth], warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 1)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      let probe = try TransportProbe(workers: 1)
      defer { probe.close() }
      let seconds = try probe.secondsPerExchange(requestBytes: 4, replyBytes: 8 << 20, exchanges: 100)
      benchmark.measurement(bandwidth, Int(Double(8 << 20) / seconds / 1e6))
    }
  }
  for (name, rate) in cases {
    Benchmark(name, configuration: bridgeConfiguration()) { benchmark in
      for _ in benchmark.scaledIterations {
        benchmark.startMeasurement()
        let measured = try rate()
        benchmark.stopMeasurement()
        benchmark.measurement(stepsPerSecond, Int(measured))
      }
    }
  }
}

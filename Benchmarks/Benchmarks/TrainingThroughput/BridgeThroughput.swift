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

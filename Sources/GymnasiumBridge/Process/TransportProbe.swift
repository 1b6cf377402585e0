import Environments
import Foundation

/// Times the bridge's transport alone — the Unix socket pairs, the framing and copies on both
/// sides, the system calls and both processes' wake-ups — with no environment behind it:
/// `W` workers answer ECHO requests (``BridgeProtocol``, version 2) with replies of a chosen size,
/// exchanged the way ``SubprocessVectorEnvironment/step(_:)`` exchanges a STEP (every request is
/// sent before any reply is read).
///
/// ```
/// exchange(q, r)  = mean over n of the wall time of
///                   { send ECHO (q payload bytes) to every worker; receive ECHOED (r bytes) from every worker }
/// pipe share      = exchange(q_step, r_step) / (wall time of one vector step)
/// ```
/// With `q_step` and `r_step` a STEP's and its STEPPED reply's payload sizes
/// (``stepPayloadBytes(copies:actionDimension:observationBytes:terminals:)``) this is what the
/// transport costs per vector step; `exchange(4, 0)` is its fixed part (latency), the rest grows
/// with the bytes (bandwidth). PROTOCOL.md's "Measuring the transport" has the numbers.
public final class TransportProbe {
  private var processes: [WorkerProcess]
  private let name = "transport probe"

  /// Starts `workers` workers (no environments).
  ///
  /// - Throws: ``EnvironmentError/hosted(_:)`` when Python is not set up (saying to run
  ///   `scripts/setup.sh`), `workers` is not in 1…64, or a worker cannot be started.
  public init(workers: Int, runtime: PythonRuntime? = nil) throws(EnvironmentError) {
    guard (1...64).contains(workers) else {
      throw .hosted(
        HostedEnvironmentFailure(kind: .workerUnavailable, environment: "transport probe", message: "workers must be in 1…64, got \(workers)"))
    }
    let python: PythonRuntime
    if let runtime { python = runtime } else { python = try PythonRuntime.locate(for: "transport probe") }
    processes = []
    do {
      for _ in 0..<workers {
        let process = try SubprocessVectorEnvironment.spawn(python, name: name)
        processes.append(process)
        try SubprocessVectorEnvironment.handshake(process, timeout: 120, name: name)
      }
    } catch {
      close()
      throw SubprocessVectorEnvironment.typed(error, name: name, what: "starting")
    }
  }

  deinit { close() }

  /// Asks the workers to exit and reaps them.
  public func close() {
    for process in processes { process.terminate() }
    processes = []
  }

  /// Mean wall-clock seconds of one exchange: an ECHO whose payload has `requestBytes` bytes
  /// (at least the 4 of its length field) to every worker, then each worker's ECHOED reply of
  /// `replyBytes` bytes; `exchanges` of them are timed after one untimed warm-up exchange.
  ///
  /// - Throws: ``EnvironmentError/hosted(_:)`` when a worker fails or refuses the size (more
  ///   than 2²⁶ bytes: a protocol violation naming the limit). Replies of the other workers may
  ///   then still be unread: close the probe after a failure.
  public func secondsPerExchange(requestBytes: Int, replyBytes: Int, exchanges: Int) throws(EnvironmentError) -> Double {
    var body = WireWriter()
    body.append(UInt32(clamping: max(0, replyBytes)))
    body.append(contentsOf: [UInt8](repeating: 0, count: max(0, requestBytes - 4)))
    let request = body.bytes
    let clock = ContinuousClock()
    var start = clock.now
    do {
      for round in 0...max(1, exchanges) {
        if round == 1 { start = clock.now }
        for process in processes { try process.send(.echo, request) }
        for process in processes {
          try SubprocessVectorEnvironment.expect(.echoed, from: process, timeout: 60, name: name)
          guard process.payload.count == max(0, replyBytes) else {
            throw WorkerFault.garbled("ECHOED of \(process.payload.count) bytes, asked for \(replyBytes)")
          }
        }
      }
    } catch {
      throw SubprocessVectorEnvironment.typed(error, name: name, what: "echo")
    }
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return seconds / Double(max(1, exchanges))
  }

  /// The payload bytes of one worker's STEP and STEPPED reply when it hosts `copies` copies
  /// (``BridgeProtocol``): `copies · actionDimension · 8` f64 actions; `copies · 33` record bytes
  /// plus `(copies + terminals) · observationBytes` observation bytes. Each frame adds a 5-byte
  /// header.
  public static func stepPayloadBytes(
    copies: Int, actionDimension: Int, observationBytes: Int, terminals: Int = 0
  ) -> (request: Int, reply: Int) {
    (copies * actionDimension * 8, copies * BridgeProtocol.stepRecordSize + (copies + terminals) * observationBytes)
  }
}

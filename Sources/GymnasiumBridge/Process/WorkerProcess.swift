import Environments
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why talking to a worker failed at the process level (the environment may be fine): it died,
/// it did not answer in time, or it sent something that is not the protocol.
enum WorkerFault: Error, Equatable {
  /// The socket reached end of file or reset: the worker exited or was killed.
  case died
  /// No complete reply within the timeout (seconds).
  case timedOut(Double)
  /// A frame that is not the protocol (bad length, type, version).
  case garbled(String)
}

/// One worker process: `python acb_worker.py --fd 3 --parent <our pid>`, spawned with
/// `posix_spawn`, connected by a Unix stream socket pair (our end close-on-exec, so no other
/// child inherits it), its standard input `/dev/null` and its standard error ours.
///
/// Frames are ``BridgeProtocol`` frames. Sends use `MSG_NOSIGNAL`, so a dead worker is an error,
/// not a `SIGPIPE`; receives wait with `poll` against a budget of waiting time, so a hung worker is a
/// ``WorkerFault/timedOut(_:)``. ``terminate()`` reaps the process (no zombies); a worker
/// whose parent dies exits on its own (it polls `getppid`).
final class WorkerProcess {
  /// The worker's process id.
  let pid: pid_t
  private var socket: Int32
  private var reaped = false
  /// The payload of the last reply (reused between replies).
  private(set) var payload: [UInt8] = []
  /// Bytes of every frame sent so far, headers included.
  private(set) var bytesSent = 0
  /// Bytes of every frame received so far, headers included.
  private(set) var bytesReceived = 0

  /// Spawns a worker. Throws ``WorkerFault/died`` when the process cannot be started.
  init(runtime: PythonRuntime) throws(WorkerFault) {
    var pair: [Int32] = [-1, -1]
    guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
      throw .garbled("socketpair failed: \(String(cString: strerror(errno)))")
    }
    // The child's end is moved to fd ≥ 10 first so that dup2(…, 3) always copies it (and so
    // clears close-on-exec) even when socketpair returned 3.
    let childEnd = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
    close(pair[1])
    defer { close(childEnd) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, childEnd, 3)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let arguments = [runtime.python, "-u", runtime.workerScript, "--fd", "3", "--parent", "\(getpid())"]
    var environment = ProcessInfo.processInfo.environment
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment["OPENBLAS_NUM_THREADS"] = "1"
    environment["OMP_NUM_THREADS"] = "1"
    let argv = arguments.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var child: pid_t = 0
    let status = posix_spawn(&child, runtime.python, &actions, nil, argv, envp)
    guard status == 0 else {
      close(pair[0])
      throw .garbled("cannot start \(runtime.python): \(String(cString: strerror(status)))")
    }
    pid = child
    socket = pair[0]
  }

  deinit { terminate() }

  /// Sends one frame.
  func send(_ type: BridgeProtocol.MessageType, _ body: [UInt8] = []) throws(WorkerFault) {
    var frame = WireWriter()
    frame.append(UInt32(body.count + 1))
    frame.append(type.rawValue)
    frame.append(contentsOf: body)
    if let failed = frame.bytes.withUnsafeBytes({ sendAll($0) }) { throw failed }
    bytesSent += frame.bytes.count
  }

  /// Writes all of `raw`; returns the fault that stopped it, or `nil`.
  private func sendAll(_ raw: UnsafeRawBufferPointer) -> WorkerFault? {
    guard socket >= 0 else { return .died }
    var sent = 0
    while sent < raw.count {
      let n = sendWithoutSignal(socket, raw.baseAddress! + sent, raw.count - sent)
      if n < 0 {
        if errno == EINTR { continue }
        return .died
      }
      sent += n
    }
    return nil
  }

  /// Receives one frame within `timeout` seconds of waiting; its payload is in ``payload``.
  func receive(timeout: Double) throws(WorkerFault) -> BridgeProtocol.MessageType {
    var remaining = UInt64(max(0, timeout) * 1e9)
    var header = [UInt8](repeating: 0, count: 5)
    if let failed = header.withUnsafeMutableBytes({ receiveAll($0, remaining: &remaining, timeout: timeout) }) {
      throw failed
    }
    let length = Int(UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24)
    guard length >= 1, length <= BridgeProtocol.maximumFrameLength else { throw .garbled("frame length \(length)") }
    guard let type = BridgeProtocol.MessageType(rawValue: header[4]) else {
      throw .garbled("unknown frame type \(header[4])")
    }
    if payload.count != length - 1 { payload = [UInt8](repeating: 0, count: length - 1) }
    if let failed = payload.withUnsafeMutableBytes({ receiveAll($0, remaining: &remaining, timeout: timeout) }) {
      throw failed
    }
    bytesReceived += 4 + length
    return type
  }

  /// The longest single wait, in nanoseconds: the timeout is spent in slices of at most this.
  static let waitSlice: UInt64 = 1_000_000_000

  /// The waiting time a slice of `slice` ns that took `elapsed` ns counts against the timeout: its
  /// elapsed time, but never more than the slice plus 0.1 s. A slice that took far longer was this
  /// process being stopped (SIGSTOP, a paused job, a suspended machine), not the worker being slow:
  /// without the cap, a parent stopped for a minute wakes to find its deadline passed and restarts a
  /// healthy worker, whose reply may already be waiting in the socket.
  static func chargedWait(elapsed: UInt64, slice: UInt64) -> UInt64 { min(elapsed, slice + 100_000_000) }

  /// Fills `raw` from the socket, spending at most `remaining` ns of waiting (see
  /// ``chargedWait(elapsed:slice:)``); returns the fault that stopped it, or `nil`.
  private func receiveAll(_ raw: UnsafeMutableRawBufferPointer, remaining: inout UInt64, timeout: Double) -> WorkerFault? {
    guard socket >= 0 else { return .died }
    var got = 0
    while got < raw.count {
      var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
      let slice = min(remaining, Self.waitSlice)
      let start = DispatchTime.now().uptimeNanoseconds
      let ready = poll(&descriptor, 1, Int32((slice + 999_999) / 1_000_000))
      let charged = Self.chargedWait(elapsed: DispatchTime.now().uptimeNanoseconds &- start, slice: slice)
      remaining -= min(remaining, charged)
      if ready < 0 {
        if errno == EINTR { continue }
        return .died
      }
      if ready == 0 {
        if remaining == 0 { return .timedOut(timeout) }
        continue
      }
      let n = recv(socket, raw.baseAddress! + got, raw.count - got, 0)
      if n == 0 { return .died }
      if n < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        return .died
      }
      got += n
    }
    return nil
  }

  /// Whether the process has exited (reaps it if so).
  var hasExited: Bool {
    if reaped { return true }
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid { record(status) }
    return reaped
  }

  /// How the process ended, once reaped: `exit status N` or `killed by signal N`.
  private(set) var exitDescription: String?

  private func record(_ status: Int32) {
    reaped = true
    let signal = status & 0x7f
    exitDescription = signal == 0 ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(signal)"
  }

  /// Ends the worker: asks it to close, waits up to `grace` seconds, then SIGKILLs it, and reaps
  /// it. Idempotent.
  func terminate(grace: Double = 1) {
    if socket >= 0 {
      if grace > 0 { try? send(.close) }
      close(socket)
      socket = -1
    }
    guard !reaped else { return }
    let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(grace * 1e9)
    while grace > 0, DispatchTime.now().uptimeNanoseconds < deadline {
      if hasExited { return }
      usleep(2_000)
    }
    kill(pid, SIGKILL)
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0, errno == EINTR {}
    record(status)
  }
}

/// `send` with `MSG_NOSIGNAL` (a closed peer is `EPIPE`, not a `SIGPIPE` that would end us).
private func sendWithoutSignal(_ socket: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    return Glibc.send(socket, bytes, count, Int32(MSG_NOSIGNAL))
  #else
    return Darwin.send(socket, bytes, count, 0)
  #endif
}

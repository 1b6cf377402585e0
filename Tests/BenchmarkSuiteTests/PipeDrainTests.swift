import Foundation
import Testing

@testable import BenchmarkSuite

@Suite struct PipeDrainTests {
  /// A child that writes 1 MB to standard error before its last line on standard output finishes
  /// (without the drain it blocks in `write` once the 64 KiB pipe buffer is full), and only the
  /// tail of its standard error is kept.
  @Test func aChildFloodingStandardErrorDoesNotBlock() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "head -c 1000000 /dev/zero >&2; echo tail-marker >&2; echo done"]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let drain = PipeDrain(err.fileHandleForReading, limit: 1_000)
    let output = PipeDrain(out.fileHandleForReading)
    let exited = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      process.waitUntilExit()
      exited.signal()
    }
    guard exited.wait(timeout: .now() + 30) == .success else {
      process.terminate()
      Issue.record("the child is still blocked after 30 s")
      return
    }
    #expect(String(decoding: output.finish(), as: UTF8.self) == "done\n")
    let tail = drain.finish()
    #expect(tail.count == 1_000)
    #expect(String(decoding: tail, as: UTF8.self).hasSuffix("tail-marker\n"))
  }
}

import Environments
import Foundation
import Randomness
import Testing

@testable import GymnasiumBridge

extension BridgeSuite {
  /// Workers that die or hang are restarted transparently; failures inside Python are typed
  /// errors that name the environment and carry the worker's traceback; no worker outlives its
  /// environment.
  @Suite struct FaultTests {
    static func faulty(_ fault: String, atStep: Int) -> BridgedEnvironment {
      .gym("ACBTest/Faulty-v0", keywordArgumentsJSON: "{\"fault\": \"\(fault)\", \"at_step\": \(atStep)}")
    }

    /// The hosted failure `body` throws, or `nil`.
    static func failure(_ body: () throws -> Void) -> HostedEnvironmentFailure? {
      do { try body() } catch let EnvironmentError.hosted(failure) { return failure } catch { return nil }
      return nil
    }

    @Test func killNineMidRunRestartsTheWorkerAndTheRunFinishes() throws {
      let before = BridgeTestSupport.workerChildren()
      let vector = try BridgeTestSupport.make(.gym("CartPole-v1"), count: 4, seed: 5, workers: 2)
      let started = BridgeTestSupport.workerChildren().subtracting(before)
      #expect(started == Set(vector.workerProcessIDs))
      vector.reset()
      for t in 0..<40 { try vector.step((0..<4).map { Double(($0 + t) % 2) }) }
      let victim = vector.workerProcessIDs[0]
      kill(victim, SIGKILL)
      var interruptedStep: [EpisodeRecord] = []
      for t in 40..<120 {
        try vector.step((0..<4).map { Double(($0 + t) % 2) })
        if !vector.completedEpisodes.filter(\.interrupted).isEmpty { interruptedStep = vector.completedEpisodes }
      }
      #expect(vector.restarts.count == 1)
      let restart = try #require(vector.restarts.first)
      #expect(restart.worker == 0)
      #expect(restart.environments == [0, 1])
      #expect(restart.step == 40)
      #expect(restart.reason.contains("died"))
      #expect(restart.reason.contains("signal 9"))
      // The copies of the killed worker end their episodes as truncated and interrupted.
      let interrupted = interruptedStep.filter(\.interrupted)
      #expect(interrupted.map(\.environmentIndex) == [0, 1])
      #expect(interrupted.allSatisfy { $0.truncated && $0.length > 0 })
      #expect(vector.monitor.returns.count == vector.monitor.lengths.count)
      #expect(!BridgeTestSupport.exists(victim), "the killed worker is reaped")
      let replaced = BridgeTestSupport.workerChildren().subtracting(before)
      #expect(replaced.count == 2)
      #expect(!replaced.contains(victim))
      vector.close()
      #expect(BridgeTestSupport.workerChildren() == before, "the worker count returns to what it was")
      for pid in replaced { #expect(!BridgeTestSupport.exists(pid), "no zombie") }
    }

    @Test func restartedCopiesUseFreshDerivedSeeds() throws {
      let seeds = SeedSequence(runSeed: 5)
      let first = SubprocessVectorEnvironment.seed(of: 0, generation: 0, seeds: seeds)
      let second = SubprocessVectorEnvironment.seed(of: 0, generation: 1, seeds: seeds)
      #expect(first != second)
      #expect(SubprocessVectorEnvironment.seed(of: 1, generation: 0, seeds: seeds) != first)
    }

    @Test func aCrashInsideStepIsRestartedLikeAKill() throws {
      let vector = try BridgeTestSupport.make(Self.faulty("crash", atStep: 4), count: 2, workers: 1)
      defer { vector.close() }
      vector.reset()
      for _ in 0..<3 { try vector.step([0, 1]) }
      #expect(vector.restarts.count == 1)
      #expect(vector.restarts.first?.step == 1)  // the 4th step in the process is the 2nd vector step (2 copies)
      #expect(vector.monitor.lengths == [1, 1])
    }

    @Test func aWorkerThatKeepsDyingEndsInATypedErrorAfterTheRestartLimit() throws {
      let vector = try SubprocessVectorEnvironment(
        Self.faulty("crash", atStep: 1), count: 1, seeds: SeedSequence(runSeed: 0),
        configuration: .init(workerCount: 1, maximumRestarts: 2))
      defer { vector.close() }
      vector.reset()
      try vector.step([0])
      try vector.step([0])
      let failure = Self.failure { try vector.step([0]) }
      #expect(failure?.kind == .workerUnavailable)
      #expect(failure?.message.contains("maximumRestarts = 2") == true)
      #expect(vector.restarts.count == 2)
      vector.close()
      #expect(Self.failure { try vector.step([0]) }?.message == "the environment was closed")
    }

    @Test func aWorkerThatDiesWhileStartingIsStartedAgainUpToTheLimit() throws {
      let failure = Self.failure {
        _ = try SubprocessVectorEnvironment(
          Self.faulty("crash_on_make", atStep: 0), count: 2, seeds: SeedSequence(runSeed: 0),
          configuration: .init(workerCount: 2, maximumRestarts: 3))
      }
      #expect(failure?.kind == .workerUnavailable)
      #expect(failure?.message.contains("died") == true)
    }

    @Test func aHungWorkerTimesOutAndIsRestarted() throws {
      let vector = try BridgeTestSupport.make(Self.faulty("hang", atStep: 3), count: 1, workers: 1, stepTimeout: 1)
      defer { vector.close() }
      vector.reset()
      let pid = vector.workerProcessIDs[0]
      let clock = ContinuousClock()
      let start = clock.now
      for _ in 0..<4 { try vector.step([1]) }
      #expect(clock.now - start < .seconds(8))
      #expect(vector.restarts.count == 1)
      #expect(vector.restarts.first?.reason == "timed out after 1.0 s")
      #expect(vector.dones == [false])
      #expect(vector.monitor.lengths == [2])
      #expect(vector.workerProcessIDs[0] != pid)
      #expect(!BridgeTestSupport.exists(pid), "the hung worker is killed and reaped")
    }

    /// The timeout is a budget of waiting, not a deadline: a reply already in the socket is read even
    /// with no time left — as after this process was stopped (SIGSTOP) for longer than the timeout.
    @Test func aReplyAlreadyWaitingIsReadWithNoWaitingTimeLeft() throws {
      let worker = try WorkerProcess(runtime: BridgeTestSupport.python())
      defer { worker.terminate() }
      // The worker greets on start; ask with a zero budget until the greeting has arrived.
      var greeting: BridgeProtocol.MessageType? = nil
      var attempts = 0
      while greeting == nil && attempts < 120 {
        attempts += 1
        Thread.sleep(forTimeInterval: 0.5)
        greeting = try? worker.receive(timeout: 0)  // timed out: not there yet
      }
      #expect(greeting == BridgeProtocol.MessageType.hello)
    }

    /// A wait slice counts at most its length plus 0.1 s: a stop of this process does not eat the
    /// worker's time, a slow worker still uses it up.
    @Test func aStoppedParentIsChargedAtMostTheSlice() {
      let second: UInt64 = 1_000_000_000
      let tenMinutes: UInt64 = 600_000_000_000
      let stopped: UInt64 = WorkerProcess.chargedWait(elapsed: tenMinutes, slice: second)
      let halfSlice: UInt64 = WorkerProcess.chargedWait(elapsed: 500_000_000, slice: second)
      let wholeSlice: UInt64 = WorkerProcess.chargedWait(elapsed: second, slice: second)
      #expect(stopped == 1_100_000_000)
      #expect(halfSlice == 500_000_000)
      #expect(wholeSlice == second)
      // A 60 s step timeout survives a 10-minute stop in one slice with 58.9 s to spare.
      let left: UInt64 = 60_000_000_000 - stopped
      #expect(left == 58_900_000_000)
    }

    @Test func unknownIdIsATypedErrorNamingTheEnvironment() throws {
      let failure = Self.failure { _ = try BridgeTestSupport.make(.gym("NoSuchGame-v9"), count: 1) }
      #expect(failure?.kind == .unknownEnvironment)
      #expect(failure?.environment == "gym:NoSuchGame-v9")
      #expect(failure?.message.contains("NoSuchGame-v9") == true)
      #expect(failure?.traceback.contains("Traceback") == true)
    }

    @Test func missingPackageIsATypedErrorNamingThePackage() throws {
      let failure = Self.failure { _ = try BridgeTestSupport.make(.gym("ACBTest/NeedsMissingPackage-v0"), count: 1) }
      #expect(failure?.kind == .missingPackage)
      #expect(failure?.module == "acb_package_that_is_not_installed")
      #expect(failure?.message.contains("run scripts/setup.sh") == true)
      #expect(failure?.traceback.contains("ModuleNotFoundError") == true)
    }

    @Test func exceptionInStepIsATypedErrorWithTheTraceback() throws {
      let vector = try BridgeTestSupport.make(Self.faulty("raise", atStep: 3), count: 1)
      defer { vector.close() }
      vector.reset()
      try vector.step([0])
      try vector.step([0])
      let failure = Self.failure { try vector.step([0]) }
      #expect(failure?.kind == .environmentException)
      #expect(failure?.environment == "gym:ACBTest/Faulty-v0")
      #expect(failure?.message == "RuntimeError: the test environment failed on purpose")
      #expect(failure?.traceback.contains("acb_test_envs.py") == true)
      #expect(vector.restarts.isEmpty, "a Python exception is an error, not a restart")
    }

    @Test(arguments: [("nan", "NaN"), ("shape", "shape (3,)")])
    func invalidObservationIsATypedError(fault: String, says: String) throws {
      let vector = try BridgeTestSupport.make(Self.faulty(fault, atStep: 2), count: 1)
      defer { vector.close() }
      vector.reset()
      try vector.step([1])
      let failure = Self.failure { try vector.step([1]) }
      #expect(failure?.kind == .invalidObservation)
      #expect(failure?.message.contains(says) == true)
    }

    @Test func missingVirtualEnvironmentSaysToRunSetup() throws {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent("no-venv-\(UUID().uuidString)")
      let script = directory.appendingPathComponent("Python/worker/acb_worker.py")
      try FileManager.default.createDirectory(at: script.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data().write(to: script)
      defer { try? FileManager.default.removeItem(at: directory) }
      setenv("ACB_PACKAGE_ROOT", directory.path, 1)
      defer { unsetenv("ACB_PACKAGE_ROOT") }
      let failure = Self.failure { _ = try PythonRuntime.locate(for: "gym:CartPole-v1") }
      #expect(failure?.kind == .pythonUnavailable)
      #expect(failure?.message.contains("run scripts/setup.sh") == true)
    }

    @Test func invalidActionIsRefusedBeforeAnythingIsSent() throws {
      let vector = try BridgeTestSupport.make(.gym("CartPole-v1"), count: 2, workers: 1)
      defer { vector.close() }
      vector.reset()
      let before = Array(vector.observations.bytes)
      #expect(throws: EnvironmentError.invalidAction(environment: "gym:CartPole-v1", action: [2], space: vector.actionSpace)) {
        try vector.step([0, 2])
      }
      #expect(throws: EnvironmentError.invalidActionCount(environment: "gym:CartPole-v1", expected: 2, actual: 1)) {
        try vector.step([0])
      }
      #expect(Array(vector.observations.bytes) == before)
      try vector.step([0, 1])
    }
  }
}

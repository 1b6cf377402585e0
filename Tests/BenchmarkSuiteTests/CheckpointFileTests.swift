import Environments
import Foundation
import Testing

@testable import BenchmarkSuite

#if canImport(Glibc)
  import Glibc
#endif

/// The checkpoint files themselves, below the executable: what a resume refuses and keeps, what it
/// holds in memory, and which temporaries count as another process's leftovers.
@Suite struct CheckpointFileTests {
  static func run() throws -> RunSpec {
    let plan = try RunPlan(
      suiteName: "smoke", algorithms: [.a2c], environments: ["CartPole-v1"], seeds: 1, startSeed: 0, timesteps: 10_000,
      shard: nil)
    return try #require(plan.runs.first)
  }

  /// A checkpoint of `run` with a model section of `modelBytes` bytes (`0, 1, 2, …` mod 251).
  static func checkpoint(_ run: RunSpec, modelBytes: Int = 4_096) -> RunCheckpoint {
    RunCheckpoint(
      header: RunCheckpoint.Header(
        run: run, build: RunCheckpoint.currentBuild, updates: 100, timesteps: 2_000, totalTimesteps: 10_000,
        trainingComplete: false, environmentExact: true, episodeRestarts: [], trainingSeconds: 20, payloadBytes: 0),
      model: (0..<modelBytes).map { UInt8($0 % 251) }, curve: CurveRecorder(totalTimesteps: 10_000).captureState())
  }

  /// `bytes` with the format version field set to `version` and, when `reseal`, the trailing
  /// checksum recomputed (an intact file of that version); without it, a damaged version field.
  static func withVersion(_ version: UInt8, _ bytes: [UInt8], reseal: Bool) -> [UInt8] {
    var patched = bytes
    patched.replaceSubrange(8..<12, with: [version, 0, 0, 0])
    if reseal {
      let checksum = RunCheckpoint.fnv1a64(patched[0..<(patched.count - 8)])
      patched.replaceSubrange((patched.count - 8)..., with: withUnsafeBytes(of: checksum.littleEndian) { Array($0) })
    }
    return patched
  }

  @Test("An intact checkpoint of another format version is refused and kept under its name; a damaged version field is damage")
  func otherFormatVersionIsRefusedAndKept() throws {
    let run = try Self.run()
    let store = ResultsStore(root: FakeResults.folder("format-version"))
    let checkpoints = try CheckpointStore(store: store, run: run)
    let bytes = Self.withVersion(2, try Self.checkpoint(run).encoded(), reseal: true)
    try checkpoints.write(bytes, update: 100)
    let file = try #require(checkpoints.files().first?.url)
    var reports: [String] = []
    #expect {
      _ = try checkpoints.latestValid(for: run, report: { reports.append($0) })
    } throws: { error in
      guard case BenchmarkError.incompatibleResults(let path, let reason) = error else { return false }
      return path == file.path && reason.contains("format version 2, and this build reads version 1")
        && reason.contains("delete \(checkpoints.folder.path) to start this run over")
    }
    #expect(reports.isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.folder.path) == ["update-100.acbc"])
    #expect(Array(try Data(contentsOf: file)) == bytes)

    // A flipped bit in the version field (checksum not matching) is damage, as is one in the
    // payload: set aside, and the run falls back to an older checkpoint or starts over.
    var flipped = try Self.checkpoint(run).encoded()
    flipped[flipped.count / 2] ^= 0x40
    for (index, damaged) in [Self.withVersion(3, try Self.checkpoint(run).encoded(), reseal: false), flipped].enumerated() {
      try? FileManager.default.removeItem(at: checkpoints.folder)
      reports = []
      try checkpoints.write(damaged, update: 100)
      #expect(try checkpoints.latestValid(for: run, report: { reports.append($0) }) == nil, "case \(index)")
      #expect(reports.count == 1 && reports[0].contains("is damaged (checksum mismatch"), "case \(index)")
      #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.folder.path) == ["update-100.acbc.corrupt"])
    }
  }

  @Test("A resumed checkpoint's sections are views of the file's bytes, read once: no section is copied")
  func resumeHoldsTheFileOnce() throws {
    let run = try Self.run()
    let store = ResultsStore(root: FakeResults.folder("read-once"))
    let checkpoints = try CheckpointStore(store: store, run: run)
    let original = Self.checkpoint(run, modelBytes: 1 << 20)
    try checkpoints.write(try original.encoded(), update: 100)
    let file = try #require(checkpoints.files().first?.url)

    let bytes = try CheckpointStore.readWhole(file.path)
    #expect(bytes == Array(try Data(contentsOf: file)))
    let decoded = try RunCheckpoint.decode(bytes)
    #expect(Array(decoded.model) == Array(original.model))
    #expect(Array(decoded.curve) == Array(original.curve))
    // Both sections lie inside the file's own buffer.
    bytes.withUnsafeBufferPointer { file in
      for section in [decoded.model, decoded.curve] {
        section.withUnsafeBufferPointer { view in
          let start = UnsafeRawPointer(view.baseAddress!)
          #expect(start >= UnsafeRawPointer(file.baseAddress!))
          #expect(start + view.count <= UnsafeRawPointer(file.baseAddress! + file.count))
        }
      }
    }
  }

  @Test("A nested section and a byte slice share the reader's storage, and read the same values as before")
  func readerSectionsShareStorage() throws {
    var inner = BinaryStateWriter()
    inner.write(7 as Int)
    inner.write(bytes: [UInt8](repeating: 9, count: 1_000))
    var outer = BinaryStateWriter()
    outer.write("head")
    outer.write(section: inner)
    outer.write(3.5 as Double)
    let bytes = outer.blocks.flatMap { $0 }

    var reader = BinaryStateReader(bytes)
    #expect(try reader.readString("head") == "head")
    var section = try reader.readSection("inner")
    #expect(try section.readInt("seven") == 7)
    let slice = try section.readByteSlice("nines")
    #expect(slice.count == 1_000 && slice.allSatisfy { $0 == 9 })
    try section.requireEnd("inner")
    #expect(try reader.readDouble("tail") == 3.5)
    try reader.requireEnd("outer")
    bytes.withUnsafeBufferPointer { all in
      slice.withUnsafeBufferPointer { view in
        #expect(UnsafeRawPointer(view.baseAddress!) == UnsafeRawPointer(all.baseAddress! + (bytes.count - 8 - 1_000)))
      }
    }
    // A section's reader counts its offset from its own start and stops at its own end.
    var again = BinaryStateReader(bytes)
    _ = try again.readString("head")
    var short = try again.readSection("inner")
    #expect(short.offset == 0 && short.remaining == 8 + 8 + 1_000)
    _ = try short.readInt("seven")
    _ = try short.readByteSlice("nines")
    #expect(short.remaining == 0)
    #expect(throws: BinaryStateError.self) { _ = try short.readUInt8("past the section's end") }
  }

  /// Sets the modification time of `path` to `date`.
  static func touch(_ path: String, _ date: Date) throws {
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
  }

  @Test("A temporary whose pid now belongs to a process started after its last write is a leftover; the live writer's is not")
  func reusedPidTemporariesAreLeftovers() throws {
    let run = try Self.run()
    let store = ResultsStore(root: FakeResults.folder("reused-pid"))
    let checkpoints = try CheckpointStore(store: store, run: run)
    try FileManager.default.createDirectory(at: checkpoints.folder, withIntermediateDirectories: true)
    // This process is alive; as the owner of a file written in 2001 it must be a reused pid.
    let me = getpid()
    let stale = checkpoints.folder.appendingPathComponent("update-5.acbc.tmp-\(me)").path
    let live = checkpoints.folder.appendingPathComponent("update-6.acbc.tmp-\(me)").path
    for path in [stale, live] { try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path)) }
    try Self.touch(stale, Date(timeIntervalSince1970: 978_307_200))
    checkpoints.removeLeftovers()
    #expect(!FileManager.default.fileExists(atPath: stale))
    #expect(FileManager.default.fileExists(atPath: live), "the file of a live writer that started before it is kept")

    // The results folder's own temporaries and partial run folders follow the same rule.
    let partial = store.runsFolder.appendingPathComponent("smoke/CartPole-v1/a2c/seed-1.partial-\(me)").path
    try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
    let manifest = store.root.appendingPathComponent("manifest.json.tmp-\(me)").path
    try Data([1]).write(to: URL(fileURLWithPath: manifest))
    let livePartial = store.runsFolder.appendingPathComponent("smoke/CartPole-v1/a2c/seed-2.partial-\(me)").path
    try FileManager.default.createDirectory(atPath: livePartial, withIntermediateDirectories: true)
    for path in [partial, manifest] { try Self.touch(path, Date(timeIntervalSince1970: 978_307_200)) }
    #expect(store.removeLeftovers() == 2)
    #expect(!FileManager.default.fileExists(atPath: partial) && !FileManager.default.fileExists(atPath: manifest))
    #expect(FileManager.default.fileExists(atPath: livePartial))
  }

  @Test("A process's start time: field 22 of /proc/<pid>/stat after the command's last ')'; a child started now is placed now")
  func processStartTime() throws {
    // The command name may hold spaces, parentheses and bytes that are not UTF-8.
    let line =
      Array("4242 (bench (x) y".utf8) + [0xFF]
      + Array(") S 1 4242 4242 0 -1 4194560 1 0 0 0 5 3 0 0 20 0 1 0 987654 1000 100\n".utf8)
    #expect(ProcessStartTime.startTicks(statLine: line) == 987_654)
    #expect(ProcessStartTime.startTicks(statLine: Array("no parenthesis".utf8)) == nil)
    #expect(ProcessStartTime.startTicks(statLine: Array("1 (short) S 1 2".utf8)) == nil)
    #expect(ProcessStartTime.of(Int32.max) == nil)
    #if os(Linux)
      // A file last written 5 s before a child starts is that child's leftover (as if the pid
      // were reused); a file written after it started is the live child's own.
      let folder = FakeResults.folder("start-time")
      let before = folder.appendingPathComponent("before").path
      try Data([1]).write(to: URL(fileURLWithPath: before))
      try Self.touch(before, Date().addingTimeInterval(-5))
      let child = Process()
      child.executableURL = URL(fileURLWithPath: "/bin/sleep")
      child.arguments = ["30"]
      let launched = Date()
      try child.run()
      defer { child.terminate() }
      let started = try #require(ProcessStartTime.of(child.processIdentifier))
      #expect(abs(started.timeIntervalSince(launched)) < 2, "started \(started), launched \(launched)")
      let after = folder.appendingPathComponent("after").path
      try Data([1]).write(to: URL(fileURLWithPath: after))
      #expect(TemporaryName.isLeftover(owner: child.processIdentifier, lastModified: TemporaryName.lastModified(before)))
      #expect(!TemporaryName.isLeftover(owner: child.processIdentifier, lastModified: TemporaryName.lastModified(after)))
    #endif
  }
}

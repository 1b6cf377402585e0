import BenchmarkSuite
import BuildInfo
import Foundation
import Testing

@Suite("Provenance: build-time revision, verified BLAS kernel, no mixing")
struct ProvenanceTests {
  init() throws { try BenchBinary.require() }

  /// A tiny smoke run (one A2C update) into a fresh folder; returns the manifest.
  func tinyRun(
    environment: [String: String?] = [:], directory: URL? = nil
  ) throws -> (status: Int32, error: String, manifest: Provenance?) {
    let results = FakeResults.folder()
    let outcome = try BenchBinary.run(
      ["run", "--suite", "smoke", "--algorithms", "a2c", "--seeds", "1", "--timesteps", "40", "--results", results.path],
      environment: environment, directory: directory)
    let data = try? Data(contentsOf: results.appendingPathComponent("manifest.json"))
    return (outcome.status, outcome.error, try data.map { try JSONCoding.decoder.decode(Provenance.self, from: $0) })
  }

  func shell(_ arguments: [String], in directory: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "\(arguments)")
  }

  @Test("The git revision and Swift version are the build's, not the working directory's or PATH's")
  func buildTimeProvenance() throws {
    // The package is a git checkout, so the build knows its revision.
    #expect(FileManager.default.fileExists(atPath: BenchBinary.packageRoot.appendingPathComponent(".git").path))
    #expect(BuildInfo.gitDescription != "unknown" && !BuildInfo.gitDescription.isEmpty)
    #expect(BuildInfo.compilerVersion.hasPrefix("Swift version "))
    // Run bench inside another repository, with a fake `swift` first on PATH.
    let other = FakeResults.folder("other-repository")
    try shell(["git", "init", "-q"], in: other)
    try Data("x".utf8).write(to: other.appendingPathComponent("file"))
    try shell(["git", "add", "file"], in: other)
    try shell(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "other"], in: other)
    let fake = other.appendingPathComponent("swift")
    try Data("#!/bin/sh\necho 'Swift version 0.0-fake'\n".utf8).write(to: fake)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
    let path = other.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let outcome = try tinyRun(environment: ["PATH": path], directory: other)
    let manifest = try #require(outcome.manifest, "\(outcome.error)")
    #expect(manifest.gitRevision == BuildInfo.gitDescription)
    #expect(manifest.swiftVersion == BuildInfo.compilerVersion)
  }

  @Test("An unknown OPENBLAS_CORETYPE is refused (exit 64) before anything runs")
  func unknownCoreType() throws {
    let outcome = try tinyRun(environment: ["OPENBLAS_CORETYPE": "bogus", "OPENBLAS_NUM_THREADS": "1"])
    #expect(outcome.status == 64)
    #expect(outcome.error.hasPrefix("Error: invalid OPENBLAS_CORETYPE 'bogus'; allowed: a kernel this OpenBLAS runs on this CPU (it chose '"))
    #expect(outcome.manifest == nil)
  }

  @Test("An inherited re-exec marker does not switch the pinning off")
  func forgedMarker() throws {
    let outcome = try tinyRun(
      environment: ["ACTORCRITICBENCH_REEXEC": "1", "OPENBLAS_CORETYPE": nil, "OPENBLAS_NUM_THREADS": nil])
    let manifest = try #require(outcome.manifest, "\(outcome.error)")
    #expect(manifest.openBLASThreads == 1)
    #expect(["Haswell", "Sandybridge"].contains(manifest.openBLASCoreTypeEnvironment))
    #expect(manifest.openBLASCore == manifest.openBLASCoreTypeEnvironment)
  }
}

@Suite("Provenance: one build per suite in a results folder")
struct MixedProvenanceTests {
  func runner(_ store: ResultsStore, seed: Int, allowMixed: Bool = false) throws -> SuiteRunner {
    let plan = try RunPlan(
      suiteName: "smoke", algorithms: [.a2c], environments: [], seeds: 1, startSeed: seed, timesteps: 40, shard: nil)
    var runner = SuiteRunner(plan: plan, store: store, jobs: 1, commandLine: ["bench"])
    runner.progressOutput = { _ in }
    runner.allowMixedProvenance = allowMixed
    return runner
  }

  @Test("Runs of another build are not added to a folder unless mixing is allowed")
  func refusesOtherBuild() throws {
    let store = ResultsStore(root: FakeResults.folder())
    try FakeResults.writeManifest(store, suite: "smoke", gitRevision: "0000000-other")
    let manifest = try store.read("manifest.json")
    #expect(throws: BenchmarkError.self) { try runner(store, seed: 0).run() }
    do { _ = try runner(store, seed: 0).run() } catch {
      #expect("\(error)".contains("its smoke runs were made with gitRevision '0000000-other', this build has '\(Provenance.current(suite: "smoke", commandLine: []).gitRevision)'"))
      #expect("\(error)".hasSuffix("(use another --results folder, or pass --allow-mixed-provenance)"))
    }
    #expect(try store.read("manifest.json") == manifest)
    #expect(!FileManager.default.fileExists(atPath: store.runsFolder.path))
    let outcome = try runner(store, seed: 0, allowMixed: true).run()
    #expect(outcome.completed == 1)
    let merged = try JSONCoding.decoder.decode(Provenance.self, from: try store.read("manifest.json"))
    #expect(merged.shards?.map(\.gitRevision).first == "0000000-other")
  }

  @Test("Runs of a suite are added beside another suite's runs made by another build")
  func otherSuiteOtherBuild() throws {
    let store = ResultsStore(root: FakeResults.folder())
    try FakeResults.writeManifest(store, suite: "classic", gitRevision: "0000000-other")
    let outcome = try runner(store, seed: 0).run()
    #expect(outcome.completed == 1)
    let manifest = try JSONCoding.decoder.decode(Provenance.self, from: try store.read("manifest.json"))
    #expect(manifest.sessions.map(\.suite) == ["classic", "smoke"])
    #expect(manifest.sessions(suite: "classic").map(\.gitRevision) == ["0000000-other"])
    #expect(manifest.sessions(suite: "smoke").map(\.gitRevision) == [BuildInfo.gitDescription])
    // Now smoke has a session of this build: a later smoke session of this build is accepted, and a
    // smoke session recorded with another build makes the next one refused.
    #expect(try runner(store, seed: 1).run().completed == 1)
    var edited = manifest
    edited.shards![1].gitRevision = "0000000-older"
    try store.write(try JSONCoding.encoder.encode(edited), to: "manifest.json")
    #expect(throws: BenchmarkError.self) { try runner(store, seed: 2).run() }
  }

  @Test("A command with nothing left to run writes nothing, whichever build made the folder")
  func completeFolderUntouched() throws {
    let store = ResultsStore(root: FakeResults.folder())
    _ = try runner(store, seed: 0).run()
    // Pretend an older build made it.
    var manifest = try JSONCoding.decoder.decode(Provenance.self, from: try store.read("manifest.json"))
    manifest.gitRevision = "0000000-older"
    try store.write(try JSONCoding.encoder.encode(manifest), to: "manifest.json")
    let before = try store.read("manifest.json")
    let outcome = try runner(store, seed: 0).run()
    #expect(outcome.skipped == 1 && outcome.completed == 0)
    #expect(try store.read("manifest.json") == before)
  }
}

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where a run's checkpoints live: beside its run folder, never inside it.
///
/// ```
/// runs/<suite>/<env>/<algorithm>/seed-<n>.checkpoint/
///   update-<k>.acbc              the checkpoint after update k (RunCheckpoint)
///   update-<k>.acbc.tmp-<pid>    being written by process pid (renamed into place when complete)
///   update-<k>.acbc.corrupt      damaged (checksum, truncation, magic), kept for inspection
/// ```
/// A write is atomic: the bytes go to the temporary file, which is flushed to disk (`fsync`) and
/// renamed; only then are older checkpoints deleted, so the folder always holds the last
/// complete checkpoint. The folder is deleted when the run's folder is committed.
struct CheckpointStore {
  /// `seed-<n>.checkpoint`.
  let folder: URL

  init(store: ResultsStore, run: RunSpec) throws(BenchmarkError) {
    let runFolder = try store.url(for: "runs/" + run.identifier)
    folder = runFolder.deletingLastPathComponent().appendingPathComponent(
      CheckpointName.folder(runFolder.lastPathComponent), isDirectory: true)
  }

  /// The checkpoint files, newest (highest update) first.
  func files() -> [(update: Int, url: URL)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.compactMap { name in CheckpointName.update(of: name).map { ($0, folder.appendingPathComponent(name)) } }
      .sorted { $0.update > $1.update }
  }

  /// Writes `bytes` as the checkpoint after `update` and deletes every other checkpoint.
  @discardableResult
  func write(_ bytes: [UInt8], update: Int) throws(BenchmarkError) -> Double { try write([bytes], update: update) }

  /// Writes the consecutive `blocks` (``RunCheckpoint/encode(header:model:curve:)``) as the
  /// checkpoint after `update`, one after the other, and deletes every other checkpoint.
  /// - Returns: the seconds the write took (encode excluded).
  /// - Throws: ``BenchmarkError/io(path:reason:)``.
  @discardableResult
  func write(_ blocks: [[UInt8]], update: Int) throws(BenchmarkError) -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    let name = CheckpointName.file(update: update)
    let final = folder.appendingPathComponent(name)
    let temporary = folder.appendingPathComponent(TemporaryName.temporaryFile(name))
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw .io(path: folder.path, reason: error.localizedDescription)
    }
    let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw .io(path: temporary.path, reason: String(cString: strerror(errno))) }
    var failure: String?
    let limit = FaultInjection.bytesBeforeKill(checkpointBytes: blocks.reduce(0) { $0 + $1.count })
    var total = 0
    for block in blocks where failure == nil {
      block.withUnsafeBytes { raw in
        var written = 0
        while written < raw.count {
          let chunk = min(raw.count - written, limit.map { max(0, $0 - total) } ?? Int.max, 1 << 26)
          if chunk == 0 {
            fsync(fd)
            FaultInjection.kill("during a checkpoint write")
          }
          let n = Glibc.write(fd, raw.baseAddress! + written, chunk)
          if n < 0 {
            if errno == EINTR { continue }
            failure = String(cString: strerror(errno))
            return
          }
          written += n
          total += n
        }
      }
    }
    if failure == nil && fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
    close(fd)
    if failure == nil && rename(temporary.path, final.path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
      unlink(temporary.path)
      throw .io(path: final.path, reason: failure)
    }
    DurableFile.syncFolder(folder.path)
    for file in files() where file.update != update { unlink(file.url.path) }
    return (clock.now - start).inSeconds
  }

  /// The newest checkpoint that passes its checksum, trying older ones after a damaged one (renamed
  /// `*.corrupt`, reported through `report`); nil when none is left (the run starts from the beginning).
  ///
  /// A checkpoint that cannot be read, or that belongs to other settings, another build or
  /// another format version, is not skipped: starting over would delete it with the first new
  /// checkpoint, and with it hours of training lost to an I/O hiccup or a mistyped `--set`. The
  /// run is refused instead, naming the file and what to do.
  /// - Throws: ``BenchmarkError/io(path:reason:)`` for an unreadable file,
  ///   ``BenchmarkError/incompatibleResults(path:reason:)`` for other settings, another build or
  ///   another format version.
  func latestValid(for run: RunSpec, report: (String) -> Void) throws(BenchmarkError) -> RunCheckpoint? {
    let keep = "it is kept; delete \(folder.path) to start this run over, or use another --results folder"
    for file in files() {
      let bytes: [UInt8]
      do { bytes = try Self.readWhole(file.url.path) } catch {
        throw .io(path: file.url.path, reason: "cannot read this checkpoint (\(error)); \(keep)")
      }
      let checkpoint: RunCheckpoint
      do { checkpoint = try RunCheckpoint.decode(bytes) } catch {
        // An intact file of another format version (its checksum matched) is not damage: a newer
        // bench wrote it, and renaming it aside would let this build's first checkpoint delete the
        // newer build's hours of training.
        if case .unsupportedVersion(let version) = error {
          throw .incompatibleResults(
            path: file.url.path,
            reason: "a checkpoint in format version \(version), and this build reads version "
              + "\(RunCheckpoint.formatVersion); resume it with the build that wrote it, or "
              + keep.dropFirst("it is kept; ".count))
        }
        let kept = file.url.path + CheckpointName.corruptSuffix
        _ = rename(file.url.path, kept)
        report(
          "Checkpoint \(file.url.path) is damaged (\(error)); kept as \(kept), falling back to an older checkpoint "
            + "or the start.\n")
        continue
      }
      guard checkpoint.header.run == run else {
        throw .incompatibleResults(
          path: file.url.path,
          reason: "a checkpoint of \(run.identifier) with other settings than this command's ("
            + RunSpec.differences(checkpoint.header.run, run).joined(separator: "; ") + "); \(keep)")
      }
      guard checkpoint.header.build == RunCheckpoint.currentBuild else {
        throw .incompatibleResults(
          path: file.url.path,
          reason: "a checkpoint written by another build (\(checkpoint.header.build), this is "
            + "\(RunCheckpoint.currentBuild)), which would not continue bit for bit; resume it with that build, or "
            + keep.dropFirst("it is kept; ".count))
      }
      return checkpoint
    }
    return nil
  }

  /// Deletes the folder (the run is complete).
  func remove() { try? FileManager.default.removeItem(at: folder) }

  /// Deletes temporary files of dead processes, and of pids that were reused since
  /// (``TemporaryName/isLeftover(owner:lastModified:slack:)``).
  func removeLeftovers() {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names {
      let file = folder.appendingPathComponent(name)
      if TemporaryName.isLeftover(file, owner: TemporaryName.temporaryFileOwner) { unlink(file.path) }
    }
  }

  /// The whole file at `path` in one array, read with `read(2)` straight into it. Reading through
  /// `Data` and copying into an array held a multi-gigabyte checkpoint twice at once.
  /// - Throws: the `errno` text when the file cannot be opened, sized or read.
  static func readWhole(_ path: String) throws(ReadFailure) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ReadFailure(reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw ReadFailure(reason: String(cString: strerror(errno))) }
    let size = Int(info.st_size)
    var failure: String?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
      var done = 0
      while done < size, let base = buffer.baseAddress {
        let n = read(fd, base + done, min(size - done, 1 << 30))
        if n < 0 {
          if errno == EINTR { continue }
          failure = String(cString: strerror(errno))
          break
        }
        if n == 0 { break }  // the file shrank since fstat: the checksum refuses what was read
        done += n
      }
      initialized = done
    }
    if let failure { throw ReadFailure(reason: failure) }
    return bytes
  }

  /// Why ``readWhole(_:)`` failed.
  struct ReadFailure: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
  }
}

/// The names of checkpoint folders and files.
enum CheckpointName {
  static let folderSuffix = ".checkpoint"
  static let corruptSuffix = ".corrupt"

  /// `seed-<n>.checkpoint` for the run folder `seed-<n>`.
  static func folder(_ runFolderName: String) -> String { runFolderName + folderSuffix }

  /// The run folder name of a checkpoint folder name (`seed-3.checkpoint` → `seed-3`), else nil.
  static func runFolder(of name: String) -> String? {
    guard name.hasSuffix(folderSuffix) else { return nil }
    let base = String(name.dropLast(folderSuffix.count))
    return RunFolderName.seed(of: base) != nil ? base : nil
  }

  /// `update-<k>.acbc`.
  static func file(update: Int) -> String { "update-\(update).acbc" }

  /// The update of a name made by ``file(update:)``, else nil.
  static func update(of name: String) -> Int? {
    guard name.hasPrefix("update-"), name.hasSuffix(".acbc") else { return nil }
    let digits = String(name.dropFirst(7).dropLast(5))
    guard let k = Int(digits), k >= 0, String(k) == digits else { return nil }
    return k
  }
}

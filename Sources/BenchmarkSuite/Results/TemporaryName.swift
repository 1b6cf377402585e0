import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The names of the temporary files and folders this tool creates, and the test that recognises
/// exactly those names and nothing else (a user's `my.partial-backup` is not one).
///
/// ```
/// run folder being written   seed-<n>.partial-<pid>     n, pid: decimal, no sign, no leading zero
/// file being written         <name>.tmp-<pid>           <name> a plain file name
/// ```
/// `pid` is the writing process, so a leftover can be told from the work of a live process.
enum TemporaryName {
  /// `seed-<n>.partial-<pid>` for the run folder `seed-<n>`, owned by this process.
  static func partial(_ folderName: String) -> String { "\(folderName).partial-\(getpid())" }

  /// `<name>.tmp-<pid>` for the file `name`, owned by this process.
  static func temporaryFile(_ name: String) -> String { "\(name).tmp-\(getpid())" }

  /// The owning pid of a name made by ``partial(_:)`` from a canonical `seed-<n>`, else nil.
  static func partialOwner(_ name: String) -> Int32? {
    guard let range = name.range(of: ".partial-", options: .backwards),
      RunFolderName.seed(of: String(name[..<range.lowerBound])) != nil
    else { return nil }
    return pid(String(name[range.upperBound...]))
  }

  /// The owning pid of a name made by ``temporaryFile(_:)``, else nil.
  static func temporaryFileOwner(_ name: String) -> Int32? {
    guard let range = name.range(of: ".tmp-", options: .backwards), range.lowerBound > name.startIndex else {
      return nil
    }
    return pid(String(name[range.upperBound...]))
  }

  /// A canonical positive decimal pid.
  static func pid(_ text: String) -> Int32? {
    guard let first = text.first, first != "0", text.allSatisfy(\.isASCII), let value = Int32(text), value > 0,
      String(value) == text
    else { return nil }
    return value
  }

  /// Whether process `pid` exists (signal 0 probes without signalling).
  static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno != ESRCH }

  /// Whether the temporary named with `owner`, last modified at `lastModified`, is left over: no
  /// process `owner` exists, or the process that holds that pid now started after the item's last
  /// modification (more than `slack` after, as start times are good to about a second), so the
  /// pid was reused after the writer died — after a reboot, or on a busy machine. Without that
  /// second test a reused pid kept a dead process's multi-gigabyte checkpoint `.tmp` forever.
  static func isLeftover(owner: Int32, lastModified: Date?, slack: TimeInterval = 2) -> Bool {
    guard isAlive(owner) else { return true }
    guard let lastModified, let started = ProcessStartTime.of(owner) else { return false }
    return started.timeIntervalSince(lastModified) > slack
  }

  /// Whether the file or folder at `url` is a leftover: its name gives an owner by `owner`
  /// (``partialOwner(_:)`` or ``temporaryFileOwner(_:)``) and ``isLeftover(owner:lastModified:slack:)``
  /// holds for that owner and the item's last modification. False for any other name.
  static func isLeftover(_ url: URL, owner: (String) -> Int32?) -> Bool {
    guard let pid = owner(url.lastPathComponent) else { return false }
    return isLeftover(owner: pid, lastModified: lastModified(url.path))
  }

  /// The last modification of the file or folder at `path`, or nil.
  static func lastModified(_ path: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
  }
}

/// The name of a run folder: `seed-<n>`, `n` a canonical non-negative decimal.
enum RunFolderName {
  /// `seed-<n>`.
  static func name(seed: Int) -> String { "seed-\(seed)" }

  /// The seed of a canonical `seed-<n>` name, else nil (`seed-0.bak`, `seed-01`, `seed--1`).
  static func seed(of name: String) -> Int? {
    guard name.hasPrefix("seed-") else { return nil }
    let digits = String(name.dropFirst(5))
    guard let n = Int(digits), n >= 0, String(n) == digits else { return nil }
    return n
  }
}

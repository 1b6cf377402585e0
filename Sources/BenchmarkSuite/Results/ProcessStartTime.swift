import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// When a live process started, read from Linux's `/proc`:
///
///     start = btime + starttime / CLK_TCK
///
/// with `btime` the boot time in whole seconds (`/proc/stat`) and `starttime` the 22nd field of
/// `/proc/<pid>/stat`, in clock ticks since boot (proc(5)). `btime` is truncated to the second, so
/// the result is up to about a second early.
///
/// It tells a reused pid from the process that wrote a temporary file: the writer started before
/// the file's last modification, a process that later received the same pid started after it.
enum ProcessStartTime {
  /// The start of process `pid`, or nil when it cannot be read (no such process, no `/proc`).
  static func of(_ pid: Int32) -> Date? {
    #if os(Linux)
      // Bytes, not UTF-8 text: a command name need not be valid UTF-8.
      guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
        let ticks = startTicks(statLine: Array(stat)),
        let bootTime = bootTime()
      else { return nil }
      let perSecond = sysconf(Int32(_SC_CLK_TCK))
      guard perSecond > 0 else { return nil }
      return Date(timeIntervalSince1970: bootTime + Double(ticks) / Double(perSecond))
    #else
      return nil
    #endif
  }

  /// Field 22 (`starttime`) of a `/proc/<pid>/stat` line. The second field, the command name in
  /// parentheses, may itself hold spaces and parentheses, so the fields are counted after the
  /// last `)`: field 3 is the first of them.
  static func startTicks(statLine: [UInt8]) -> UInt64? {
    guard let close = statLine.lastIndex(of: UInt8(ascii: ")")) else { return nil }
    let fields = statLine[(close + 1)...].split(
      whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
    let index = 22 - 3
    guard fields.count > index else { return nil }
    return UInt64(String(decoding: fields[index], as: UTF8.self))
  }

  /// `btime` of `/proc/stat`: the boot time, seconds since the epoch.
  private static func bootTime() -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
      return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
    }
    return nil
  }
}

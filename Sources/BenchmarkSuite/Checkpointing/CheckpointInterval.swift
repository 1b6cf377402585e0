/// How often a run writes a checkpoint (`bench run --checkpoint-every`).
///
/// ```
/// off          never (a SIGTERM still stops the run promptly; it then restarts from its beginning)
/// <n>s|m|h     every n seconds / minutes / hours of training, 1 s … 7 days (default 5m)
/// <n>updates   after every n updates, 1 … 10⁹ (reproducible positions, for tests)
/// ```
/// A checkpoint is written after the update during which the interval elapsed, so a run shorter
/// than the interval writes none (the default costs short runs nothing).
public enum CheckpointInterval: Sendable, Equatable, CustomStringConvertible {
  case off
  case wallClock(seconds: Int)
  case updates(Int)

  /// Every five minutes.
  public static let standard = CheckpointInterval.wallClock(seconds: 300)

  static let secondsRange = 1...(7 * 24 * 3600)
  static let updatesRange = 1...1_000_000_000

  /// Parses the forms in the type documentation.
  /// - Throws: ``BenchmarkError/invalidOption(name:value:allowed:)`` naming `--checkpoint-every`.
  public init(parsing text: String) throws(BenchmarkError) {
    let invalid = BenchmarkError.invalidOption(
      name: "--checkpoint-every", value: text,
      allowed: "off, a duration <n>s, <n>m or <n>h between 1s and 168h (e.g. 5m), or <n>updates (1…10⁹)")
    if text == "off" {
      self = .off
      return
    }
    if text.hasSuffix("updates") {
      guard let n = Int(text.dropLast(7)), Self.updatesRange.contains(n) else { throw invalid }
      self = .updates(n)
      return
    }
    guard let unit = text.last, let scale = ["s": 1, "m": 60, "h": 3600][String(unit)],
      let n = Int(text.dropLast()), n >= 1, n <= Self.secondsRange.upperBound / scale
    else { throw invalid }
    self = .wallClock(seconds: n * scale)
  }

  /// The canonical text (`5m`, `90s`, `2h`, `10updates`, `off`), which ``init(parsing:)`` reads back.
  public var description: String {
    switch self {
    case .off: return "off"
    case .updates(let n): return "\(n)updates"
    case .wallClock(let s):
      if s % 3600 == 0 { return "\(s / 3600)h" }
      if s % 60 == 0 { return "\(s / 60)m" }
      return "\(s)s"
    }
  }
}

import ActorCritic
import Environments

/// The algorithms the harness runs.
public enum AlgorithmID: String, Codable, Sendable, CaseIterable, Comparable {
  case a2c
  case acktr
  case acer

  public static func < (a: AlgorithmID, b: AlgorithmID) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// Display name (`A2C`).
  public var displayName: String { rawValue.uppercased() }

  /// Whether the algorithm supports the action space (stable-baselines 2.10: A2C all four,
  /// ACKTR Discrete and Box, ACER Discrete only; algorithms.md §1.5).
  public func supports(_ actionSpace: Space) -> Bool {
    switch (self, actionSpace) {
    case (.a2c, _): return true
    case (.acktr, .discrete), (.acktr, .box): return true
    case (.acer, .discrete): return true
    default: return false
    }
  }
}

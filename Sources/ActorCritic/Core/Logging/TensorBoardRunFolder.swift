import Foundation

/// The run folder of one `learn` call under `tensorboard_log`, numbered as stable-baselines 2's
/// `TensorboardWriter` numbers it (`common/base_class.py`):
///
/// ```
/// latest = max{ n : <log>/<name>_<n> exists, <name>_<n> split at its last '_' gives <name> and digits }  (0 if none)
/// folder = <log>/<name>_<latest + 1>   for a new curve (num_timesteps == 0 after the reset)
///          <log>/<name>_<latest>       when reset_num_timesteps = false continues one
/// ```
/// So `A2C_1`, `A2C_2`, … and a continued `learn` writes a second event file into the folder of
/// the curve it continues (`A2C_0` when no run exists yet, as in SB2).
public enum TensorBoardRunFolder {
  /// The greatest run number of `name` under `log` (0 when there is none).
  public static func latestRunNumber(in log: URL, name: String) -> Int {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: log.path)) ?? []
    var latest = 0
    for entry in entries {
      guard let underscore = entry.lastIndex(of: "_"), entry[..<underscore] == name else { continue }
      let digits = entry[entry.index(after: underscore)...]
      guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { continue }
      latest = max(latest, n)
    }
    return latest
  }

  /// The folder this `learn` call writes into.
  ///
  /// - Throws: ``LoggingError/invalidRunName(_:)`` for a name that is not a folder name.
  public static func folder(log: URL, name: String, newRun: Bool) throws(LoggingError) -> URL {
    guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\0") else {
      throw .invalidRunName(name)
    }
    let latest = latestRunNumber(in: log, name: name)
    return log.appendingPathComponent("\(name)_\(newRun ? latest + 1 : latest)", isDirectory: true)
  }
}

import Foundation

/// A parsed `curve.csv`: named numeric columns, one row per checkpoint.
///
/// ```
/// timesteps,updates,episodes,mean_return_last100,…,learning_rate
/// 120,3,3,12.333333333333334,…,0.0007
/// ```
/// Values are parsed with `Double(_:)`, so `nan` (a column before the first episode ends) reads
/// back as NaN.
public struct CurveTable: Sendable, Equatable {
  /// The column names, in file order.
  public let header: [String]
  /// The rows as written (text), for bit-exact comparisons.
  public let rows: [[String]]

  /// Parses CSV text.
  /// - Throws: ``BenchmarkError/incompatibleResults(path:reason:)`` when the text has no header,
  ///   a row has the wrong number of fields, or a field is not a number.
  public init(csv text: String, path: String) throws(BenchmarkError) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    guard let first = lines.first else { throw .incompatibleResults(path: path, reason: "empty curve file") }
    header = first.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    var rows: [[String]] = []
    for (number, line) in lines.dropFirst().enumerated() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == header.count else {
        throw .incompatibleResults(
          path: path, reason: "row \(number + 1) has \(fields.count) fields; the header has \(header.count)")
      }
      for field in fields where Double(field) == nil {
        throw .incompatibleResults(path: path, reason: "row \(number + 1): '\(field)' is not a number")
      }
      rows.append(fields)
    }
    self.rows = rows
  }

  /// Reads and parses a file.
  public init(contentsOf url: URL) throws(BenchmarkError) {
    let text: String
    do { text = try String(contentsOf: url, encoding: .utf8) } catch {
      throw .io(path: url.path, reason: error.localizedDescription)
    }
    try self.init(csv: text, path: url.path)
  }

  /// The values of a column.
  /// - Throws: ``BenchmarkError/incompatibleResults(path:reason:)`` when the column is missing.
  public func column(_ name: String) throws(BenchmarkError) -> [Double] {
    guard let index = header.firstIndex(of: name) else {
      throw .incompatibleResults(
        path: "curve.csv", reason: "no column '\(name)'; columns: \(header.joined(separator: ", "))")
    }
    return rows.map { Double($0[index])! }
  }
}

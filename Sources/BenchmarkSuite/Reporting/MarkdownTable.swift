/// A GitHub-flavoured Markdown table with escaped cells.
///
/// ```
/// | a | b |
/// | --- | ---: |
/// | x | 1.0 |
/// ```
struct MarkdownTable {
  enum Alignment { case left, right }

  var header: [String]
  var alignments: [Alignment]
  var rows: [[String]] = []

  init(_ header: [String], alignments: [Alignment]? = nil) {
    self.header = header
    self.alignments = alignments ?? header.map { _ in .left }
  }

  mutating func append(_ row: [String]) {
    precondition(row.count == header.count, "a row needs \(header.count) cells")
    rows.append(row)
  }

  /// `|` and line breaks inside cells would break the table.
  static func escape(_ cell: String) -> String {
    cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }

  var text: String {
    var lines = ["| " + header.map(Self.escape).joined(separator: " | ") + " |"]
    lines.append("| " + alignments.map { $0 == .left ? "---" : "---:" }.joined(separator: " | ") + " |")
    for row in rows { lines.append("| " + row.map(Self.escape).joined(separator: " | ") + " |") }
    return lines.joined(separator: "\n")
  }
}

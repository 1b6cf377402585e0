import Environments

/// The curve recorder's part of a run checkpoint: its rows so far and the partial sums of the
/// updates since the last row, so a resumed run writes the same `curve.csv` bytes.
///
/// ```
/// interval Int, nextCheckpoint Int, count Int, lastRowTimesteps Int
/// sums [Double] (5: policy loss, value loss, entropy, explained variance, learning rate)
/// rows Int n, n × (cells Int m, m × String)
/// elapsed [Int timesteps], [Double seconds]     timing.json's row times
/// trainingSeconds Double                        wall-clock training time so far
/// ```
extension CurveRecorder {
  func captureState() -> [UInt8] {
    var writer = BinaryStateWriter()
    writer.write(interval)
    writer.write(nextCheckpoint)
    writer.write(count)
    writer.write(lastRowTimesteps)
    writer.write(sums)
    writer.write(rows.count)
    for row in rows {
      writer.write(row.count)
      for cell in row { writer.write(cell) }
    }
    writer.write(checkpoints.map(\.timesteps))
    writer.write(checkpoints.map(\.elapsedSeconds))
    writer.write(elapsedSeconds)
    return writer.bytes
  }

  /// The rows of a saved state (``captureState()``), for progress displays; the rest is skipped.
  static func savedRows(_ bytes: [UInt8]) throws(BinaryStateError) -> [[String]] {
    var reader = BinaryStateReader(bytes)
    for field in ["curve.interval", "curve.nextCheckpoint", "curve.count", "curve.lastRowTimesteps"] {
      _ = try reader.readInt(field)
    }
    _ = try reader.readArray(Double.self, "curve.sums")
    return try readRows(&reader)
  }

  /// The saved rows: a count, then each row's cell count (the header's) and cells.
  private static func readRows(_ reader: inout BinaryStateReader) throws(BinaryStateError) -> [[String]] {
    let rowCount = try reader.readInt("curve.rows")
    guard rowCount >= 0, rowCount <= reader.remaining / 8 else {
      throw .truncated(field: "curve.rows", needed: max(rowCount, 0) &* 8, remaining: reader.remaining)
    }
    var rows: [[String]] = []
    for _ in 0..<rowCount {
      let cells = try reader.readInt("curve.row")
      guard cells == header.count else {
        throw .invalid(field: "curve.row", reason: "\(cells) cells, the header has \(header.count)")
      }
      var row: [String] = []
      for _ in 0..<cells { row.append(try reader.readString("curve.cell")) }
      rows.append(row)
    }
    return rows
  }

  /// Restores into a fresh recorder of the same run.
  func restoreState(_ bytes: [UInt8]) throws(BinaryStateError) {
    var reader = BinaryStateReader(bytes)
    let savedInterval = try reader.readInt("curve.interval")
    guard savedInterval == interval else {
      throw .invalid(field: "curve.interval", reason: "checkpoint records every \(savedInterval) steps, this run every \(interval)")
    }
    let next = try reader.readInt("curve.nextCheckpoint")
    let savedCount = try reader.readInt("curve.count")
    let lastRow = try reader.readInt("curve.lastRowTimesteps")
    let savedSums = try reader.readArray(Double.self, "curve.sums", count: sums.count)
    let savedRows = try Self.readRows(&reader)
    let times = try reader.readArray(Int.self, "curve.elapsed.timesteps")
    let seconds = try reader.readArray(Double.self, "curve.elapsed.seconds", count: times.count)
    let training = try reader.readDouble("curve.trainingSeconds")
    try reader.requireEnd("curve")
    nextCheckpoint = next
    count = savedCount
    lastRowTimesteps = lastRow
    sums = savedSums
    rows = savedRows
    checkpoints = zip(times, seconds).map { RunTiming.Checkpoint(timesteps: $0, elapsedSeconds: $1) }
    resumedSeconds = training
  }
}

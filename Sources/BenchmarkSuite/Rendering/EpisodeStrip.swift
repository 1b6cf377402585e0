import Foundation
import GymnasiumBridge
import Plotting

/// A recorded episode (``EpisodeRecorder``) as images: one PNG strip — the frames in a grid
/// (``FrameGrid``), each captioned `t=<step>` — and, on request, every frame as its own PNG,
/// `step-<t, 6 digits>.png`, numbered by the step it shows. Frames are enlarged `scale` times
/// by repeating pixels; ``automaticScale(width:height:)`` makes small frames readable.
public enum EpisodeStrip {
  /// The smallest whole factor that makes a frame's longer side at least 80 pixels (MinAtar's
  /// 10×10 → 8; Atari's 210×160 and Gymnasium's drawings → 1).
  public static func automaticScale(width: Int, height: Int) -> Int {
    let side = max(1, max(width, height))
    return min(64, max(1, (80 + side - 1) / side))
  }

  /// The frames of `episode` as canvases, enlarged `scale` times (nil: ``automaticScale(width:height:)``).
  public static func frames(of episode: EpisodeRecorder.Episode, scale: Int?) throws(PlotError) -> [Canvas] {
    var frames: [Canvas] = []
    for frame in episode.frames {
      let factor = scale ?? automaticScale(width: frame.width, height: frame.height)
      frames.append(try Canvas(width: frame.width, height: frame.height, rgb: frame.rgb).scaled(by: factor))
    }
    return frames
  }

  /// The strip: `columns` frames per row, 2 pixels apart, captioned with their steps.
  /// - Throws: ``PlotError`` when the frames differ in size, `scale` is outside 1…64, or the
  ///   grid is too large for a canvas (16384 pixels a side: fewer columns, or a larger `--every`).
  public static func canvas(of episode: EpisodeRecorder.Episode, columns: Int, scale: Int? = nil) throws(PlotError) -> Canvas {
    try strip(frames(of: episode, scale: scale), steps: episode.steps, columns: columns)
  }

  /// The strip as PNG bytes (what ``write(_:columns:scale:to:framesFolder:)`` writes; a run's
  /// `episode.png`).
  /// - Throws: as ``canvas(of:columns:scale:)``; ``PNGError`` when encoding fails.
  public static func pngData(of episode: EpisodeRecorder.Episode, columns: Int, scale: Int? = nil) throws -> [UInt8] {
    try PNGWriter.encode(try canvas(of: episode, columns: columns, scale: scale))
  }

  private static func strip(_ frames: [Canvas], steps: [Int], columns: Int) throws(PlotError) -> Canvas {
    try FrameGrid.compose(frames, columns: columns, gap: 2, captions: steps.map { "t=\($0)" })
  }

  /// Writes the strip to `path` (atomically) and, with `framesFolder`, every frame (enlarged as
  /// in the strip) to `framesFolder/step-<t>.png` (the folder is created).
  /// - Returns: the files written, strip first.
  /// - Throws: ``BenchmarkError/io(path:reason:)`` naming the file that could not be written;
  ///   ``PlotError`` as ``canvas(of:columns:scale:)``.
  @discardableResult
  public static func write(
    _ episode: EpisodeRecorder.Episode, columns: Int, scale: Int? = nil, to path: String, framesFolder: String? = nil
  ) throws -> [String] {
    let images = try frames(of: episode, scale: scale)
    let grid = try strip(images, steps: episode.steps, columns: columns)
    var written: [String] = []
    do {
      try PNGWriter.write(grid, to: path)
      written.append(path)
    } catch { throw BenchmarkError.io(path: path, reason: "\(error)") }
    guard let framesFolder else { return written }
    do {
      try FileManager.default.createDirectory(atPath: framesFolder, withIntermediateDirectories: true)
    } catch { throw BenchmarkError.io(path: framesFolder, reason: error.localizedDescription) }
    for (frame, step) in zip(images, episode.steps) {
      let file = (framesFolder as NSString).appendingPathComponent(frameFileName(step: step))
      do {
        try PNGWriter.write(frame, to: file)
      } catch { throw BenchmarkError.io(path: file, reason: "\(error)") }
      written.append(file)
    }
    return written
  }

  /// `step-000008.png` for step 8.
  public static func frameFileName(step: Int) -> String {
    let digits = String(step)
    return "step-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".png"
  }
}

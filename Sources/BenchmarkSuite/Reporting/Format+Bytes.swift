extension Format {
  /// `950 B`, `48 KB`, `3.2 MB`, `2.4 GB` (decimal units; sizes of checkpoints and files).
  public static func bytes(_ n: Int) -> String {
    let x = Double(n)
    if x >= 1e9 { return fixed(x / 1e9, 1) + " GB" }
    if x >= 1e6 { return fixed(x / 1e6, 1) + " MB" }
    if x >= 1e3 { return "\(Int((x / 1e3).rounded())) KB" }
    return "\(n) B"
  }
}

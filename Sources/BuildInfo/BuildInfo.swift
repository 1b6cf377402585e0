/// What built this binary, recorded at build time by `BuildInfoPlugin` (provenance, design.md §5).
///
/// ```
/// gitDescription    git describe --always --dirty --tags --abbrev=12 in the package directory:
///                   "<tag-or-hash>[-dirty]", "unknown" without git
/// compilerVersion   first line of `swiftc -version` of the toolchain that built it
/// ```
/// Read from the binary, never from the working directory or PATH at run time, so a run started
/// inside another repository, or with another `swift` first on PATH, records the build's own.
public enum BuildInfo {
  /// Whether the tree had uncommitted changes to tracked files when this binary was built.
  public static var isDirty: Bool { gitDescription.hasSuffix("-dirty") }
}

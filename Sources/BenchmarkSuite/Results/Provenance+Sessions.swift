/// The sessions a manifest records, and the one-build-per-suite rule (design.md §5).
///
/// ```
/// sessions(m)        = m.shards                 when the manifest lists its sessions
///                    = [m]                      otherwise (a folder written by one session)
/// compatible(S, new) ⇔ every session s ∈ sessions(m) with s.suite = new.suite
///                      agrees with new on every result-changing field
/// ```
/// Sessions of other suites are kept in the manifest but never compared: the runs of suite S are a
/// pure function of (entry, seed, code, BLAS kernel) of S's own sessions, so a suite that takes many
/// sessions (minatar, atari) can be run across commits beside `classic` in one folder, while the runs
/// of any one suite still come from one build.
extension Provenance {
  /// Every session of this manifest, oldest first, each without `shards`.
  public var sessions: [Provenance] {
    (shards ?? [self]).map { session in
      var flat = session
      flat.shards = nil
      return flat
    }
  }

  /// The suites with a session in this manifest, sorted (a merged top level names several).
  public var sessionSuites: [String] { Array(Set(sessions.map(\.suite))).sorted() }

  /// The sessions that added runs of `suite`, oldest first.
  public func sessions(suite: String) -> [Provenance] { sessions.filter { $0.suite == suite } }

  /// The first result-changing field (``ResultsMerger/resultFields``) in which `other` differs
  /// from this session: its name, this session's value and `other`'s; nil when they agree.
  public func resultFieldMismatch(_ other: Provenance) -> (field: String, this: String, other: String)? {
    for field in ResultsMerger.resultFields where field.value(self) != field.value(other) {
      return (field.name, field.value(self), field.value(other))
    }
    return nil
  }
}

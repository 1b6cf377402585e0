import ActorCritic

extension Suite {
  /// The rl-baselines-zoo's Atari games (published-numbers.md §1.2), in its table's order.
  public static let zooAtariGames = [
    "BeamRider", "Breakout", "Enduro", "MsPacman", "Pong", "Qbert", "Seaquest", "SpaceInvaders",
  ]

  /// The zoo's `atari:` blocks verbatim (published-numbers.md §1.3; hyperparams/{a2c,acer,acktr}.yml
  /// @ff84f39) with SB2's `CnnPolicy` (`nature_cnn`) and SB2's Atari pipeline (`atari:<Game>`:
  /// `make_atari_env` + `VecFrameStack(4)`, pixels-and-bridge.md §1):
  ///
  /// ```
  /// algo    n_timesteps  n_envs  overrides of the SB2 defaults
  /// A2C     1e7          16      lr_schedule constant
  /// ACER    1e7          16      lr_schedule constant, buffer_size 5000, ent_coef 0.01
  /// ACKTR   5e6          32      lr_schedule linear, async_eigen_decomp True
  /// ```
  /// Evaluation: the zoo's (`enjoy.py -n 150000 --n-envs 1`): one environment, the stochastic
  /// policy, 150,000 steps, the Monitor's full-game unclipped score (``Evaluation``).
  ///
  /// What differs from the zoo's agents, and why:
  /// - Emulator: ale-py 0.12.1's `{Game}NoFrameskip-v4` under Gymnasium 1.4 instead of gym ≈0.10
  ///   with atari-py: same ROMs and frame skip 1, no sticky actions, but a truncation at 108,000
  ///   frames instead of gym's 400,000-step TimeLimit, and NumPy `Generator` no-op draws (the same
  ///   distribution, 1–30 no-ops, not SB2's `RandomState` draw for draw).
  /// - ACKTR's `async_eigen_decomp`: SB2 runs the eigendecomposition on a queue thread and uses
  ///   whichever finished last (wall-clock timing, not reproducible); ours is the deterministic
  ///   emulation with a fixed lag (``atariACKTRSettings``).
  public static let atari = Suite(
    name: "atari",
    summary: "the zoo's Atari rows: 8 games × A2C/ACER (1e7 steps, 16 envs) and ACKTR (5e6, 32 envs), "
      + "nature_cnn (Python bridge; days on 2 cores)",
    entries: zooAtariGames.flatMap { game in
      AlgorithmID.allCases.map { algorithm in atariEntry(game: game, algorithm: algorithm) }
    })

  /// ACKTR's eigendecomposition on Atari: asynchronous as the zoo's (`async_eigen_decomp: True`), in
  /// SB2's own float32 (`eigen_solver single`), with the lag SB2's queue thread would have here.
  ///
  /// nature_cnn's `fc1` A factor is 3137 × 3137: one decomposition takes 2.7 s in float32 (6.1 s in
  /// float64) on one core (``KFAC/EigenSolver``), and one update of 32 × 20 steps without any
  /// decomposition ≈ 3.1 s of CPU here (measured on Pong: 20 updates, 62.5 s of CPU for bench and
  /// its workers). A decomposition started beside training therefore arrives 1–2 updates later;
  /// lag 2 keeps training from waiting for it, as on MinAtar (``minAtarACKTRSettings``).
  // Deviation: SB2's lag is whatever its queue thread's timing gives; ours is a fixed number of
  // updates (bit-reproducible).
  public static let atariACKTRSettings: [String: HyperparameterValue] = [
    "lr_schedule": "linear", "async_eigen_decomp": true, "async_eigen_decomp_lag": 2, "eigen_solver": "single",
  ]

  /// Where an entry's settings come from, and what differs.
  private static func zooAtariSource(_ algorithm: AlgorithmID) -> String {
    "araffin/rl-baselines-zoo hyperparams/\(algorithm.rawValue).yml 'atari' @ff84f39 (published-numbers.md §1.3), "
      + "SB2 CnnPolicy; ale-py 0.12.1 NoFrameskip-v4 (108k-frame truncation, Generator no-op draws) instead of "
      + "gym/atari-py"
  }

  static func atariEntry(game: String, algorithm: AlgorithmID) -> SuiteEntry {
    var entry = adHocEntry(environment: "atari:\(game)", algorithm: algorithm, timesteps: 10_000_000)
    entry.evaluationTimesteps = 150_000
    switch algorithm {
    case .a2c:
      entry.hyperparameters["lr_schedule"] = "constant"
    case .acer:
      entry.hyperparameters.merge(["lr_schedule": "constant", "buffer_size": 5000, "ent_coef": 0.01]) { $1 }
    case .acktr:
      entry.environmentCount = 32
      entry.timesteps = 5_000_000
      entry.hyperparameters.merge(atariACKTRSettings) { $1 }
    }
    entry.source =
      zooAtariSource(algorithm)
      + (algorithm == .acktr
        ? "; async_eigen_decomp emulated deterministically with async_eigen_decomp_lag 2 (ours), SB2's float32 "
          + "eigendecomposition (eigen_solver single)" : "")
    return entry
  }
}

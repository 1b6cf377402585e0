extension PublishedResult {
  /// Every published row `bench check` knows, in the order it lists them: the zoo's classic and
  /// Atari rows, then the papers'.
  public static let all: [PublishedResult] =
    rlBaselinesZoo + zooAtari + ppoPaperTable6 + acktrPaperTable1 + acktrPaperFigure1 + openAIBaselinesAtari10M
    + acktrPaperMuJoCoFigure3 + minAtarPaper

  /// One row per (row, column) of a published table: `make(row name, column, value)`.
  static func table<Column>(
    _ rows: [(String, [Double])], columns: [Column], make: (String, Column, Double) -> PublishedResult
  ) -> [PublishedResult] {
    rows.flatMap { name, values in zip(columns, values).map { make(name, $0, $1) } }
  }

  /// A paper's Atari table of last-100-training-episode means: one row per (game, column), each
  /// `atari:<game>` with the paper's budget and seed count.
  static func atariTable(
    _ rows: [(String, [Double])], columns: [AlgorithmID], budget: Int, seeds: Int, label: String, source: String,
    derivation: String = "", caveat: String = "", publishedSuffix: String = ""
  ) -> [PublishedResult] {
    table(rows, columns: columns) { game, algorithm, mean in
      PublishedResult(
        environment: "atari:\(game)", publishedEnvironment: game + publishedSuffix, algorithm: algorithm,
        meanReturn: mean, trainingTimesteps: budget, trainingSeeds: seeds, measure: .lastHundredTrainingEpisodes,
        derivation: derivation, label: label, source: source, caveat: caveat)
    }
  }

  // MARK: - PPO paper

  /// Schulman et al. (2017), arXiv 1707.06347, Table 6 (published-numbers.md §3.3): "Mean final
  /// scores (last 100 episodes) … after 40M game frames (10M timesteps)", 3 seeds, the PPO authors'
  /// runs of OpenAI baselines' A2C and ACER; the `atari` suite's games.
  public static let ppoPaperTable6 = atariTable(
    [
      ("BeamRider", [3031.7, 3863.3]), ("Breakout", [303.0, 456.4]), ("Enduro", [0.0, 0.0]),
      ("MsPacman", [1626.9, 2718.5]), ("Pong", [19.7, 20.7]), ("Qbert", [10065.7, 15316.6]),
      ("Seaquest", [1714.3, 1739.5]), ("SpaceInvaders", [744.5, 1213.9]),
    ], columns: [.a2c, .acer], budget: 10_000_000, seeds: 3, label: "PPO paper Table 6",
    source: "Schulman et al. 2017, arXiv 1707.06347, Table 6 (published-numbers.md §3.3)",
    caveat: "OpenAI baselines' implementation and Atari settings (A2C: lr linear, vf_coef 0.5; ACER: buffer 50,000), "
      + "not the zoo's; no spread published, so the test assumes our seed spread")

  // MARK: - ACKTR paper

  /// The ACKTR paper's Table 1 (Atari, no-op starts): the mean of the last 100 training episodes
  /// after 50M timesteps, ACKTR and A2C. Our budgets are 5M–10M, so these rows are shown and never
  /// tested (other budget).
  public static let acktrPaperTable1 = atariTable(
    [
      ("BeamRider", [13581.4, 8148.1]), ("Breakout", [735.7, 581.6]), ("Pong", [20.9, 19.9]),
      ("Qbert", [23151.5, 15967.4]), ("Seaquest", [1776.0, 1754.0]), ("SpaceInvaders", [19723.0, 1757.2]),
    ], columns: [.acktr, .a2c], budget: 50_000_000, seeds: 2, label: "ACKTR paper Table 1",
    source: "Wu et al. 2017, arXiv 1708.05144, via seungjaeryanlee/rldb paper__acktr @8c471c4 (published-numbers.md §3.1)",
    caveat: "rldb does not say whether these come from Table 1 or the appendix's 44-game table")

  /// The ACKTR paper's Figure 1 at 10M timesteps (2 seeds), read from the plotted mean curves of
  /// openai/baselines-results `acktr_results.ipynb` (published-numbers.md §3.1, derived, ±3% of the
  /// axis range).
  public static let acktrPaperFigure1 = atariTable(
    [
      ("BeamRider", [6360, 2750]), ("Breakout", [436, 293]), ("Pong", [20.7, 18.8]), ("Qbert", [17990, 5240]),
      ("Seaquest", [1670, 1250]), ("SpaceInvaders", [1000, 730]),
    ], columns: [.acktr, .a2c], budget: 10_000_000, seeds: 2, label: "ACKTR paper Fig. 1",
    source: "openai/baselines-results acktr_results.ipynb cell 2 (published-numbers.md §3.1)",
    derivation: "read from the paper's Figure 1 curves (acktr_results.ipynb), ±3% of the axis range")

  /// The ACKTR paper's Figure 3 (MuJoCo, 1M timesteps, 3 seeds), values at 1M read by eye
  /// (published-numbers.md §3.1, ±10%). Its MuJoCo table is not used: its metric and budget could
  /// not be verified (it looks like a best-episode statistic at 10M).
  public static let acktrPaperMuJoCoFigure3 = table(
    [("HalfCheetah", [2400, 1100]), ("Hopper", [3500, 2400]), ("Walker2d", [500, 700])],
    columns: [AlgorithmID.acktr, .a2c]
  ) { task, algorithm, mean in
    PublishedResult(
      environment: "gym:\(task)-v5", publishedEnvironment: "\(task)-v1", algorithm: algorithm, meanReturn: mean,
      trainingTimesteps: 1_000_000, trainingSeeds: 3, measure: .lastHundredTrainingEpisodes,
      derivation: "read by eye from the paper's Figure 3 (acktr_results.ipynb cell 9), ±10%",
      label: "ACKTR paper Fig. 3",
      source: "openai/baselines-results acktr_results.ipynb cell 9 (published-numbers.md §3.1)",
      caveat: "gym -v1 on mujoco-py and MuJoCo 1.31/1.50, OpenAI baselines' ACKTR (nsteps 2500); Walker2d "
        + "read as 'noisy'")
  }

  // MARK: - OpenAI baselines

  /// The end (≈10M timesteps) of the mean learning curves of OpenAI baselines'
  /// `benchmarks_atari10M.htm` (6 runs), converted from the page's SVG paths (published-numbers.md
  /// §3.5, derived, ±1–2% of the axis range). The page's own table is not used: it does not define
  /// its metric (most likely the mean over the whole run).
  public static let openAIBaselinesAtari10M = atariTable(
    [
      ("BeamRider", [2477, 5188, 6107]), ("Breakout", [275, 442, 450]), ("Enduro", [0, 0, 0]), ("Pong", [18.5, 19.5, 19.9]),
      ("Qbert", [4471, 16683, 14721]), ("Seaquest", [1741, 1735, 1718]), ("SpaceInvaders", [688, 1297, 856]),
    ], columns: [.a2c, .acer, .acktr], budget: 10_000_000, seeds: 6, label: "OpenAI baselines Atari10M",
    source: "openai/baselines benchmarks_atari10M.htm @ea25b9e, results at 7bfbcf1 (published-numbers.md §3.5)",
    derivation: "end of the page's smoothed mean curve, read from its SVG, ±1–2% of the axis range",
    caveat: "OpenAI baselines' implementations and defaults; number of envs not stated",
    publishedSuffix: "NoFrameskip-v4")

  // MARK: - MinAtar

  /// The MinAtar paper's baselines at 5M frames (Young & Tian 2019, arXiv 1903.03176): DQN and
  /// online actor-critic with eligibility traces (AC(λ = 0.8)), 100-episode moving average, mean of
  /// 30 runs, read from `img/learning_curves.gif` (published-numbers.md §4, derived, ±2% of the
  /// axis range). Other algorithms than ours: shown beside our MinAtar results, never tested.
  public static let minAtarPaper = table(
    [
      ("Asterix", [17.0, 18.6]), ("Breakout", [10.1, 17.6]), ("Freeway", [50.2, 47.4]), ("Seaquest", [20.2, 15.5]),
      ("SpaceInvaders", [43.8, 185]),
    ], columns: ["DQN", "AC(λ=0.8)"]
  ) { game, algorithm, mean in
    PublishedResult(
      environment: "minatar:\(game)", publishedEnvironment: "MinAtar/\(game)-v0", algorithm: nil,
      publishedAlgorithm: algorithm, meanReturn: mean, trainingTimesteps: 5_000_000, trainingSeeds: 30,
      measure: .lastHundredTrainingEpisodes,
      derivation: "read from the README's img/learning_curves.gif at 5M frames, ±2% of the axis range",
      label: "MinAtar paper",
      source: "kenjyoung/MinAtar @4241f24 README, img/learning_curves.gif (published-numbers.md §4)",
      caveat: game == "Seaquest"
        ? "the Seaquest curves are for MinAtar ≤ 1.0.10 (oxygen-bar bug); we run minatar 1.0.15" : "")
  }
}

/// A paper the report cites, in one place so every mention of it agrees (authors, year, venue).
struct Citation: Sendable {
  /// "Wang et al."
  var authors: String
  /// The year of the peer-reviewed publication (the arXiv preprint may be older).
  var year: Int
  var title: String
  /// Where it was published.
  var venue: String
  var url: String

  /// "Wang et al. 2017, \"Sample Efficient …\" (ICLR 2017), https://arxiv.org/abs/1611.01224"
  var full: String { "\(authors) \(year), \"\(title)\" (\(venue)), \(url)" }
  /// "Wang et al. 2017, https://arxiv.org/abs/1611.01224"
  var short: String { "\(authors) \(year), \(url)" }

  static let a2c = Citation(
    authors: "Mnih et al.", year: 2016, title: "Asynchronous Methods for Deep Reinforcement Learning",
    venue: "ICML 2016", url: "https://arxiv.org/abs/1602.01783")
  static let acktr = Citation(
    authors: "Wu et al.", year: 2017,
    title: "Scalable trust-region method for deep reinforcement learning using Kronecker-factored approximation",
    venue: "NeurIPS 2017", url: "https://arxiv.org/abs/1708.05144")
  static let acer = Citation(
    authors: "Wang et al.", year: 2017, title: "Sample Efficient Actor-Critic with Experience Replay",
    venue: "ICLR 2017", url: "https://arxiv.org/abs/1611.01224")
  static let rliable = Citation(
    authors: "Agarwal et al.", year: 2021, title: "Deep Reinforcement Learning at the Edge of the Statistical Precipice",
    venue: "NeurIPS 2021", url: "https://arxiv.org/abs/2108.13264")
  static let colas = Citation(
    authors: "Colas et al.", year: 2019,
    title: "A Hitchhiker's Guide to Statistical Comparisons of Reinforcement Learning Algorithms",
    venue: "ICLR 2019 workshop RML", url: "https://arxiv.org/abs/1904.06979")
}

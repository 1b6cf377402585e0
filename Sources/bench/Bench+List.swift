import ArgumentParser
import BenchmarkSuite
import Environments

extension Bench {
  /// `bench list suites|algorithms|environments`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the built-in suites, algorithms or environments.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
      case suites, algorithms, environments
    }

    @Argument(help: "What to list: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind

    func run() throws {
      switch kind {
      case .suites:
        for suite in Suite.builtIn {
          print("\(suite.name): \(suite.summary) (\(suite.entries.count) entries)")
          for e in suite.entries {
            let settings = e.hyperparameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            print(
              "  \(e.environment) \(e.algorithm.rawValue) n_envs=\(e.environmentCount) timesteps=\(e.timesteps)"
                + (e.normalize ? " normalize" : "") + (settings.isEmpty ? "" : " " + settings.joined(separator: " ")))
          }
        }
      case .algorithms:
        for a in AlgorithmID.allCases { print(a.rawValue) }
      case .environments:
        for id in EnvironmentRegistry.ids { print(id) }
      }
    }
  }
}

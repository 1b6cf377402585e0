import ArgumentParser
import BenchmarkSuite
import Environments
import GymnasiumBridge

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
        let width = EnvironmentCatalog.listing.map(\.name.count).max() ?? 0
        for (name, provider, note) in EnvironmentCatalog.listing {
          let python = provider.needsPython ? "needs Python (scripts/setup.sh)" : "no Python"
          print(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "\(provider.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))\(python.padding(toLength: 33, withPad: " ", startingAt: 0))\(note)")
        }
      }
    }
  }
}

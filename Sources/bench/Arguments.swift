import ArgumentParser
import BenchmarkSuite
import Environments
import GymnasiumBridge

// The closed lists of the command line as `ExpressibleByArgument` types: a name outside the list
// is a usage error (exit 64) whose message lists the allowed values, the same for every command
// and every list.

extension AlgorithmID: ExpressibleByArgument {}

extension PerfWorkload: ExpressibleByArgument {}

/// A built-in suite's name (`bench list suites`).
struct SuiteName: ExpressibleByArgument, CustomStringConvertible {
  let name: String

  init?(argument: String) {
    guard Suite.builtIn.contains(where: { $0.name == argument }) else { return nil }
    name = argument
  }

  static var allValueStrings: [String] { Suite.builtIn.map(\.name) }
  var defaultValueDescription: String { name }
  var description: String { name }
}

/// An environment name (`bench list environments`): a native id, or `gym:<id>`, `atari:<Game>`,
/// `minatar:<Game>` for the Gymnasium bridge.
struct EnvironmentName: ExpressibleByArgument, CustomStringConvertible {
  let id: String

  init?(argument: String) {
    guard (try? EnvironmentCatalog.parse(argument)) != nil else { return nil }
    id = argument
  }

  static var allValueStrings: [String] { EnvironmentCatalog.listing.map(\.name) }
  var defaultValueDescription: String { id }
  var description: String { id }
}

/// Throws a usage error (exit 64) naming the option and its range unless `value` ∈ `range`.
func checkRange(_ value: Int, _ option: String, _ range: ClosedRange<Int>) throws {
  guard range.contains(value) else {
    throw ValidationError("Please specify \(option) in \(RunLimits.describe(range)) (got \(value)).")
  }
}

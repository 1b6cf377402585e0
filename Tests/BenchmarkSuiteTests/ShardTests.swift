import BenchmarkSuite
import Testing

@Suite("Shards")
struct ShardTests {
  @Test("i/N shards partition the grid: every run exactly once", arguments: [1, 2, 3, 4, 7, 40])
  func partition(count: Int) throws {
    let all = try RunPlan(
      suiteName: "classic", algorithms: [], environments: [], seeds: 5, startSeed: 0, timesteps: nil,
      shard: nil)
    var seen: [String: Int] = [:]
    for index in 1...count {
      let shard = try #require(Shard("\(index)/\(count)"))
      let plan = try RunPlan(
        suiteName: "classic", algorithms: [], environments: [], seeds: 5, startSeed: 0, timesteps: nil,
        shard: shard)
      for run in plan.runs { seen[run.identifier, default: 0] += 1 }
    }
    #expect(seen.count == all.runs.count)
    #expect(seen.values.allSatisfy { $0 == 1 })
    #expect(Set(seen.keys) == Set(all.runs.map(\.identifier)))
  }

  @Test("Malformed shard texts are rejected")
  func malformed() {
    for text in ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "-1/2"] { #expect(Shard(text) == nil) }
  }
}

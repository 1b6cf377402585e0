import LinearAlgebra
@testable import NeuralNetwork
import Testing

/// K-FAC's asynchronous eigendecomposition runs on its own thread; its operations belong to the
/// training that started it, so the job counts on the starting thread's ``FlopCounter``.
@Suite struct BackgroundJobCountingTests {
  @Test func aBackgroundJobCountsOnTheCounterOfTheThreadThatStartedIt() throws {
    let counter = FlopCounter()
    try counter.counting {
      let job = BackgroundJob {
        var v = [Float](repeating: 1, count: 7)
        scale(&v, by: 2)
      }
      try job.wait()
    }
    #expect(counter.operations == 7)
    // Started under another counter, waited for under the first: it counts on the one it started under.
    let other = FlopCounter()
    let job = other.counting {
      BackgroundJob {
        var v = [Float](repeating: 1, count: 5)
        scale(&v, by: 2)
      }
    }
    try counter.counting { try job.wait() }
    #expect(counter.operations == 7)
    #expect(other.operations == 5)
  }
}

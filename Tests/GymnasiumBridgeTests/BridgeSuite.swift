import Testing

/// Every bridge test runs under this one serialized suite: they start Python processes, count
/// this process's worker children and measure timeouts, so they must not overlap each other.
@Suite(.serialized) struct BridgeSuite {}

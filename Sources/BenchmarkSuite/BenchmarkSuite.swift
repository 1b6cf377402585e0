// Module BenchmarkSuite.

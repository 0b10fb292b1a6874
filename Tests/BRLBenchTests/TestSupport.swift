import BRLBench
import Foundation

/// A fresh database path in a new temporary folder (the folder is created by the store).
func temporaryDatabasePath() -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("brl-bench-tests-\(UUID().uuidString)")
    .appendingPathComponent("nested/bench.sqlite").path
}

/// A measurement with the given coordinates and times (no real timing involved).
func measurement(
  loss: String = "rs", method: String = "exact", delta: Double = 0.5, p: Int = 100,
  n: Int = 1_000_000, median: Double, min: Double? = nil, max: Double? = nil,
  stddev: Double = 0, repeats: Int = 5
) -> BenchMeasurement {
  BenchMeasurement(
    loss: loss, method: method, delta: delta, positives: p, negatives: n,
    relevantNegatives: method == "floor" ? nil : n / 10, buckets: method == "bucketed" ? 42 : nil,
    repeats: repeats, medianSeconds: median, minSeconds: min ?? median, maxSeconds: max ?? median,
    stddevSeconds: stddev, peakRSSBytes: 123_456_789)
}

/// A run record with fixed values (whole seconds, which SQLite round-trips exactly).
func sampleRun(status: RunStatus = .running) -> RunRecord {
  RunRecord(
    startedAt: Date(timeIntervalSince1970: 1_750_000_000), finishedAt: nil, status: status,
    brlVersion: "0.1.0", gitCommit: "abc123", buildConfiguration: "release", hostName: "test-host",
    cpuModel: "Test CPU", coreCount: 2, os: "TestOS 1", swiftVersion: "6.3.1",
    commandLine: "brl bench --neg 1e6", seed: 7, overlap: 0.5, pid: 4242)
}

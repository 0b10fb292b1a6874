import BRLBench
import Foundation
import Testing

/// The `--json` and CSV formats of bench documents are documented and used as a CI baseline:
/// their keys must not drift.
@Suite struct BenchDocumentFormatTests {
  @Test func keysAreStable() throws {
    let document = BenchDocument(
      run: sampleRun(), measurements: [measurement(method: "floor", median: 0.001)])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(document.jsonString().utf8)) as? [String: Any])
    #expect(Set(object.keys) == ["run", "measurements"])
    let run = try #require(object["run"] as? [String: Any])
    #expect(
      Set(run.keys) == [
        "id", "started_at", "finished_at", "status", "brl_version", "git_commit",
        "build_configuration", "host_name", "cpu_model", "core_count", "os", "swift_version",
        "command_line", "seed", "overlap", "pid",
      ])
    let measurements = try #require(object["measurements"] as? [[String: Any]])
    // Every key is present even when null (floor has no relevant negatives or buckets).
    #expect(
      Set(measurements[0].keys) == [
        "loss", "method", "delta", "positives", "negatives", "relevant_negatives", "buckets",
        "repeats", "median_s", "min_s", "max_s", "stddev_s", "peak_rss_bytes", "group", "images",
      ])
    #expect(measurements[0]["relevant_negatives"] is NSNull)
    #expect(run["started_at"] as? String == "2025-06-15T15:06:40Z")
  }

  @Test func csvHasTheJSONColumns() {
    let csv = CSVExporter.csv([measurement(method: "bucketed", median: 0.5)], runID: 3)
    let lines = csv.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(
      lines[0]
        == "run_id,loss,method,delta,positives,negatives,relevant_negatives,buckets,repeats,median_s,min_s,max_s,stddev_s,peak_rss_bytes,group,images,throughput_per_s"
    )
    #expect(
      lines[1]
        == "3,rs,bucketed,0.5,100,1000000,100000,42,5,0.5,0.5,0.5,0.0,123456789,batch,,2000200.0")
  }
}

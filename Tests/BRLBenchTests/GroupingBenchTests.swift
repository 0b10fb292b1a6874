import Foundation
import GRDB
import RankingLosses
import Testing

@testable import BRLBench

/// `brl bench --images K`: synthetic images, both groupings per point, the grouping in the
/// measurement, the store (migration v3) and the tables.
@Suite struct GroupingBenchTests {
  @Test func imagesAreContiguousRunsShiftedByTheirOwnOffset() throws {
    let plain = SyntheticData(positives: 50, negatives: 1000, seed: 5)
    let spread = SyntheticData(positives: 50, negatives: 1000, seed: 5, images: 4)
    #expect(plain.imageIDs == nil)
    let ids = try #require(spread.imageIDs)
    // Image g holds examples ⌊g·1050/4⌋ ..< ⌊(g+1)·1050/4⌋.
    let starts = (1..<1050).filter { ids[$0] != ids[$0 - 1] }
    #expect(starts == [262, 525, 787] && ids.first == 0 && ids.last == 3)
    #expect(spread.targets == plain.targets)  // same examples, same order
    // Every example of an image is shifted by the same amount (up to float32 rounding).
    for g in 0..<4 {
      let shifts = ids.indices.filter { ids[$0] == Int64(g) }.map {
        Double(spread.logits[$0]) - Double(plain.logits[$0])
      }
      #expect(shifts.max()! - shifts.min()! < 1e-5)
    }
    #expect(
      SyntheticData(positives: 50, negatives: 1000, seed: 5, images: 4).logits == spread.logits)
  }

  @Test func aPlanWithImagesMeasuresBothGroupingsExceptTheFloor() throws {
    let plan = BenchPlan(
      losses: [.rs], methods: [.floor, BenchMethod(.exact)], positives: [10], negatives: [100],
      images: 3)
    #expect(
      plan.points.map { "\($0.method)/\($0.group)/\($0.images ?? 0)" } == [
        "floor/batch/3", "exact/batch/3", "exact/image/3",
      ])
    #expect(throws: BenchPlan.Error.self) {
      try BenchPlan(images: 0).validate()
    }
  }

  @Test func theRunnerRecordsTheGroupingAndItsLossDiffers() throws {
    let plan = BenchPlan(
      losses: [.rs], methods: [BenchMethod(.exact)], positives: [20], negatives: [2000],
      repeats: 1, warmup: 0, images: 4)
    let outcome = try BenchRunner(plan: plan).run()
    #expect(outcome.measurements.map(\.group) == ["batch", "image"])
    #expect(outcome.measurements.map(\.images) == [4, 4])
    // The per-image evaluation really ranks per image: fewer relevant negatives.
    let relevant = outcome.measurements.compactMap(\.relevantNegatives)
    #expect(relevant.count == 2 && relevant[1] != relevant[0])
    let table = BenchReport(measurements: outcome.measurements).render()
    #expect(table.contains("exact per image"), "\(table)")
    #expect(table.contains("per image (4 images)"), "\(table)")
  }

  @Test func measurementsKeepTheirGroupingInTheStoreAndJSON() throws {
    let store = try BenchStore(path: temporaryDatabasePath())
    let id = try #require(try store.beginRun(sampleRun()).id)
    var m = measurement(method: "exact", median: 0.5)
    m.group = "image"
    m.images = 8
    try store.record(m, runID: id)
    let back = try store.measurements(runID: id)
    #expect(back.first?.group == "image" && back.first?.images == 8)
    #expect(back.first?.point == m.point)
    let json = try JSONEncoder().encode(m)
    let decoded = try JSONDecoder().decode(BenchMeasurement.self, from: json)
    #expect(decoded.point.group == "image" && decoded.point.images == 8)
  }

  /// A JSON baseline written before groupings existed decodes as batch, unspread.
  @Test func oldJSONIsBatch() throws {
    let old = """
      {"loss": "rs", "method": "exact", "delta": 0.5, "positives": 100, "negatives": 1000,
       "relevant_negatives": 10, "buckets": null, "repeats": 5, "median_s": 0.01, "min_s": 0.01,
       "max_s": 0.01, "stddev_s": 0, "peak_rss_bytes": null}
      """
    let m = try JSONDecoder().decode(BenchMeasurement.self, from: Data(old.utf8))
    #expect(m.point.group == "batch" && m.point.images == nil)
    #expect(m.point == measurementPoint(m))
  }

  private func measurementPoint(_ m: BenchMeasurement) -> BenchPoint {
    BenchPoint(
      loss: m.loss, method: BenchMethod(rawValue: m.method), delta: m.delta,
      positives: m.positives, negatives: m.negatives)
  }

  /// A database at v2 (before groupings) opens, read-only as it is and read-write migrated to v3,
  /// and keeps its measurements, which read as batch rankings of unspread data.
  @Test func aV2DatabaseOpensAndKeepsItsRows() throws {
    let path = temporaryDatabasePath()
    try FileManager.default.createDirectory(
      atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
      withIntermediateDirectories: true)
    let queue = try DatabaseQueue(path: path)
    try BenchStore.migrator.migrate(
      queue, upTo: "v2: parity input fingerprint, tolerances, nullable differences")
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO runs (started_at, status, brl_version, build_configuration, host_name,
                            core_count, os, swift_version, command_line, seed, overlap, pid)
          VALUES ('2025-01-01 00:00:00.000', 'complete', '0.1.0', 'release', 'old-host', 2,
                  'Linux', '6.1', 'brl bench', 1, 0, 1);
          INSERT INTO measurements (run_id, loss, method, delta, positives, negatives,
                                    relevant_negatives, buckets, repeats, median_s, min_s, max_s,
                                    stddev_s, peak_rss_bytes)
          VALUES (1, 'rs', 'exact', 0.5, 100, 1000, 50, NULL, 5, 0.01, 0.009, 0.012, 0.001, NULL);
          """)
    }
    try queue.close()

    let readOnly = try BenchStore(path: path, mode: .readOnly)
    let seen = try readOnly.measurements(runID: 1)
    #expect(seen.count == 1 && seen.first?.point.group == "batch" && seen.first?.images == nil)
    #expect(try readOnly.appliedMigrations().count == 2)

    let store = try BenchStore(path: path)
    #expect(try store.appliedMigrations().last == "v3: measurements group and images")
    let rows = try store.measurements(runID: 1)
    #expect(rows.count == 1)
    #expect(rows.first?.group == "batch" && rows.first?.images == nil)
    #expect(rows.first?.medianSeconds == 0.01 && rows.first?.relevantNegatives == 50)
    #expect(try store.run(id: 1).hostName == "old-host")
  }
}

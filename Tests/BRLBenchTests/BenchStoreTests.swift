import Foundation
import GRDB
import Testing

@testable import BRLBench

@Suite struct BenchStoreTests {
  @Test func migratesAnEmptyDatabase() throws {
    let path = temporaryDatabasePath()
    let store = try BenchStore(path: path)
    #expect(
      try store.appliedMigrations() == [
        "v1: runs, measurements, parity",
        "v2: parity input fingerprint, tolerances, nullable differences",
        "v3: measurements group and images",
      ])
    let queue = try DatabaseQueue(path: path)
    let (tables, journal) = try queue.read { db in
      (
        try ["runs", "measurements", "parity"].map { try db.tableExists($0) },
        try String.fetchOne(db, sql: "PRAGMA journal_mode")
      )
    }
    #expect(tables == [true, true, true])
    #expect(journal == "wal")
    #expect(try store.runs().isEmpty)
    // Opening again is a no-op.
    #expect(try BenchStore(path: path).appliedMigrations().count == 3)
  }

  @Test func runRoundTrips() throws {
    let store = try BenchStore(path: temporaryDatabasePath())
    let run = try store.beginRun(sampleRun())
    let id = try #require(run.id)
    let measurements = [
      measurement(method: "floor", median: 0.001),
      measurement(method: "naive", median: 2.5, min: 2.4, max: 2.7, stddev: 0.1),
      measurement(method: "bucketed", median: 0.02),
    ]
    for m in measurements { try store.record(m, runID: id) }
    let finished = Date(timeIntervalSince1970: 1_750_000_100)
    try store.finishRun(id, status: .complete, at: finished)

    var expected = run
    expected.status = .complete
    expected.finishedAt = finished
    #expect(try store.run(id: id) == expected)
    #expect(try store.measurements(runID: id) == measurements)
    let summaries = try store.runs()
    #expect(summaries.count == 1)
    #expect(summaries.first?.measurementCount == 3)
    #expect(summaries.first?.losses == ["rs"])
  }

  @Test func runsAreListedNewestFirst() throws {
    let store = try BenchStore(path: temporaryDatabasePath())
    let first = try store.beginRun(sampleRun(status: .complete))
    let second = try store.beginRun(sampleRun(status: .interrupted))
    #expect(try store.runs().map(\.run.id) == [second.id, first.id])
    #expect(try store.latestRun().id == second.id)
    #expect(try store.latestRun(excluding: second.id).id == first.id)
  }

  /// A new database is created at the first use, so a command that fails before it records
  /// anything leaves no file behind.
  @Test func aNewDatabaseIsCreatedAtTheFirstUse() throws {
    let path = temporaryDatabasePath()
    let store = try BenchStore(path: path)
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(!store.fileExists)
    _ = try store.beginRun(sampleRun())
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(store.fileExists)
    #expect(try BenchStore(path: path, mode: .existingOnly).runs().count == 1)
  }

  /// The race of two `brl bench` on a new file, made deterministic: another connection holds
  /// the write lock of the new (rollback-journal) file, and switching it to WAL fails at once
  /// with SQLITE_BUSY whatever the busy timeout. The store retries until the lock is released.
  @Test func aNewFileLockedByAnotherConnectionIsWaitedFor() throws {
    let path = temporaryDatabasePath()
    try FileManager.default.createDirectory(
      atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
      withIntermediateDirectories: true)
    let other = try DatabaseQueue(path: path)
    let locked = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      try? other.inDatabase { db in
        try db.execute(sql: "BEGIN IMMEDIATE; CREATE TABLE other (x)")
        locked.signal()
        usleep(400_000)
        try db.execute(sql: "COMMIT")
      }
      done.signal()
    }
    locked.wait()
    let store = try BenchStore(path: path)
    #expect(try store.appliedMigrations().count == BenchStore.migrator.migrations.count)
    done.wait()
  }

  @Test func theBusyMessageSaysHowLongBrlWaited() {
    #expect(
      BenchStoreError.busy(path: "/x/bench.sqlite", seconds: 30.04).description
        == "the database /x/bench.sqlite stayed locked by another process: waited 30.0 s; try again"
    )
  }

  @Test func missingRunAndMissingDatabaseAreClearErrors() throws {
    let path = temporaryDatabasePath()
    #expect(throws: BenchStoreError.missingDatabase(path: path)) {
      try BenchStore(path: path, mode: .existingOnly)
    }
    let store = try BenchStore(path: path)
    #expect(throws: BenchStoreError.runNotFound(id: 99, path: path)) { try store.run(id: 99) }
    #expect(throws: BenchStoreError.noRuns(path: path)) { try store.latestRun() }
  }

  @Test func refusesADatabaseFromANewerSchema() throws {
    let path = temporaryDatabasePath()
    _ = try BenchStore(path: path).runs()  // created at the first use
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2: from the future')")
    }
    #expect(
      throws: BenchStoreError.newerSchema(path: path, unknownMigrations: ["v2: from the future"])
    ) { try BenchStore(path: path) }
  }

  @Test func refusesAFileThatIsNotADatabase() throws {
    let path = temporaryDatabasePath()
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
    #expect {
      try BenchStore(path: path)
    } throws: { error in
      guard case BenchStoreError.notADatabase(let p, _)? = error as? BenchStoreError else {
        return false
      }
      return p == path
    }
  }

  @Test func unwritableLocationIsAClearError() {
    #expect {
      try BenchStore(path: "/proc/brl-cannot-exist/bench.sqlite")
    } throws: { error in
      guard case BenchStoreError.cannotOpen? = error as? BenchStoreError else { return false }
      return true
    }
  }

  @Test func defaultPathFollowsTheEnvironment() {
    #expect(BenchStore.defaultPath(environment: ["BRL_DB": "/x/y.sqlite"]) == "/x/y.sqlite")
    #expect(
      BenchStore.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"])
        == "/data/brl/bench.sqlite")
    #expect(
      BenchStore.defaultPath(environment: ["HOME": "/home/u"])
        == "/home/u/.local/share/brl/bench.sqlite")
  }

  @Test func documentRoundTripsThroughJSON() throws {
    let store = try BenchStore(path: temporaryDatabasePath())
    let run = try store.beginRun(sampleRun())
    try store.record(measurement(method: "floor", median: 0.001), runID: run.id!)
    try store.record(measurement(method: "bucketed", median: 0.002), runID: run.id!)
    let document = try store.document(runID: run.id!)
    let json = try document.jsonString()
    #expect(try BenchDocument(json: Data(json.utf8)) == document)
  }
}

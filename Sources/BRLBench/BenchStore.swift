import Foundation
import GRDB

/// The SQLite database of benchmark runs (GRDB over the system libsqlite3).
///
/// One file holds every run: `runs` (one row per `brl bench`, with the machine and build),
/// `measurements` (one row per point) and `parity` (reserved for `brl verify --record`).
///
/// The store is built for a command line that may be interrupted at any moment:
///
/// - a run is inserted as `running` before its first point (``beginRun(_:)``), and each
///   measurement is committed in its own short transaction as soon as it is taken
///   (``record(_:runID:)``), so Ctrl-C or a crash loses at most the point in progress;
/// - the database is in WAL mode, so `brl report` can read while a bench writes, and waits up to
///   10 s for a lock instead of failing at once;
/// - the schema is versioned with GRDB's `DatabaseMigrator` (``migrator``); a database migrated
///   by a newer brl is refused, never modified.
///
/// Failures are reported as ``BenchStoreError`` with the path in the message.
///
///     let store = try BenchStore(path: BenchStore.defaultPath())
///     var run = try store.beginRun(RunRecord(...))
///     try store.record(measurement, runID: run.id!)
///     try store.finishRun(run.id!, status: .complete)
public final class BenchStore: Sendable {
  /// Whether opening may create the file.
  public enum OpenMode: Sendable {
    /// Create the folders and the database if missing (`brl bench`).
    case createIfMissing
    /// Fail with ``BenchStoreError/missingDatabase(path:)`` if missing (`brl report`).
    case existingOnly
  }

  /// The database file.
  public let path: String
  private let writer: DatabaseQueue

  /// Opens (or creates) the database at `path` and brings its schema up to date.
  ///
  /// - Throws: ``BenchStoreError``.
  public init(path: String, mode: OpenMode = .createIfMissing) throws {
    self.path = path
    let fileManager = FileManager.default
    if !fileManager.fileExists(atPath: path) {
      guard mode == .createIfMissing else { throw BenchStoreError.missingDatabase(path: path) }
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
      do {
        try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw BenchStoreError.cannotOpen(path: path, reason: "cannot create \(folder)")
      }
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA journal_mode = WAL")
    }
    do {
      writer = try DatabaseQueue(path: path, configuration: configuration)
      let migrator = Self.migrator
      let unknown = try writer.read { db in
        try migrator.appliedIdentifiers(db).subtracting(
          migrator.migrations)
      }
      if !unknown.isEmpty {
        throw BenchStoreError.newerSchema(path: path, unknownMigrations: unknown.sorted())
      }
      try migrator.migrate(writer)
    } catch let error as BenchStoreError {
      throw error
    } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    } catch {
      throw BenchStoreError.cannotOpen(path: path, reason: "\(error)")
    }
  }

  /// `$BRL_DB`, else `$XDG_DATA_HOME/brl/bench.sqlite`, else `~/.local/share/brl/bench.sqlite`.
  public static func defaultPath(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    if let path = environment["BRL_DB"], !path.isEmpty { return path }
    if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
      return URL(fileURLWithPath: data).appendingPathComponent("brl/bench.sqlite").path
    }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return URL(fileURLWithPath: home).appendingPathComponent(".local/share/brl/bench.sqlite")
      .path
  }

  // MARK: Writing

  /// Inserts `run` (normally `running`) and returns it with its id.
  public func beginRun(_ run: RunRecord) throws -> RunRecord {
    try write { db in
      var run = run
      try run.insert(db)
      return run
    }
  }

  /// Commits one measurement of run `runID` in its own transaction.
  public func record(_ measurement: BenchMeasurement, runID: Int64) throws {
    try write { db in
      var record = MeasurementRecord(measurement, runID: runID)
      try record.insert(db)
    }
  }

  /// Sets the final status and end time of run `runID`.
  public func finishRun(_ runID: Int64, status: RunStatus, at date: Date = Date()) throws {
    try write { db in
      try RunRecord.filter(key: runID).updateAll(
        db, RunRecord.Columns.status.set(to: status),
        RunRecord.Columns.finishedAt.set(to: date))
    }
  }

  // MARK: Reading

  /// Every run, newest first, with its number of measurements.
  public func runs() throws -> [RunSummary] {
    try read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT runs.*, COUNT(measurements.id) AS measurement_count,
                 GROUP_CONCAT(DISTINCT measurements.loss) AS losses
          FROM runs LEFT JOIN measurements ON measurements.run_id = runs.id
          GROUP BY runs.id ORDER BY runs.id DESC
          """)
      return try rows.map { row in
        let losses: String? = row["losses"]
        return RunSummary(
          run: try RunRecord(row: row), measurementCount: row["measurement_count"],
          losses: losses.map { $0.split(separator: ",").map(String.init) } ?? [])
      }
    }
  }

  /// Run `id`.
  ///
  /// - Throws: ``BenchStoreError/runNotFound(id:path:)``.
  public func run(id: Int64) throws -> RunRecord {
    guard let run = try read({ try RunRecord.fetchOne($0, key: id) }) else {
      throw BenchStoreError.runNotFound(id: id, path: path)
    }
    return run
  }

  /// The newest run other than `excluded`.
  ///
  /// - Throws: ``BenchStoreError/noRuns(path:)`` if there is none.
  public func latestRun(excluding excluded: Int64? = nil) throws -> RunRecord {
    let run = try read { db in
      try RunRecord.filter(RunRecord.Columns.id != excluded)
        .order(RunRecord.Columns.id.desc).fetchOne(db)
    }
    guard let run else { throw BenchStoreError.noRuns(path: path) }
    return run
  }

  /// The measurements of run `runID`, in the order they were taken.
  public func measurements(runID: Int64) throws -> [BenchMeasurement] {
    try read { db in
      try MeasurementRecord.filter(MeasurementRecord.Columns.runID == runID)
        .order(MeasurementRecord.Columns.id).fetchAll(db).map(\.measurement)
    }
  }

  /// Run `runID` and its measurements, as exported by `--json`.
  public func document(runID: Int64) throws -> BenchDocument {
    BenchDocument(run: try run(id: runID), measurements: try measurements(runID: runID))
  }

  /// The identifiers of the applied migrations (for tests and diagnostics).
  public func appliedMigrations() throws -> [String] {
    try read { try Self.migrator.appliedMigrations($0) }
  }

  // MARK: Errors

  private func read<T>(_ body: (Database) throws -> T) throws -> T {
    do { return try writer.read(body) } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
  }

  @discardableResult
  private func write<T>(_ body: (Database) throws -> T) throws -> T {
    do { return try writer.write(body) } catch let error as DatabaseError {
      throw Self.storeError(error, path: path)
    }
  }

  private static func storeError(_ error: DatabaseError, path: String) -> BenchStoreError {
    let reason = error.message ?? "\(error.resultCode)"
    switch error.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      return .notADatabase(path: path, reason: reason)
    default:
      return .cannotOpen(path: path, reason: reason)
    }
  }
}

import Foundation
import GRDB
import RankingLosses

/// The SQLite database of benchmark runs and parity checks (GRDB over the system libsqlite3).
///
/// One file holds every run: `runs` (one row per `brl bench`, with the machine and build),
/// `measurements` (one row per point) and `parity` (one row per comparison of
/// `brl verify --record`).
///
/// The store is built for a command line that may be interrupted at any moment, run by several
/// processes at once, and pointed at any file:
///
/// - a run is inserted as `running` before its first point (``beginRun(_:)``), and each
///   measurement is committed in its own short transaction as soon as it is taken
///   (``record(_:runID:)``), so Ctrl-C, a crash or `kill -9` loses at most the point in progress;
/// - the database is in WAL mode, so `brl report` can read while a bench writes; every write is
///   one short `BEGIN IMMEDIATE` transaction, and a writer waits up to ``busyTimeout`` seconds
///   for the lock instead of failing at once, so two `brl bench` can share one file (the open,
///   the switch to WAL and the migration are retried within the same timeout);
/// - a `running` run whose process is gone (same host, `kill(pid, 0)` fails, or the process is
///   a zombie) is read as `interrupted`, and marked so in the file when the store is next
///   opened for writing (``RunRecord/looksStale(currentHost:)``);
/// - the parity rows of one `brl verify --record` are written in one transaction
///   (``recordParity(_:)``): all of them or none;
/// - the schema is versioned with GRDB's `DatabaseMigrator` (``migrator``); a database migrated
///   by a newer brl is refused, never modified. Two processes creating the same file at once
///   are fine: the loser of the migration race sees the winner's schema and goes on;
/// - a new file is created at the first read or write, not when the store is made, so a
///   command that fails before it records anything leaves no file behind.
///
/// Failures are reported as ``BenchStoreError`` with the path in the message.
///
///     let store = try BenchStore(path: BenchStore.defaultPath())
///     var run = try store.beginRun(RunRecord(...))
///     try store.record(measurement, runID: run.id!)
///     try store.finishRun(run.id!, status: .complete)
public final class BenchStore: @unchecked Sendable {
  /// Whether opening may create the file, and whether the store may write.
  public enum OpenMode: Sendable {
    /// Create the folders and the database if missing (`brl bench`, and `brl verify --record`
    /// with the default path).
    case createIfMissing
    /// Create the database if missing, but not its folder: a missing folder is
    /// ``BenchStoreError/missingFolder(path:folder:)`` (`brl verify --record --db PATH`).
    case createFileOnly
    /// Fail with ``BenchStoreError/missingDatabase(path:)`` if missing; migrate an older schema.
    case existingOnly
    /// Fail if missing; never create, migrate or change anything (`brl report`). Writing
    /// methods fail with ``BenchStoreError/readOnly(path:reason:)``.
    case readOnly
  }

  /// How long a writer waits for another process's transaction before giving up, in seconds.
  ///
  /// It covers everything that can meet another process's lock: opening the file, switching it
  /// to WAL, the migration, and every read and write afterwards.
  public static let busyTimeout: TimeInterval = 30

  /// The database file.
  public let path: String
  /// Whether the store was opened with ``OpenMode/readOnly``.
  public let isReadOnly: Bool
  /// This machine's host name, to tell stale runs (see ``RunRecord/looksStale(currentHost:)``).
  public let currentHost: String
  private let mode: OpenMode
  private let lock = NSLock()
  /// The connection; nil until first use when the file did not exist (guarded by `lock`).
  private var connection: DatabaseQueue?

  /// Opens the database at `path` and, unless read-only, brings its schema up to date and
  /// marks the stale runs of this host `interrupted`.
  ///
  /// A database that does not exist yet is only checked for (its folder must exist or be
  /// creatable, and be writable) and created at the first read or write, so a command that
  /// fails before it records anything leaves no file behind. If creating it fails for a full
  /// disk or a read-only location, the files this store created are removed again.
  ///
  /// - Throws: ``BenchStoreError``.
  public init(path: String, mode: OpenMode = .createIfMissing) throws {
    self.path = path
    self.mode = mode
    isReadOnly = mode == .readOnly
    currentHost = MachineInfo.hostName()
    let fileManager = FileManager.default
    var isFolder: ObjCBool = false
    if fileManager.fileExists(atPath: path, isDirectory: &isFolder) {
      if isFolder.boolValue {
        throw BenchStoreError.cannotOpen(path: path, reason: "it is a folder, not a file")
      }
      connection = try Self.open(path: path, mode: mode, currentHost: currentHost)
      return
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    switch mode {
    case .existingOnly, .readOnly:
      throw BenchStoreError.missingDatabase(path: path)
    case .createFileOnly:
      var folderIsFolder: ObjCBool = false
      guard fileManager.fileExists(atPath: folder, isDirectory: &folderIsFolder),
        folderIsFolder.boolValue
      else { throw BenchStoreError.missingFolder(path: path, folder: folder) }
    case .createIfMissing:
      do {
        try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        throw BenchStoreError.cannotOpen(path: path, reason: "cannot create the folder \(folder)")
      }
    }
    if let why = Self.whyNotWritable(path) {
      throw BenchStoreError.readOnly(path: path, reason: why)
    }
  }

  /// Whether the database file exists (it is created at the first use of a new store).
  public var fileExists: Bool {
    lock.withLock { connection != nil } || FileManager.default.fileExists(atPath: path)
  }

  /// The connection, opening (and creating) the database at the first use.
  private func queue() throws -> DatabaseQueue {
    try lock.withLock {
      if let connection { return connection }
      // O_EXCL tells whether this process created the file, even when another one races to.
      let created = createExclusively(path)
      do {
        let opened = try Self.open(path: path, mode: mode, currentHost: currentHost)
        connection = opened
        return opened
      } catch {
        // Remove what this process created and could not set up for want of space or write
        // access. Any other failure (busy, a migration race lost too often) may mean another
        // process is using the file: leave it.
        var unwritable = false
        switch error {
        case BenchStoreError.diskFull, BenchStoreError.readOnly: unwritable = true
        default: break
        }
        if created && unwritable {
          for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
        }
        throw error
      }
    }
  }

  /// Opens the connection, switches it to WAL, checks (or migrates) the schema and marks stale
  /// runs, retrying all of it while another process holds the file, up to ``busyTimeout``.
  ///
  /// SQLite's busy timeout does not cover everything a new file goes through: switching the
  /// journal mode to WAL needs an exclusive lock and fails at once (`SQLITE_BUSY`, no waiting)
  /// while another connection is creating or migrating the same file. So the whole open is
  /// retried after a short, growing pause until the deadline, and only then reported as busy,
  /// with the time actually waited.
  private static func open(path: String, mode: OpenMode, currentHost: String) throws
    -> DatabaseQueue
  {
    try retryingWhileBusy(path: path) { remaining in
      var configuration = Configuration()
      configuration.busyMode = .timeout(remaining)
      configuration.readonly = mode == .readOnly
      if mode != .readOnly {
        configuration.prepareDatabase { db in
          try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
      }
      let queue = try Self.openQueue(path: path, configuration: configuration, mode: mode)
      if mode != .readOnly {
        try queue.write { db in try Self.markStaleRuns(db, currentHost: currentHost) }
      }
      return queue
    }
  }

  /// Runs `body` (given the seconds left) until it does not fail with `SQLITE_BUSY` or
  /// `SQLITE_LOCKED`, for at most ``busyTimeout`` seconds in all; other errors become
  /// ``BenchStoreError``s. A failed attempt changed nothing: every write is one transaction,
  /// rolled back on error.
  static func retryingWhileBusy<T>(
    path: String, timeout: TimeInterval = busyTimeout, _ body: (TimeInterval) throws -> T
  ) throws -> T {
    let clock = ContinuousClock()
    let start = clock.now
    var pause = 0.005
    while true {
      let waited = (clock.now - start).inSeconds
      do {
        return try body(Swift.max(timeout - waited, 0.001))
      } catch let error as DatabaseError
        where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
      {
        let waited = (clock.now - start).inSeconds
        if waited >= timeout { throw BenchStoreError.busy(path: path, seconds: waited) }
        // A random share of the pause, so processes that collided do not collide again.
        let sleep = Swift.min(Double.random(in: 0.5...1) * pause, timeout - waited)
        usleep(useconds_t(sleep * 1e6))
        pause = Swift.min(pause * 2, 0.25)
      } catch let error as BenchStoreError {
        throw error
      } catch let error as DatabaseError {
        throw storeError(error, path: path)
      } catch {
        throw BenchStoreError.cannotOpen(path: path, reason: "\(error)")
      }
    }
  }

  /// Opens the connection and checks (or migrates) the schema.
  private static func openQueue(path: String, configuration: Configuration, mode: OpenMode)
    throws -> DatabaseQueue
  {
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      try prepareSchema(queue, path: path, readOnly: mode == .readOnly)
      return queue
    } catch let error as DatabaseError
      where mode == .readOnly
      && (error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_IOERR)
      && isOnReadOnlyFileSystem(path) && !FileManager.default.fileExists(atPath: path + "-wal")
    {
      // A WAL database on a read-only file system (a CI artifact, a read-only mount): SQLite
      // cannot create the -shm file it reads through. With no -wal file everything is in the
      // main file, and nothing can change it, so it can be read as immutable (a URI filename;
      // where SQLite was built without URI support this fails like the first attempt).
      let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
      let queue = try DatabaseQueue(
        path: "file:\(encoded)?immutable=1", configuration: configuration)
      try prepareSchema(queue, path: path, readOnly: true)
      return queue
    }
  }

  /// Refuses a newer schema, then (unless read-only) runs the missing migrations.
  ///
  /// Two processes opening a new file at once both see it unmigrated, and the slower one's
  /// reads or migration then fail (its table exists, or vanished from its view). So a failure
  /// that is not about the file itself (not a database, full, read-only, I/O) is retried a few
  /// times after a short pause: by then the other process has committed its migration, which
  /// is atomic, and there is nothing left to do. A busy database is left to
  /// ``retryingWhileBusy(path:timeout:_:)``, which retries the whole open.
  private static func prepareSchema(_ writer: DatabaseQueue, path: String, readOnly: Bool) throws {
    let migrator = Self.migrator
    var attempt = 0
    while true {
      attempt += 1
      do {
        let unknown = try writer.read { db in
          try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        }
        if !unknown.isEmpty {
          throw BenchStoreError.newerSchema(path: path, unknownMigrations: unknown.sorted())
        }
        if !readOnly { try migrator.migrate(writer) }
        return
      } catch let error as DatabaseError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_FULL, .SQLITE_READONLY, .SQLITE_IOERR,
          .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH, .SQLITE_NOMEM, .SQLITE_BUSY,
          .SQLITE_LOCKED:
          throw error
        default:
          if attempt >= 8 { throw error }
          usleep(useconds_t(20_000 * attempt))
        }
      }
    }
  }

  /// Marks this host's `running` runs whose process is gone as `interrupted`.
  private static func markStaleRuns(_ db: Database, currentHost: String) throws {
    let running = try RunRecord.filter(RunRecord.Columns.status == RunStatus.running)
      .filter(RunRecord.Columns.hostName == currentHost).fetchAll(db)
    for run in running where run.looksStale(currentHost: currentHost) {
      try RunRecord.filter(key: run.id).filter(RunRecord.Columns.status == RunStatus.running)
        .updateAll(db, RunRecord.Columns.status.set(to: RunStatus.interrupted))
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

  /// Writes the parity rows of one `brl verify --record` in one transaction: all of them, or
  /// (on any error) none. Returns them with their ids.
  @discardableResult
  public func recordParity(_ records: [ParityRecord]) throws -> [ParityRecord] {
    try write { db in
      var inserted: [ParityRecord] = []
      inserted.reserveCapacity(records.count)
      for var record in records {
        try record.insert(db)
        inserted.append(record)
      }
      return inserted
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
          run: resolved(try RunRecord(row: row)), measurementCount: row["measurement_count"],
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
    return resolved(run)
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
    return resolved(run)
  }

  /// `run`, shown `interrupted` if it is a stale `running` run of this host.
  private func resolved(_ run: RunRecord) -> RunRecord {
    guard run.looksStale(currentHost: currentHost) else { return run }
    var run = run
    run.status = .interrupted
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

  /// The recorded parity rows, newest first (at most `limit`).
  public func parityRecords(limit: Int? = nil) throws -> [ParityRecord] {
    try read { db in
      // A database still at v1 (opened read-only by `brl report`) has the old parity table,
      // which v1 never filled.
      let applied = try Self.migrator.appliedIdentifiers(db)
      guard applied.contains(Self.parityMigration) else { return [] }
      var request = ParityRecord.order(ParityRecord.Columns.id.desc)
      if let limit { request = request.limit(limit) }
      return try request.fetchAll(db)
    }
  }

  /// The number of measurements in the database (all runs).
  public func measurementCount() throws -> Int {
    try read { try MeasurementRecord.fetchCount($0) }
  }

  /// `PRAGMA integrity_check`: `["ok"]` for a sound database, else SQLite's list of problems.
  public func integrityCheck() throws -> [String] {
    try read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
  }

  /// The identifiers of the applied migrations (for tests and diagnostics).
  public func appliedMigrations() throws -> [String] {
    try read { try Self.migrator.appliedMigrations($0) }
  }

  // MARK: Errors

  private func read<T>(_ body: (Database) throws -> T) throws -> T {
    let queue = try queue()
    return try Self.retryingWhileBusy(path: path) { _ in try queue.read(body) }
  }

  @discardableResult
  private func write<T>(_ body: (Database) throws -> T) throws -> T {
    if isReadOnly { throw BenchStoreError.readOnly(path: path, reason: "opened read-only") }
    let queue = try queue()
    // GRDB wraps it in BEGIN IMMEDIATE ... COMMIT (rolled back if `body` throws).
    return try Self.retryingWhileBusy(path: path) { _ in try queue.write(body) }
  }

  static func storeError(_ error: DatabaseError, path: String) -> BenchStoreError {
    let reason = error.message ?? "\(error.resultCode)"
    switch error.resultCode {
    case .SQLITE_NOTADB, .SQLITE_CORRUPT:
      return .notADatabase(path: path, reason: reason)
    case .SQLITE_FULL:
      return .diskFull(path: path)
    case .SQLITE_READONLY:
      return .readOnly(path: path, reason: reason)
    case .SQLITE_BUSY, .SQLITE_LOCKED:
      return .busy(path: path, seconds: 0)
    case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_PERM:
      // SQLite's message ("unable to open database file", "disk I/O error") does not say why;
      // a full disk or a read-only location are the usual reasons.
      if freeBytes(near: path) == 0 { return .diskFull(path: path) }
      if let why = whyNotWritable(path) { return .readOnly(path: path, reason: why) }
      return .cannotOpen(path: path, reason: reason)
    default:
      return .cannotOpen(path: path, reason: reason)
    }
  }

  /// Why `path` (or, if it does not exist, its folder) cannot be written, or nil if it can.
  static func whyNotWritable(_ path: String) -> String? {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if isOnReadOnlyFileSystem(path) { return "it is on a read-only file system" }
    if access(folder, W_OK) != 0 { return "its folder \(folder) is not writable" }
    if FileManager.default.fileExists(atPath: path), access(path, W_OK) != 0 {
      return "the file is not writable"
    }
    return nil
  }

  /// Whether the folder of `path` is on a file system mounted read-only.
  static func isOnReadOnlyFileSystem(_ path: String) -> Bool {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    var info = statvfs()
    return statvfs(folder, &info) == 0 && info.f_flag & UInt(ST_RDONLY) != 0
  }

  /// The bytes available to an unprivileged user on the file system of `path` (or of its
  /// folder), or nil if unknown.
  static func freeBytes(near path: String) -> UInt64? {
    var info = statvfs()
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    for candidate in [path, folder] where statvfs(candidate, &info) == 0 {
      return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
    return nil
  }
}

/// Creates an empty file at `path` unless something is there; true if this call created it.
/// (An empty file is a valid new SQLite database.)
private func createExclusively(_ path: String) -> Bool {
  let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
  guard descriptor >= 0 else { return false }
  close(descriptor)
  return true
}

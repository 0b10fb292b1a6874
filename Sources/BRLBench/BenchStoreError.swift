import BRLFormat
import Foundation

/// Why the benchmark database cannot be used. Each case names the file and says what to do, so
/// the command line can print it as is (and exit 2).
public enum BenchStoreError: Error, Equatable, CustomStringConvertible {
  /// `brl report` was pointed at a database that does not exist.
  case missingDatabase(path: String)
  /// The file or its folder cannot be created, opened or written.
  case cannotOpen(path: String, reason: String)
  /// The file is not an SQLite database, or is damaged.
  case notADatabase(path: String, reason: String)
  /// The database was migrated by a newer brl (migrations this brl does not know).
  case newerSchema(path: String, unknownMigrations: [String])
  /// No run has this id.
  case runNotFound(id: Int64, path: String)
  /// The database holds no run.
  case noRuns(path: String)
  /// The folder of an explicit `--db` does not exist (only `brl bench` creates folders).
  case missingFolder(path: String, folder: String)
  /// The disk (or quota) is full: nothing more could be written.
  case diskFull(path: String)
  /// The file or its folder is read-only (SQLite needs to write the -shm file even to read a
  /// database in WAL mode).
  case readOnly(path: String, reason: String)
  /// Another process held the database locked for longer than the busy timeout; `seconds` is
  /// how long brl actually waited.
  case busy(path: String, seconds: Double)

  public var description: String {
    switch self {
    case .missingDatabase(let path):
      "no benchmark database at \(path) (run `brl bench` first, or pass --db)"
    case .cannotOpen(let path, let reason):
      "cannot open or create the benchmark database \(path): \(reason)"
    case .notADatabase(let path, let reason):
      "\(path) is not a usable SQLite database (\(reason)); move it away or pass another --db"
    case .newerSchema(let path, let unknown):
      "\(path) was written by a newer brl (unknown schema migrations: "
        + unknown.joined(separator: ", ") + "); upgrade brl or pass another --db"
    case .runNotFound(let id, let path):
      "no run \(id) in \(path) (`brl report` lists the runs)"
    case .noRuns(let path):
      "no runs recorded in \(path) yet (run `brl bench` first)"
    case .missingFolder(let path, let folder):
      "cannot create the database \(path): the folder \(folder) does not exist "
        + "(create it, or pass another --db)"
    case .diskFull(let path):
      "cannot write the database \(path) (or its -wal and -shm files): the disk is full; "
        + "the failed write changed nothing. Free some space or pass another --db"
    case .readOnly(let path, let reason):
      "cannot use the database \(path): \(reason) (SQLite writes the file, and its -wal and "
        + "-shm files even to read it); copy it to a writable folder or pass another --db"
    case .busy(let path, let seconds):
      "the database \(path) stayed locked by another process: waited "
        + Format.fixed(seconds, digits: 1) + " s; try again"
    }
  }
}

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
    }
  }
}

import GRDB

extension BenchStore {
  /// The migration that gave `parity` its current shape.
  static let parityMigration = "v2: parity input fingerprint, tolerances, nullable differences"
  /// The migration that added the measurements' grouping.
  static let groupingMigration = "v3: measurements group and images"

  /// The schema, as a list of migrations that only ever grows.
  ///
  /// GRDB records the identifiers of applied migrations in `grdb_migrations`. A database that
  /// lists an identifier not registered here comes from a newer brl, and ``BenchStore`` refuses
  /// it rather than guess. To change the schema, append a migration; never edit a shipped one.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()

    migrator.registerMigration("v1: runs, measurements, parity") { db in
      try db.create(table: "runs") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("started_at", .datetime).notNull()
        t.column("finished_at", .datetime)
        t.column("status", .text).notNull()
          .check(sql: "status IN ('running', 'complete', 'interrupted', 'failed')")
        t.column("brl_version", .text).notNull()
        t.column("git_commit", .text)
        t.column("build_configuration", .text).notNull()
        t.column("host_name", .text).notNull()
        t.column("cpu_model", .text)
        t.column("core_count", .integer).notNull()
        t.column("os", .text).notNull()
        t.column("swift_version", .text).notNull()
        t.column("command_line", .text).notNull()
        t.column("seed", .integer).notNull()
        t.column("overlap", .double).notNull().defaults(to: 0)
        t.column("pid", .integer).notNull()
      }
      try db.create(table: "measurements") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("run_id", .integer).notNull().indexed()
          .references("runs", onDelete: .cascade)
        t.column("loss", .text).notNull()
        t.column("method", .text).notNull()
        t.column("delta", .double).notNull()
        t.column("positives", .integer).notNull()
        t.column("negatives", .integer).notNull()
        t.column("relevant_negatives", .integer)
        t.column("buckets", .integer)
        t.column("repeats", .integer).notNull()
        t.column("median_s", .double).notNull()
        t.column("min_s", .double).notNull()
        t.column("max_s", .double).notNull()
        t.column("stddev_s", .double).notNull()
        t.column("peak_rss_bytes", .integer)
      }
      // Filled by `brl verify --record`: one row per compared method pair (rebuilt by v2).
      try db.create(table: "parity") { t in
        t.autoIncrementedPrimaryKey("id")
        // A check need not belong to a run.
        t.column("run_id", .integer).indexed().references("runs", onDelete: .setNull)
        t.column("created_at", .datetime).notNull()
        t.column("input_hash", .text).notNull()
        t.column("loss", .text).notNull()
        t.column("method_a", .text).notNull()
        t.column("method_b", .text).notNull()
        t.column("delta", .double).notNull()
        t.column("max_abs_diff", .double).notNull()
        t.column("max_rel_diff", .double).notNull()
        t.column("verdict", .text).notNull()
      }
    }

    // `brl verify --record`: the input's path, size and (targets) second file, the
    // requirement and tolerances, the loss difference, and NULL for a NaN difference (v1 made
    // the differences NOT NULL, and SQLite stores NaN as NULL). SQLite cannot relax a NOT NULL
    // column in place, so the table is rebuilt, keeping any rows (v1 never wrote one).
    migrator.registerMigration(parityMigration) { db in
      try db.create(table: "parity_v2") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("run_id", .integer).references("runs", onDelete: .setNull)
        t.column("created_at", .datetime).notNull()
        t.column("input_path", .text).notNull()
        // FNV-1a 64 of the input's bytes, hex: identifies the file, does not authenticate it.
        t.column("input_hash", .text).notNull()
        t.column("input_size", .integer)
        t.column("targets_path", .text)
        t.column("targets_hash", .text)
        t.column("targets_size", .integer)
        t.column("loss", .text).notNull()
        t.column("delta", .double).notNull()
        t.column("method_a", .text).notNull()
        t.column("method_b", .text).notNull()
        t.column("requirement", .text)
        t.column("loss_abs_diff", .double)
        t.column("max_abs_diff", .double)
        t.column("max_rel_diff", .double)
        t.column("rtol", .double)
        t.column("atol", .double)
        t.column("verdict", .text).notNull()
        t.column("brl_version", .text)
        t.column("host_name", .text)
      }
      try db.execute(
        sql: """
          INSERT INTO parity_v2 (id, run_id, created_at, input_path, input_hash, loss, delta,
                                 method_a, method_b, max_abs_diff, max_rel_diff, verdict)
          SELECT id, run_id, created_at, '', input_hash, loss, delta,
                 method_a, method_b, max_abs_diff, max_rel_diff, verdict
          FROM parity
          """)
      try db.drop(table: "parity")
      try db.rename(table: "parity_v2", to: "parity")
      try db.create(index: "parity_on_run_id", on: "parity", columns: ["run_id"])
      try db.create(index: "parity_on_input_hash", on: "parity", columns: ["input_hash"])
    }

    // `brl bench --images K`: how each measurement ranked its positives (`batch`, the official
    // loss, or `image`) and over how many images the synthetic examples were spread (NULL: not
    // spread). Rows measured before are batch rankings of unspread data.
    migrator.registerMigration(groupingMigration) { db in
      try db.alter(table: "measurements") { t in
        t.add(column: "group", .text).notNull().defaults(to: "batch")
        t.add(column: "images", .integer)
      }
    }

    return migrator
  }
}

import Foundation
import GRDB
import Testing

/// The benchmark database under CI conditions, end to end with the built `brl`: two benches at
/// once, `kill -9` in the middle of one, `verify --record` all or nothing, and every unusable
/// database (newer schema, random bytes, missing folder, read-only, full disk) giving exit 2 and
/// a message instead of a crash. No timing assertions: deadlines only stop a hang.
@Suite(.serialized) struct StoreRobustnessTests {
  static let smallInput = "fixtures/oracle/rs_small.npz"

  // MARK: Concurrency and kill -9

  @Test(.timeLimit(.minutes(3))) func twoBenchesWriteOneDatabaseAtOnce() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = folder.appendingPathComponent("shared.sqlite").path  // created by the race
    let arguments = [
      "bench", "--neg", "1e4,2e4", "--pos", "10,20", "--repeats", "2", "--warmup", "0",
      "--method", "bucketed,exact", "--db", db,
    ]
    let children = try (0..<2).map { _ in try BRLChild.start(arguments, in: folder) }
    let statuses = children.map { $0.wait(timeout: 150) }
    for (child, status) in zip(children, statuses) {
      #expect(status == 0, "\(child.stderr)")
      #expect(!child.stderr.contains("locked"))
    }
    let perRun = readDatabase(db) { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT runs.status AS status, COUNT(measurements.id) AS n FROM runs
          LEFT JOIN measurements ON measurements.run_id = runs.id GROUP BY runs.id ORDER BY runs.id
          """
      ).map { (row: Row) -> String in "\(row["status"] as String) \(row["n"] as Int)" }
    }
    // 2 N × 2 P × 3 methods (bucketed, exact and the floor row bench always adds) = 12 each.
    #expect(perRun == ["complete 12", "complete 12"])
  }

  /// The race of writers on a database that does not exist yet: the open, the switch to WAL and
  /// the migration meet each other's locks (on main, 1 of 120 such writers failed at once with
  /// "stayed locked … for 30 s"). Every writer of every round must succeed.
  @Test(.timeLimit(.minutes(5))) func writersOnANewDatabaseAllSucceed() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    var failures: [String] = []
    for round in 0..<20 {
      let db = folder.appendingPathComponent("new-\(round).sqlite").path
      let children = try [
        tinyBench(db), ["verify", "--record", "--db", db, Self.smallInput], tinyBench(db),
      ].map { try BRLChild.start($0, in: folder) }
      for (child, status) in zip(children, children.map { $0.wait(timeout: 120) }) where status != 0
      {
        failures.append(
          "round \(round): exit \(status.map(String.init) ?? "timeout"): \(child.stderr)")
      }
      #expect(count("runs", in: db) == 2)
      #expect((count("parity", in: db) ?? 0) > 0)
    }
    #expect(failures.isEmpty, "\(failures.count) of 60 writers failed: \(failures.prefix(3))")
  }

  /// A command that fails before it records anything leaves no new database behind.
  @Test func aFailedCommandLeavesNoNewDatabase() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = folder.appendingPathComponent("new.sqlite").path
    let bad = folder.appendingPathComponent("bad.npy")
    try Data("not an npy file".utf8).write(to: bad)
    let verify = try BRLProcess.run(["verify", bad.path, "--record", "--db", db])
    #expect(verify.status == 2)
    let bench = try BRLProcess.run(tinyBench(db) + ["--repeats", "0"])
    #expect(bench.status == 2)
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(left.filter { $0.hasPrefix("new.sqlite") }.isEmpty, "\(left)")
    // The same with a database that exists: it is kept, unchanged.
    #expect(try BRLProcess.run(tinyBench(db)).status == 0)
    #expect(try BRLProcess.run(["verify", bad.path, "--record", "--db", db]).status == 2)
    #expect(count("runs", in: db) == 1)
    #expect(count("parity", in: db) == 0)
  }

  /// Creating a new database on a full disk fails with exit 2, and the half-made file is
  /// removed.
  @Test(.enabled(if: Tmpfs.available)) func aNewDatabaseOnAFullDiskIsRemoved() throws {
    let mount = try Tmpfs.mount(kilobytes: 256)
    defer {
      mount.unmount()
      try? FileManager.default.removeItem(at: mount.folder)
    }
    mount.fill()
    let db = mount.folder.appendingPathComponent("new.sqlite").path
    let run = try BRLProcess.run(tinyBench(db))
    #expect(run.status == 2)
    #expect(run.stderr.contains(db), "\(run.stderr)")
    let left = try FileManager.default.contentsOfDirectory(atPath: mount.folder.path)
    #expect(left == ["filler"], "\(left)")
  }

  @Test(.timeLimit(.minutes(3))) func killNineLeavesASoundDatabaseAndAnInterruptedRun() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = folder.appendingPathComponent("killed.sqlite").path
    let child = try BRLChild.start(
      ["bench", "--neg", "1e5,2e5,3e5,4e5", "--pos", "50", "--repeats", "50", "--db", db],
      in: folder)
    // Poll (read-only) until a point is committed; then kill without warning.
    let deadline = Date().addingTimeInterval(120)
    var measured = 0
    while measured == 0 && Date() < deadline && child.process.isRunning {
      measured = count("measurements", in: db) ?? 0
      if measured == 0 { usleep(100_000) }
    }
    #expect(child.process.isRunning, "the bench ended before it could be killed: \(child.stderr)")
    kill(child.process.processIdentifier, SIGKILL)
    let status = child.wait(timeout: 60)
    #expect(status == SIGKILL || child.process.terminationReason == .uncaughtSignal)
    #expect(measured > 0)

    #expect(readDatabase(db) { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
    #expect((count("measurements", in: db) ?? 0) >= measured)
    // The file still says running: brl report shows it as interrupted without writing.
    #expect(
      readDatabase(db) { try String.fetchOne($0, sql: "SELECT status FROM runs") } == "running")
    let list = try BRLProcess.run(["report", "--db", db])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains("interrupted"), "\(list.stdout)")
    let json = try BRLProcess.run(["report", "--db", db, "--json"])
    #expect(json.stdout.contains(#""status" : "interrupted""#), "\(json.stdout)")
    let shown = try BRLProcess.run(["report", "latest", "--db", db, "--json"])
    #expect(shown.stdout.contains(#""status" : "interrupted""#))
    #expect(shown.stdout.contains(#""median_s""#))
    #expect(
      readDatabase(db) { try String.fetchOne($0, sql: "SELECT status FROM runs") } == "running")

    // The next writer marks it in the file.
    #expect(try BRLProcess.run(tinyBench(db)).status == 0)
    #expect(
      readDatabase(db) { try String.fetchAll($0, sql: "SELECT status FROM runs ORDER BY id") }
        == ["interrupted", "complete"])
  }

  // MARK: verify --record

  @Test func verifyRecordsEveryComparisonAndReportListsThem() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = folder.appendingPathComponent("parity.sqlite").path
    let run = try BRLProcess.run(["verify", "--record", "--db", db, Self.smallInput])
    #expect(run.status == 0, "\(run.stderr)")
    let rows = try #require(count("parity", in: db))
    #expect(rows > 0)
    #expect(run.stderr.contains("recorded \(rows) comparisons in \(db)"))
    let hashes = readDatabase(db) {
      try String.fetchAll($0, sql: "SELECT DISTINCT input_hash || '/' || input_size FROM parity")
    }
    let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.smallInput.inRepository))
    #expect(hashes == [fnv1a64(bytes) + "/\(bytes.count)"])

    let text = try BRLProcess.run(["report", "--parity", "--db", db])
    #expect(text.status == 0)
    #expect(text.stdout.contains(Self.smallInput))
    let json = try BRLProcess.run(["report", "--parity", "--json", "--db", db, "--limit", "2"])
    #expect(json.status == 0)
    struct List: Decodable {
      struct Row: Decodable { var id: Int }
      var parity: [Row]
    }
    let list = try JSONDecoder().decode(List.self, from: Data(json.stdout.utf8))
    #expect(list.parity.map(\.id) == [rows, rows - 1])  // newest first
  }

  /// The database refuses the third row of the second invocation: the invocation keeps
  /// nothing, says so, and exits 2.
  @Test func aFailedWriteKeepsNothingOfTheInvocation() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = folder.appendingPathComponent("parity.sqlite").path
    #expect(try BRLProcess.run(["verify", "--record", "--db", db, Self.smallInput]).status == 0)
    let before = try #require(count("parity", in: db))
    try DatabaseQueue(path: db).write { d in
      try d.execute(
        sql: """
          CREATE TRIGGER refuse BEFORE INSERT ON parity WHEN (SELECT COUNT(*) FROM parity) >= \(before + 2)
          BEGIN SELECT RAISE(ABORT, 'injected write failure'); END
          """)
    }
    let run = try BRLProcess.run(["verify", "--record", "--json", "--db", db, Self.smallInput])
    #expect(run.status == 2)
    #expect(run.stderr.contains("injected write failure"), "\(run.stderr)")
    #expect(run.stderr.contains("nothing was recorded"))
    #expect(run.stdout.contains(#""exit_code":2"#))
    #expect(count("parity", in: db) == before)
  }

  /// An input that cannot be checked: the other inputs' results are not recorded either.
  @Test func anUncheckedInputRecordsNothing() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = folder.appendingPathComponent("parity.sqlite").path
    let missing = folder.appendingPathComponent("missing.npz").path
    let run = try BRLProcess.run(["verify", "--record", "--db", db, Self.smallInput, missing])
    #expect(run.status == 2)
    #expect(run.stderr.contains("1 of 2 inputs could not be checked; nothing was recorded"))
    #expect(!FileManager.default.fileExists(atPath: db))  // a new database is not left behind
    #expect(try BRLProcess.run(["verify", "--db", db, Self.smallInput]).status == 2)  // --record
  }

  /// `brl report` reads a database on a read-only file system (as immutable).
  @Test(.enabled(if: Tmpfs.available)) func reportReadsFromAReadOnlyFileSystem() throws {
    let mount = try Tmpfs.mount(kilobytes: 256)
    defer {
      mount.unmount()
      try? FileManager.default.removeItem(at: mount.folder)
    }
    let db = mount.folder.appendingPathComponent("bench.sqlite").path
    #expect(try BRLProcess.run(tinyBench(db)).status == 0)
    #expect(try BRLProcess.run(["verify", "--record", "--db", db, Self.smallInput]).status == 0)
    #expect(mount.remountReadOnly())
    let list = try BRLProcess.run(["report", "--db", db])
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains("complete"))
    #expect(try BRLProcess.run(["report", "--parity", "--db", db]).status == 0)
  }

  // MARK: Unusable databases

  /// One unusable database and one command.
  struct Failure: Sendable, CustomTestStringConvertible {
    enum Setup: String, Sendable {
      case newerSchema, randomBytes, missingFolder, readOnly, fullDisk
    }
    enum Command: String, Sendable { case bench, verify, report }
    var setup: Setup
    var command: Command
    var message: String

    var testDescription: String { "\(command) on \(setup)" }

    /// Read-only needs a mount when run as root (root writes through permissions).
    var needsMount: Bool { setup == .fullDisk || (setup == .readOnly && getuid() == 0) }
  }

  static let failures: [Failure] = [
    .init(setup: .newerSchema, command: .bench, message: "written by a newer brl"),
    .init(setup: .newerSchema, command: .verify, message: "written by a newer brl"),
    .init(setup: .newerSchema, command: .report, message: "written by a newer brl"),
    .init(setup: .randomBytes, command: .bench, message: "is not a usable SQLite database"),
    .init(setup: .randomBytes, command: .verify, message: "is not a usable SQLite database"),
    .init(setup: .randomBytes, command: .report, message: "is not a usable SQLite database"),
    .init(setup: .missingFolder, command: .verify, message: "does not exist"),
    .init(setup: .missingFolder, command: .report, message: "no benchmark database at"),
    // Refused when --db is parsed, before any work (issue 16: output paths checked up front).
    .init(setup: .readOnly, command: .bench, message: "is not writable"),
    .init(setup: .readOnly, command: .verify, message: "is not writable"),
    .init(setup: .fullDisk, command: .bench, message: "the disk is full"),
    .init(setup: .fullDisk, command: .verify, message: "the disk is full"),
  ]

  @Test(.timeLimit(.minutes(2)), arguments: failures)
  func anUnusableDatabaseIsExit2AndAMessage(_ failure: Failure) throws {
    if failure.needsMount && !Tmpfs.available {
      // Not testable without mount(8) (see the report); nothing to check here.
      return
    }
    let folder = try BRLProcess.temporaryDirectory()
    var mount: Tmpfs? = nil
    defer {
      if let mount {
        mount.unmount()
        try? FileManager.default.removeItem(at: mount.folder)
      }
      chmod(folder.path, 0o755)
      try? FileManager.default.removeItem(at: folder)
    }
    var db = folder.appendingPathComponent("bench.sqlite").path
    switch failure.setup {
    case .newerSchema:
      #expect(try BRLProcess.run(tinyBench(db)).status == 0)
      try DatabaseQueue(path: db).write { d in
        try d.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99: from the future')")
      }
    case .randomBytes:
      var generator = SystemRandomNumberGenerator()
      let bytes = (0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) }
      try Data(bytes).write(to: URL(fileURLWithPath: db))
    case .missingFolder:
      db = folder.appendingPathComponent("no/such/folder/bench.sqlite").path
    case .readOnly:
      if failure.needsMount {
        let m = try Tmpfs.mount(kilobytes: 256)
        mount = m
        db = m.folder.appendingPathComponent("bench.sqlite").path
        #expect(try BRLProcess.run(tinyBench(db)).status == 0)
        #expect(m.remountReadOnly())
      } else {
        #expect(try BRLProcess.run(tinyBench(db)).status == 0)
        chmod(db, 0o444)
        chmod(folder.path, 0o555)
      }
    case .fullDisk:
      let m = try Tmpfs.mount(kilobytes: 256)
      mount = m
      db = m.folder.appendingPathComponent("bench.sqlite").path
      #expect(try BRLProcess.run(tinyBench(db)).status == 0)
      m.fill()
    }

    let arguments: [String]
    switch failure.command {
    case .bench: arguments = tinyBench(db)
    case .verify: arguments = ["verify", "--record", "--db", db, Self.smallInput]
    case .report: arguments = ["report", "--db", db]
    }
    let run = try BRLProcess.run(arguments)
    #expect(run.status == 2, "\(run.stdout)\n\(run.stderr)")
    #expect(run.stderr.contains(failure.message), "\(run.stderr)")
    #expect(run.stderr.contains(db), "\(run.stderr)")

    // What was there before is intact, and the failed command added nothing.
    switch failure.setup {
    case .missingFolder:
      #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("no").path))
    case .newerSchema:
      // Every migration brl has (v1, v2, v3: measurements group and images), plus the future one.
      #expect(count("grdb_migrations", in: db) == 4)
      #expect(count("runs", in: db) == 1)
    case .fullDisk:
      mount?.emptyFiller()
      #expect(readDatabase(db) { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
      #expect(
        readDatabase(db) { try String.fetchAll($0, sql: "SELECT status FROM runs") } == ["complete"]
      )
      #expect(count("parity", in: db) == 0)
    case .randomBytes, .readOnly:
      break
    }
  }
}

/// FNV-1a 64 in hex, written independently of brl's.
func fnv1a64(_ data: Data) -> String {
  var hash: UInt64 = 14_695_981_039_346_656_037
  for byte in data { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
  let hex = String(hash, radix: 16)
  return String(repeating: "0", count: 16 - hex.count) + hex
}

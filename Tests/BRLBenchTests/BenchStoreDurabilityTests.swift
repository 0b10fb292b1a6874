import Foundation
import GRDB
import RankingLosses
import Testing

@testable import BRLBench

/// The store under the conditions of CI and of other people's machines: parity rows written all
/// or nothing, stale runs, read-only opening, schema upgrades, several processes at once.
@Suite struct BenchStoreDurabilityTests {
  // MARK: Fingerprint

  @Test func fnv1aMatchesTheReferenceVectors() throws {
    #expect(FileFingerprint(bytes: []) == FileFingerprint(hash: "cbf29ce484222325", size: 0))
    #expect(FileFingerprint(bytes: Array("a".utf8)).hash == "af63dc4c8601ec8c")
    #expect(FileFingerprint(bytes: Array("foobar".utf8)).hash == "85944171f73967e8")
    // The file version reads in chunks; it must agree with the in-memory one across a chunk edge.
    let bytes = (0..<((1 << 20) + 4097)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    let path = temporaryDatabasePath()
    try FileManager.default.createDirectory(
      atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
      withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let fromFile = try FileFingerprint(path: path)
    #expect(fromFile == FileFingerprint(bytes: bytes))
    #expect(fromFile.size == Int64(bytes.count))
    #expect(throws: (any Error).self) { try FileFingerprint(path: path + ".missing") }
  }

  // MARK: Parity rows

  @Test func parityRowsRoundTripNewestFirstWithNaNAsNil() throws {
    let store = try BenchStore(path: temporaryDatabasePath())
    let first = parityRecord(method: "exact", maxAbsDiff: 1e-17)
    let second = parityRecord(method: "bucketed", maxAbsDiff: .nan, maxRelDiff: .infinity)
    let inserted = try store.recordParity([first, second])
    #expect(inserted.map(\.id) == [1, 2])
    let read = try store.parityRecords()
    #expect(read.map(\.methodA) == ["bucketed", "exact"])
    #expect(read[0].maxAbsDiff == nil)
    #expect(read[0].maxRelDiff == .infinity)
    #expect(read[1] == inserted[0])
    #expect(try store.parityRecords(limit: 1).map(\.id) == [2])
  }

  @Test func aParityRowMadeFromACheck() {
    let planned = ParityCheck(
      subject: Evaluation(loss: .rs, delta: 0.5, method: .bucketed),
      reference: Evaluation(loss: .rs, delta: 0.5, method: .naive), requirement: .required,
      reason: "test")
    let check = FinishedCheck(
      planned,
      comparison: ResultComparison(
        loss: 1, gradient: [0, 1], referenceLoss: 1, referenceGradient: [0, 2], rtol: 0, atol: 0))
    let record = ParityRecord(
      check, createdAt: Date(timeIntervalSince1970: 0), inputPath: "in.npz",
      input: FileFingerprint(hash: "00", size: 1), rtol: 0, atol: 0, brlVersion: "t",
      hostName: "h")
    #expect(record.loss == "rs" && record.methodA == "bucketed" && record.methodB == "naive")
    #expect(record.verdict == "fail")
    #expect(record.maxAbsDiff == 1 && record.maxRelDiff == 0.5 && record.lossAbsDiff == 0)
  }

  /// A check against the sampled naive compares no loss: its row stores NULL, not 0.
  @Test func aSampledCheckStoresNoLossDifference() throws {
    let planned = ParityCheck(
      subject: Evaluation(loss: .rs, delta: 0.5, method: .exact),
      reference: .sampledNaive(positives: 2, negatives: 1), requirement: .required,
      reason: "test")
    let check = FinishedCheck(
      planned,
      comparison: ResultComparison(
        loss: nil, gradient: [1, 2, 3], referenceGradient: [1, 2, 3.5], rtol: 0, atol: 0),
      sampledNegativeIndex: [7])
    let record = ParityRecord(
      check, createdAt: Date(timeIntervalSince1970: 0), inputPath: "in.npz",
      input: FileFingerprint(hash: "00", size: 1), rtol: 0, atol: 0, brlVersion: "t",
      hostName: "h")
    #expect(record.lossAbsDiff == nil)
    #expect(record.methodB == "naive sampled" && record.verdict == "fail")
    #expect(check.firstDisagreement == .gradient(index: 7))
    let store = try BenchStore(path: temporaryDatabasePath())
    try store.recordParity([record])
    #expect(try store.parityRecords(limit: 1).first?.lossAbsDiff == nil)
  }

  /// A failing insert in the middle of a batch leaves no row of the batch.
  @Test func parityRowsAreWrittenAllOrNothing() throws {
    let path = temporaryDatabasePath()
    let store = try BenchStore(path: path)
    try store.recordParity([parityRecord(method: "kept")])
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(
        sql: """
          CREATE TRIGGER fail_third BEFORE INSERT ON parity
          WHEN (SELECT COUNT(*) FROM parity) >= 3
          BEGIN SELECT RAISE(ABORT, 'injected failure'); END
          """)
    }
    #expect(throws: BenchStoreError.self) {
      try store.recordParity((0..<5).map { parityRecord(method: "m\($0)") })
    }
    #expect(try store.parityRecords().map(\.methodA) == ["kept"])
  }

  /// v2 rebuilds the parity table; rows written under v1 survive it.
  @Test func theParityMigrationKeepsOldRows() throws {
    let path = temporaryDatabasePath()
    try FileManager.default.createDirectory(
      atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
      withIntermediateDirectories: true)
    let queue = try DatabaseQueue(path: path)
    try BenchStore.migrator.migrate(queue, upTo: "v1: runs, measurements, parity")
    try queue.write { db in
      try db.execute(
        sql: """
          INSERT INTO parity (created_at, input_hash, loss, method_a, method_b, delta,
                              max_abs_diff, max_rel_diff, verdict)
          VALUES ('2025-01-01 00:00:00.000', 'abc', 'rs', 'exact', 'naive', 0.5, 0, 0, 'ok')
          """)
    }
    // A read-only store reads a v1 database as it is (no parity rows of the v2 shape).
    let readOnly = try BenchStore(path: path, mode: .readOnly)
    #expect(try readOnly.parityRecords().isEmpty)
    #expect(try readOnly.appliedMigrations() == ["v1: runs, measurements, parity"])

    let store = try BenchStore(path: path)
    let rows = try store.parityRecords()
    #expect(rows.count == 1)
    #expect(rows.first?.inputHash == "abc" && rows.first?.inputPath == "")
    #expect(rows.first?.inputSize == nil && rows.first?.verdict == "ok")
  }

  // MARK: Stale runs

  @Test func aRunWhoseProcessIsGoneIsInterrupted() throws {
    let path = temporaryDatabasePath()
    let store = try BenchStore(path: path)
    let host = MachineInfo.hostName()
    var dead = sampleRun()
    dead.hostName = host
    dead.pid = try deadPid()
    var alive = sampleRun()
    alive.hostName = host
    alive.pid = Int(getpid())
    var elsewhere = sampleRun()
    elsewhere.pid = dead.pid  // host "test-host": its pids mean nothing here
    let ids = try [dead, alive, elsewhere].map { try store.beginRun($0).id! }

    // Reading shows it interrupted without changing the file.
    let reader = try BenchStore(path: path, mode: .readOnly)
    #expect(try reader.run(id: ids[0]).status == .interrupted)
    #expect(try reader.runs().map(\.run.status) == [.running, .running, .interrupted])
    #expect(try rawStatuses(path) == ["running", "running", "running"])

    // Opening for writing marks it in the file.
    _ = try BenchStore(path: path).runs()  // created at the first use
    #expect(try rawStatuses(path) == ["interrupted", "running", "running"])
  }

  @Test func deadAndZombieProcessesAreNotAlive() throws {
    #expect(RunRecord.processIsAlive(getpid()))
    #expect(!RunRecord.processIsAlive(pid_t(try deadPid())))
    #if os(Linux)
      // sh starts a child, prints its pid and becomes `sleep`, which never reaps it: once the
      // child exits it is a zombie (kill(pid, 0) still succeeds on it).
      let parent = Process()
      parent.executableURL = URL(fileURLWithPath: "/bin/sh")
      parent.arguments = ["-c", "true & echo $!; exec sleep 20"]
      let out = Pipe()
      parent.standardOutput = out
      try parent.run()
      defer { parent.terminate() }
      var line = Data()
      while !line.contains(UInt8(ascii: "\n")) {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        line.append(chunk)
      }
      let text = String(decoding: line, as: UTF8.self)
      let zombie = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
      var isZombie = false
      for _ in 0..<200 where !isZombie {
        let stat = (try? String(contentsOfFile: "/proc/\(zombie)/stat", encoding: .utf8)) ?? ""
        isZombie = stat.contains(") Z")
        if !isZombie { usleep(25_000) }
      }
      #expect(isZombie)
      #expect(kill(zombie, 0) == 0)
      #expect(!RunRecord.processIsAlive(zombie))
    #endif
  }

  // MARK: Opening

  @Test func readOnlyNeverCreatesOrWrites() throws {
    let path = temporaryDatabasePath()
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    #expect(throws: BenchStoreError.missingDatabase(path: path)) {
      try BenchStore(path: path, mode: .readOnly)
    }
    #expect(!FileManager.default.fileExists(atPath: folder))
    _ = try BenchStore(path: path).runs()  // created at the first use
    let reader = try BenchStore(path: path, mode: .readOnly)
    #expect(throws: BenchStoreError.self) { try reader.beginRun(sampleRun()) }
    #expect(try reader.integrityCheck() == ["ok"])
  }

  @Test func anExplicitPathInAMissingFolderIsNotCreated() throws {
    let path = temporaryDatabasePath()
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    #expect(throws: BenchStoreError.missingFolder(path: path, folder: folder)) {
      try BenchStore(path: path, mode: .createFileOnly)
    }
    #expect(!FileManager.default.fileExists(atPath: folder))
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    #expect(try BenchStore(path: path, mode: .createFileOnly).runs().isEmpty)
  }

  @Test func aFolderIsNotADatabase() throws {
    let path = temporaryDatabasePath()
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    #expect {
      try BenchStore(path: path)
    } throws: { error in
      guard case BenchStoreError.cannotOpen? = error as? BenchStoreError else { return false }
      return true
    }
  }

  /// Several connections creating one new file at once (the race of two `brl bench` started
  /// together): every one opens it, and the schema is migrated once.
  @Test func concurrentOpeningOfANewFile() async throws {
    let path = temporaryDatabasePath()
    let results = await withTaskGroup(of: String?.self) { group in
      for _ in 0..<6 {
        group.addTask {
          do {
            let store = try BenchStore(path: path)
            let run = try store.beginRun(sampleRun())
            try store.record(measurement(median: 1), runID: run.id!)
            return nil
          } catch {
            return "\(error)"
          }
        }
      }
      var errors: [String] = []
      for await result in group { if let result { errors.append(result) } }
      return errors
    }
    #expect(results.isEmpty)
    let store = try BenchStore(path: path)
    #expect(try store.runs().count == 6)
    #expect(try store.measurementCount() == 6)
    #expect(try store.appliedMigrations().count == BenchStore.migrator.migrations.count)
  }
}

/// A parity row with fixed values.
func parityRecord(method: String, maxAbsDiff: Double = 0, maxRelDiff: Double = 0) -> ParityRecord {
  ParityRecord(
    createdAt: Date(timeIntervalSince1970: 1_750_000_000), inputPath: "dump.npz",
    input: FileFingerprint(hash: "0123456789abcdef", size: 42), loss: "rs", delta: 0.5,
    methodA: method, methodB: "naive", requirement: "required", lossAbsDiff: 0,
    maxAbsDiff: maxAbsDiff, maxRelDiff: maxRelDiff, rtol: 1e-5, atol: 1e-8, verdict: "ok",
    brlVersion: "0.1.0", hostName: "test-host")
}

/// The pid of a process that has exited and been reaped.
func deadPid() throws -> Int {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/sh")
  process.arguments = ["-c", "exit 0"]
  try process.run()
  process.waitUntilExit()
  return Int(process.processIdentifier)
}

/// The statuses in the file, by run id.
func rawStatuses(_ path: String) throws -> [String] {
  try DatabaseQueue(path: path).read { db in
    try String.fetchAll(db, sql: "SELECT status FROM runs ORDER BY id")
  }
}

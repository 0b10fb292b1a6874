import Foundation
import Testing

/// Hostile command lines, one per row: huge, negative, NaN, infinite and subnormal numbers in
/// every numeric option of every command, empty and duplicate list items, reversed ranges,
/// counts past memory, folders, /proc and /sys files, /dev/zero and /dev/null, missing and
/// unusable folders for every file option, unknown run ids. Each row ends with its expected
/// exit code (0, 1 or 2) and never on a signal; a refused row (2) prints one line starting
/// `brl: error: ` (no usage block) and leaves its temporary folder as it was.
///
/// In a row, `$T` is a fresh folder holding a file (`plain.txt`), a FIFO (`fifo`) and a link to
/// /dev/zero (`zero-link`), `$DB` a database with two
/// tiny runs and `$BASE` the first run exported by `--json`; `''` is an empty argument.
@Suite struct HostileArgumentsTests {
  struct Row: Sendable, CustomTestStringConvertible {
    var status: Int32
    var line: String
    init(_ status: Int32, _ line: String) {
      self.status = status
      self.line = line
    }
    var testDescription: String { line }
  }

  static let rows: [Row] = [
    Row(0, "loss fixtures/example.npz --delta=-0"),
    Row(0, "loss fixtures/example.npz --delta 1e19"),
    Row(0, "loss fixtures/example.npz --delta 1e308"),
    Row(0, "loss fixtures/example.npz --delta 5e-324"),
    Row(0, "loss fixtures/example.npz --delta 1e-310"),
    Row(0, "loss fixtures/example.npz --delta 2.2250738585072014e-308"),
    Row(2, "loss fixtures/example.npz --delta nan"),
    Row(2, "loss fixtures/example.npz --delta inf"),
    Row(2, "loss fixtures/example.npz --delta=-inf"),
    Row(2, "loss fixtures/example.npz --delta=-1"),
    Row(2, "loss fixtures/example.npz --delta 1e400"),
    Row(2, "loss fixtures/example.npz --delta ''"),
    Row(2, "loss fixtures/example.npz --delta 0.5x"),
    Row(2, "loss fixtures/example.npz --loss xyz"),
    Row(2, "loss fixtures/example.npz --loss ''"),
    Row(2, "loss fixtures/example.npz --method foo"),
    Row(2, "loss fixtures/example.npz --layout diag"),
    Row(2, "loss fixtures/example.npz --layout ''"),
    Row(2, "loss fixtures/example.npz --out $T"),
    Row(2, "loss fixtures/example.npz --out $T/missing/x.npz"),
    Row(2, "loss fixtures/example.npz --out $T/plain.txt/x.npz"),
    Row(2, "loss fixtures/example.npz --out /proc/x.npz"),
    Row(2, "loss fixtures/example.npz --out /proc/self/status"),
    Row(2, "loss fixtures/example.npz --out /sys/x.npz"),
    Row(2, "loss fixtures/example.npz --out /dev/null"),
    Row(2, "loss fixtures/example.npz --out /dev/zero"),
    Row(2, "loss fixtures/example.npz --out /dev/full"),
    Row(2, "loss fixtures/example.npz --out ''"),
    Row(2, "loss fixtures/example.npz --out /nonexistent-dir/out.npz"),
    Row(0, "loss fixtures/example.npz --out $T/grad.npz"),
    Row(2, "loss fixtures/example.npz --targets $T"),
    Row(2, "loss fixtures/example.npz --targets /dev/zero"),
    Row(2, "loss fixtures/example.npz --targets /proc/self/status"),
    Row(2, "loss fixtures/example.npz --targets $T/missing.npy"),
    Row(2, "loss fixtures/example.npz --targets ''"),
    Row(2, "loss fixtures/example.npz --group image --image-ids $T"),
    Row(2, "loss fixtures/example.npz --group image --image-ids /dev/zero"),
    Row(2, "loss fixtures/example.npz --group image --image-ids /proc/self/maps"),
    Row(2, "loss fixtures/example.npz --group image --image-ids $T/missing.npy"),
    Row(2, "loss $T"),
    Row(2, "loss /dev/zero"),
    Row(2, "loss /dev/null"),
    Row(2, "loss /proc/self/status"),
    Row(2, "loss /proc/cpuinfo --format raw --layout interleaved"),
    Row(2, "loss /sys/kernel/mm/transparent_hugepage/enabled"),
    Row(2, "loss $T/missing.npz"),
    Row(2, "loss ''"),
    Row(0, "verify fixtures/example.npz --loss rs --delta 1e19 --naive off"),
    Row(0, "verify fixtures/example.npz --loss rs --delta 1e308 --naive off"),
    Row(0, "verify fixtures/example.npz --loss rs --delta 9223372036854775808 --naive off"),
    Row(0, "verify fixtures/example.npz --loss rs --delta 1e19 --naive off --json"),
    Row(0, "verify fixtures/example.npz --loss ap --delta 1e-310 --naive off"),
    Row(0, "verify fixtures/example.npz --loss rs,rs --delta 0,0,0.5 --naive off"),
    Row(0, "verify fixtures/example.npz --loss rs --naive sample --json"),
    Row(0, "verify fixtures/example.npz --loss rs --naive off --junit $T/v.xml"),
    Row(2, "verify fixtures/example.npz --delta 0,,1"),
    Row(2, "verify fixtures/example.npz --delta ,"),
    Row(2, "verify fixtures/example.npz --delta 0,"),
    Row(2, "verify fixtures/example.npz --delta ''"),
    Row(2, "verify fixtures/example.npz --delta nan"),
    Row(2, "verify fixtures/example.npz --delta 0,inf"),
    Row(2, "verify fixtures/example.npz --delta=-1"),
    Row(2, "verify fixtures/example.npz --delta 0,-0.5"),
    Row(2, "verify fixtures/example.npz --loss rs,,ap"),
    Row(2, "verify fixtures/example.npz --loss ''"),
    Row(2, "verify fixtures/example.npz --loss rs,xyz"),
    Row(2, "verify fixtures/example.npz --method exact,bogus"),
    Row(2, "verify fixtures/example.npz --method ,"),
    Row(2, "verify fixtures/example.npz --rtol nan"),
    Row(2, "verify fixtures/example.npz --rtol=-1"),
    Row(2, "verify fixtures/example.npz --atol inf"),
    Row(2, "verify fixtures/example.npz --atol 1e400"),
    Row(2, "verify fixtures/example.npz --ref-delta nan"),
    Row(2, "verify fixtures/example.npz --naive sometimes"),
    Row(2, "verify fixtures/example.npz --junit $T"),
    Row(2, "verify fixtures/example.npz --junit /proc/x.xml"),
    Row(2, "verify fixtures/example.npz --junit $T/missing/x.xml"),
    Row(2, "verify fixtures/example.npz --junit /dev/null"),
    Row(2, "verify fixtures/example.npz --record --db $T"),
    Row(2, "verify fixtures/example.npz --record --db /proc/x.sqlite"),
    Row(2, "verify fixtures/example.npz --record --db $T/missing/x.sqlite"),
    Row(2, "verify fixtures/example.npz --record --db /dev/zero"),
    Row(2, "verify fixtures/example.npz --db $T/x.sqlite"),
    Row(2, "verify $T/missing.npz --record --db $T/x.sqlite"),
    Row(2, "verify /dev/zero"),
    Row(2, "verify $T"),
    Row(2, "verify /proc/self/status --record --db $T/v.sqlite"),
    Row(2, "bench --no-record --neg 1e12"),
    Row(2, "bench --no-record --pos 1e12"),
    Row(2, "bench --no-record --neg 2e9"),
    Row(2, "bench --no-record --neg 1e9"),
    Row(2, "bench --no-record --neg 1e16"),
    Row(2, "bench --no-record --neg 1e400"),
    Row(2, "bench --no-record --neg nan"),
    Row(2, "bench --no-record --neg inf"),
    Row(2, "bench --no-record --neg=-1"),
    Row(2, "bench --no-record --neg 1.5"),
    Row(2, "bench --no-record --neg ''"),
    Row(2, "bench --no-record --neg 1,,2"),
    Row(2, "bench --no-record --neg 1e6..1e3"),
    Row(2, "bench --no-record --neg 0..10"),
    Row(2, "bench --no-record --neg 1.."),
    Row(2, "bench --no-record --pos 0"),
    Row(2, "bench --no-record --repeats 1e12"),
    Row(2, "bench --no-record --repeats 0"),
    Row(2, "bench --no-record --repeats nan"),
    Row(2, "bench --no-record --repeats=-1"),
    Row(2, "bench --no-record --warmup 1e12"),
    Row(2, "bench --no-record --warmup=-1"),
    Row(2, "bench --no-record --images 1e12"),
    Row(2, "bench --no-record --images 0"),
    Row(2, "bench --no-record --pos 2 --neg 100 --images 200"),
    Row(2, "bench --no-record --steps-per-decade 1e9"),
    Row(2, "bench --no-record --steps-per-decade 0"),
    Row(2, "bench --no-record --steps-per-decade 1001"),
    Row(2, "bench --no-record --budget 0"),
    Row(2, "bench --no-record --budget=-1"),
    Row(2, "bench --no-record --budget nan"),
    Row(2, "bench --no-record --budget inf"),
    Row(2, "bench --no-record --budget ''"),
    Row(2, "bench --no-record --seed 1e16"),
    Row(2, "bench --no-record --seed 1.5"),
    Row(2, "bench --no-record --seed nan"),
    Row(2, "bench --no-record --overlap nan"),
    Row(2, "bench --no-record --overlap inf"),
    Row(2, "bench --no-record --delta nan"),
    Row(2, "bench --no-record --delta=-1"),
    Row(2, "bench --no-record --delta 1e400"),
    Row(2, "bench --no-record --loss rs,,ap"),
    Row(2, "bench --no-record --loss xyz"),
    Row(2, "bench --no-record --method floor,bogus"),
    Row(2, "bench --db $T"),
    Row(2, "bench --db /proc/x.sqlite"),
    Row(2, "bench --db $T/missing/b.sqlite"),
    Row(2, "bench --db /dev/null"),
    Row(2, "bench --db $T/plain.txt"),
    Row(
      0,
      "bench --no-record --pos 2 --neg 100 --repeats 1 --warmup 0 --method floor,exact --loss rs,ap"
    ),
    Row(
      0,
      "bench --no-record --pos 2 --neg 10..1e3 --steps-per-decade 2 --repeats 1 --warmup 0 --method floor --budget none"
    ),
    Row(
      0,
      "bench --no-record --pos 2 --neg 100 --repeats 1 --warmup 0 --method exact --delta 1e19 --overlap=-1"
    ),
    Row(
      0,
      "bench --no-record --pos 2 --neg 100 --repeats 1 --warmup 0 --method exact --delta 5e-324 --seed 1e15"
    ),
    Row(
      0,
      "bench --no-record --pos 2 --neg 100 --repeats 1 --warmup 0 --method exact --images 3 --json"),
    Row(0, "bench --db $T/b.sqlite --pos 2 --neg 100 --repeats 1 --warmup 0 --method floor"),
    Row(0, "report --db $DB"),
    Row(0, "report latest --db $DB"),
    Row(0, "report 1 --db $DB --json"),
    Row(0, "report --parity --db $DB --limit 5"),
    Row(0, "report --baseline $BASE --db $DB"),
    Row(2, "report 999 --db $DB"),
    Row(2, "report 0 --db $DB"),
    Row(2, "report abc --db $DB"),
    Row(2, "report 1e3 --db $DB"),
    Row(2, "report ''"),
    Row(2, "report --compare 999 --db $DB"),
    Row(2, "report --compare abc --db $DB"),
    Row(2, "report --compare 1 --fail-if-slower nan --db $DB"),
    Row(2, "report --compare 1 --fail-if-slower=-10% --db $DB"),
    Row(2, "report --compare 1 --fail-if-slower '' --db $DB"),
    Row(2, "report --compare 1 --fail-if-slower inf% --db $DB"),
    Row(2, "report --compare 1 --fail-if-slower 10%% --db $DB"),
    Row(2, "report --baseline $T --db $DB"),
    Row(2, "report --baseline /dev/zero --db $DB"),
    Row(2, "report --baseline /proc/self/status --db $DB"),
    Row(2, "report --baseline $T/missing.json --db $DB"),
    Row(2, "report --baseline fixtures/example.npz --db $DB"),
    Row(2, "report --compare 1 --junit $T --db $DB"),
    Row(2, "report --compare 1 --junit /proc/x.xml --db $DB"),
    Row(2, "report --compare 1 --junit $T/missing/x.xml --db $DB"),
    Row(2, "report --db $T"),
    Row(2, "report --db /dev/zero"),
    Row(2, "report --db /proc/self/status"),
    Row(2, "report --db $T/missing.sqlite"),
    Row(2, "report --db fixtures/example.npz"),
    Row(2, "report --parity --limit 1e12 --db $DB"),
    Row(2, "report --parity --limit 0 --db $DB"),
    Row(2, "report --parity --limit nan --db $DB"),
    Row(2, "report --limit 5 --db $DB"),
    Row(2, "loss $T/fifo"),
    Row(2, "loss $T/fifo --format raw --layout planar"),
    Row(2, "verify $T/fifo --json"),
    Row(2, "verify $T/fifo --record --db $T/x.sqlite"),
    Row(2, "verify /dev/zero --record --db $T/x.sqlite"),
    Row(2, "verify $T fixtures/example.npz --naive off --loss rs --json"),
    Row(2, "loss fixtures/example.npz --targets $T/fifo"),
    Row(2, "loss fixtures/example.npz --out $T/fifo"),
    Row(2, "loss fixtures/example.npz --targets $T/zero-link"),
    Row(2, "loss $T/zero-link"),
    Row(2, "report --db $DB --baseline $T/fifo"),
    Row(
      2, "bench --no-record --pos 2 --neg 100 --repeats 1 --warmup 0 --method floor --db $T/fifo"),
  ]

  /// The database and baseline the report rows read (never written by a row).
  static let fixture: (db: String, baseline: String) = {
    let folder = (try? BRLProcess.temporaryDirectory().path) ?? NSTemporaryDirectory()
    let db = folder + "/bench.sqlite"
    let bench = [
      "bench", "--db", db, "--pos", "2", "--neg", "100", "--repeats", "1", "--warmup", "0",
      "--method", "floor",
    ]
    _ = try? BRLProcess.run(bench)
    _ = try? BRLProcess.run(bench)
    let baseline = folder + "/base.json"
    if let export = try? BRLProcess.run(["report", "1", "--db", db, "--json"]) {
      try? Data(export.stdout.utf8).write(to: URL(fileURLWithPath: baseline))
    }
    return (db, baseline)
  }()

  @Test func theTableIsWide() {
    #expect(Self.rows.count >= 100)
    for command in ["loss", "verify", "bench", "report"] {
      #expect(Self.rows.filter { $0.line.hasPrefix(command + " ") }.count >= 15)
    }
  }

  @Test(arguments: rows)
  func exitsAsExpected(_ row: Row) throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data("x\n".utf8).write(to: folder.appendingPathComponent("plain.txt"))
    // A FIFO (opening it for reading would wait for a writer) and a link to /dev/zero.
    #expect(mkfifo(folder.appendingPathComponent("fifo").path, 0o644) == 0)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("zero-link").path, withDestinationPath: "/dev/zero")
    let arguments = row.line.split(separator: " ").map { word -> String in
      word == "''"
        ? ""
        : String(word).replacingOccurrences(of: "$T", with: folder.path)
          .replacingOccurrences(of: "$DB", with: Self.fixture.db)
          .replacingOccurrences(of: "$BASE", with: Self.fixture.baseline)
    }
    let before = try Self.listing(folder)
    let run = try BRLProcess.run(
      arguments,
      environment: ["BRL_DB": folder.path + "/default.sqlite", "XDG_DATA_HOME": folder.path])
    #expect(!run.signalled, "signal \(run.status): \(run.stderr)")
    #expect(run.status == row.status, "\(run.stderr)")
    if row.status == 2 {
      let lines = run.stderr.split(separator: "\n")
      #expect(lines.first?.hasPrefix("brl: error: ") == true, "\(run.stderr)")
      // Only brl's own lines: no usage or help block.
      #expect(lines.allSatisfy { $0.hasPrefix("brl: ") }, "\(run.stderr)")
      // A refused option value is one line, naming the option and the value.
      if run.stderr.contains("is invalid for '") {
        #expect(lines.count == 1, "\(run.stderr)")
      }
      #expect(try Self.listing(folder) == before, "a refused command wrote a file")
    }
  }

  /// Every file under `folder` with its size and modification time.
  static func listing(_ folder: URL) throws -> [String] {
    let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
    let files =
      FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys)?
      .compactMap { $0 as? URL } ?? []
    return try files.map { url in
      let values = try url.resourceValues(forKeys: Set(keys))
      return
        "\(url.path) \(values.fileSize ?? -1) \(values.contentModificationDate?.timeIntervalSince1970 ?? 0)"
    }.sorted()
  }
}

import ArgumentParser
import BRLBench
import BRLFormat
import Foundation

/// `brl report`: lists recorded runs, shows one as tables and charts, exports it, or compares two
/// runs (or a run and an exported baseline) point by point.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "List, show, export and compare recorded benchmark runs.",
    discussion: """
        brl report                   list the runs, newest first
        brl report RUN               show run RUN (an id, or 'latest') like bench
        brl report RUN --json        export it (also --csv, --markdown)
        brl report --compare BASE [RUN]
                                     compare RUN (default: the newest other run)
                                     with BASE
        brl report --baseline FILE.json [RUN]
                                     compare with a run exported by --json (e.g.
                                     kept in CI)
        brl report --compare BASE --fail-if-slower 10% --junit bench.xml
                                     also write the comparison as JUnit XML
        brl report --parity [--json] list the comparisons recorded by
                                     `brl verify --record`, newest first
                                     (--limit N for the newest N)

      A comparison matches points on (loss, method, δ, P, N) and shows the ratio of the min and \
      of the median times. With --fail-if-slower 10%, brl exits 1 if a matched point's min time \
      (min of repeats) is more than 10% slower than the base's. Points whose repeats spread more \
      than 10% of their median (stddev, or median − min) are named as noisy. --junit FILE \
      writes a test case per matched point, failed when slower than --fail-if-slower allows \
      (written atomically, also when brl exits 1).

      A run whose process is gone (killed, crashed) is shown as interrupted; its measured points \
      are kept. brl report opens the database read-only: it never creates or changes a file.

      Exit codes: 0 success, 1 slower than allowed, 2 missing or unusable database, run or \
      baseline.
      """
  )

  @Argument(
    help: ArgumentHelp("A run id or 'latest'.", valueName: "run"),
    transform: RunSelector.init(parsing:))
  var runText: RunSelector?

  @Option(
    help: "Compare with this base run (an id or 'latest').", transform: RunSelector.init(parsing:))
  var compare: RunSelector?

  @Option(
    help: "Compare with a run exported by `--json` (a file).", transform: InputFile.init(parsing:))
  var baseline: InputFile?

  @Option(
    help: "With a comparison: exit 1 if a point's min time is slower by more than this (e.g. 10%).",
    transform: Parse.percentage)
  var failIfSlower: Double?

  @Option(
    help: "The benchmark database (default: $BRL_DB or $XDG_DATA_HOME/brl/bench.sqlite).",
    transform: DatabaseFile.init(parsing:))
  var db: DatabaseFile?

  @Option(
    help: ArgumentHelp(
      "With a comparison: also write it as JUnit XML to this file, for CI.", valueName: "file"),
    transform: OutputFile.init(parsing:))
  var junit: OutputFile?

  @Flag(help: "Export as JSON.")
  var json = false

  @Flag(help: "Export as CSV.")
  var csv = false

  @Flag(help: "Export as Markdown.")
  var markdown = false

  @Flag(help: "Add a table with every statistic of every measurement.")
  var details = false

  @Flag(help: "List the comparisons recorded by `brl verify --record`, newest first.")
  var parity = false

  /// The most parity rows --limit asks for.
  static let maxLimit = 1_000_000_000

  @Option(
    help: "With --parity: show only the newest N comparisons.",
    transform: Parse.count(atMost: maxLimit, "--limit"))
  var limit: Int?

  func validate() throws {
    if parity && (runText != nil || compare != nil || baseline != nil || csv || markdown) {
      throw ValidationError("--parity lists the parity rows; it takes only --json and --limit")
    }
    if limit != nil && !parity { throw ValidationError("--limit goes with --parity") }
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    if [json, csv, markdown].filter({ $0 }).count > 1 {
      throw ValidationError("choose one of --json, --csv and --markdown")
    }
    if compare != nil && baseline != nil {
      throw ValidationError("choose one of --compare and --baseline")
    }
    if failIfSlower != nil && compare == nil && baseline == nil {
      throw ValidationError("--fail-if-slower needs --compare or --baseline")
    }
    if junit != nil && compare == nil && baseline == nil {
      throw ValidationError("--junit needs --compare or --baseline")
    }
  }

  func run() throws {
    if parity {
      try listParity()
    } else if compare != nil || baseline != nil {
      try runComparison()
    } else if let runText {
      try show(runText)
    } else {
      try list()
    }
  }

  private func openStore() throws -> BenchStore {
    try BenchStore(path: db?.path ?? BenchStore.defaultPath(), mode: .readOnly)
  }

  private func listParity() throws {
    let store = try openStore()
    let records = try store.parityRecords(limit: limit)
    if json {
      struct ParityList: Encodable { var parity: [ParityRecord] }
      print(try JSONFormat.string(ParityList(parity: records), pretty: true), terminator: "")
      return
    }
    if records.isEmpty {
      print("No parity results in \(store.path) (record some with `brl verify --record`).")
      return
    }
    func number(_ value: Double?) -> String { value.map(Format.scientific) ?? "nan" }
    var table = TextTable(columns: [
      .init("id"), .init("recorded", .left), .init("input", .left), .init("fnv1a64/size", .left),
      .init("loss", .left), .init("δ"), .init("method", .left), .init("vs", .left),
      .init("|Δloss|"), .init("max |Δgrad|"), .init("rel"), .init("verdict", .left),
    ])
    for r in records {
      table.append([
        r.id.map(String.init) ?? "-", BenchReport.timestamp(r.createdAt), r.inputPath,
        r.inputHash + (r.inputSize.map { "/\($0)" } ?? ""), r.loss, Format.number(r.delta),
        r.methodA, r.methodB, number(r.lossAbsDiff), number(r.maxAbsDiff), number(r.maxRelDiff),
        r.verdict,
      ])
    }
    print(table.text(), terminator: "")
  }

  private func list() throws {
    let store = try openStore()
    let runs = try store.runs()
    if json {
      print(try BenchDocument.jsonString(runs.map(\.run)), terminator: "")
      return
    }
    if csv || markdown {
      throw ReportError(
        description: "the run list is text or --json; pass a run id to export a run")
    }
    if runs.isEmpty {
      print("No runs in \(store.path).")
      return
    }
    print(
      BenchReport.runList(runs, currentHost: MachineInfo.current(lookUpGitCommit: false).hostName)
        .text(), terminator: "")
  }

  private func show(_ selector: RunSelector) throws {
    let store = try openStore()
    let document = try store.document(runID: try store.resolve(selector))
    if json {
      print(try document.jsonString(), terminator: "")
    } else if csv {
      print(CSVExporter.csv(document.measurements, runID: document.run.id), terminator: "")
    } else if markdown {
      print("```text\n" + BenchReport.header(document.run) + "```\n")
      print(
        BenchReport(measurements: document.measurements, details: details).render(.markdown),
        terminator: "")
    } else {
      print(BenchReport.header(document.run))
      print(
        BenchReport(measurements: document.measurements, details: details).render(), terminator: "")
    }
  }

  private func runComparison() throws {
    if json || csv {
      throw ReportError(description: "a comparison is text or --markdown")
    }
    let threshold = failIfSlower
    let base: BenchDocument
    let store: BenchStore
    if let baseline = baseline?.path {
      let data: Data
      do { data = try Data(contentsOf: URL(fileURLWithPath: baseline)) } catch {
        throw ReportError(description: "cannot read the baseline \(baseline)")
      }
      do { base = try BenchDocument(json: data) } catch {
        throw ReportError(description: "\(baseline) is not a run exported by --json (\(error))")
      }
      store = try openStore()
    } else {
      store = try openStore()
      base = try store.document(runID: try store.resolve(compare ?? .latest))
    }
    let candidateID: Int64
    if let runText {
      candidateID = try store.resolve(runText)
    } else {
      do {
        candidateID = try store.latestRun(excluding: baseline == nil ? base.run.id : nil).id!
      } catch BenchStoreError.noRuns {
        throw ReportError(description: "no other run to compare with; run `brl bench` first")
      }
    }
    let candidate = try store.document(runID: candidateID)

    let comparison = Comparison(base: base.measurements, candidate: candidate.measurements)
    let verdict = threshold.map { comparison.verdict(failIfSlower: $0) }
    let baseName =
      baseline.map { "baseline \($0.path) (run \(base.run.id.map(String.init) ?? "-"))" }
      ?? "base run \(base.run.id.map(String.init) ?? "-")"
    let title = "Run \(candidateID) compared with \(baseName)"
    let table = comparison.table(threshold: threshold)
    if markdown {
      print(
        "### \(title)\n\n" + table.markdown() + "\n" + comparison.summary(verdict: verdict),
        terminator: "")
    } else {
      print(
        title + "\n\n" + table.text() + "\n" + comparison.summary(verdict: verdict), terminator: "")
    }
    if base.run.buildConfiguration != candidate.run.buildConfiguration
      || base.run.hostName != candidate.run.hostName
    {
      printNote(
        "note: the runs differ in build or host (\(base.run.buildConfiguration) on "
          + "\(base.run.hostName) vs \(candidate.run.buildConfiguration) on \(candidate.run.hostName))"
      )
    }
    if let junit {
      try comparison.junit(
        name: title, threshold: threshold,
        hostname: MachineInfo.current(lookUpGitCommit: false).hostName
      )
      .write(to: junit.path)
    }
    if let verdict, !verdict.passed { throw ExitCode(1) }
  }
}

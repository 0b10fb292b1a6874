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
    discussion: discussion
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

  func openStore() throws -> BenchStore {
    try BenchStore(path: db?.path ?? BenchStore.defaultPath(), mode: .readOnly)
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

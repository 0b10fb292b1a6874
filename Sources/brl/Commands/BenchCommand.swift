import ArgumentParser
import BRLBench
import BRLFormat
import Foundation
import RankingLosses

/// `brl bench`: times the losses on synthetic data, prints tables, charts and exponents, and
/// records the run in the benchmark database.
///
/// The command only parses options, wires the runner to the terminal, the store and Ctrl-C, and
/// prints; measuring, storing and formatting live in BRLBench.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Time the losses (naive, bucketed, exact) on synthetic data and record the run.",
    discussion: discussion
  )

  @Option(
    help: "Losses: rs, ap, alrp or all, comma-separated (default: rs).",
    transform: ItemList<LossKind>.init(parsing:))
  var loss = ItemList<LossKind>([.rs], description: "rs")

  @Option(
    name: .customLong("method"),
    help:
      "Methods, comma-separated or repeated (default: floor,naive,bucketed,exact; floor is always included).",
    transform: ItemList<BenchMethod>.init(parsing:))
  var methods: [ItemList<BenchMethod>] = []

  @Option(
    name: .customLong("pos"),
    help: "Values of P, the number of positives (list or range; default: 10,100,1000).",
    transform: CountGrid.init(parsing:))
  var positives = try! CountGrid(parsing: "10,100,1000")

  @Option(
    name: .customLong("neg"),
    help: "Values of N, the number of negatives (list or range; default: 1e4,1e5,1e6).",
    transform: CountGrid.init(parsing:))
  var negatives = try! CountGrid(parsing: "1e4,1e5,1e6")

  @Option(
    help: "Grid points per factor of 10 in a range a..b (default: 1).",
    transform: Parse.count(atMost: CountGrid.maxStepsPerDecade, "--steps-per-decade"))
  var stepsPerDecade: Int = 1

  @Option(
    help: ArgumentHelp(
      "δ for every loss (default: each loss's official δ: "
        + LossKind.allCases.map {
          "\($0.displayName) \(Format.number($0.defaultDelta))"
        }
        .joined(separator: ", ") + ")."),
    transform: Parse.nonNegative)
  var delta: Double?

  @Option(
    help: "Timed evaluations per point (default: 5).",
    transform: Parse.count(atMost: BenchPlan.maxRepeats, "--repeats"))
  var repeats: Int = 5

  @Option(
    help: "Untimed evaluations per point before the timed ones (default: 1).",
    transform: Parse.count(atMost: BenchPlan.maxRepeats, "--warmup"))
  var warmup: Int = 1

  @Option(help: "Seed of the synthetic data (default: 1).", transform: Parse.seed)
  var seed: UInt64 = 1

  @Option(
    help:
      "Shift of the negatives' logits towards the positives (default: 0; --overlap=-1 below 0).",
    transform: Parse.real)
  var overlap: Double = 0

  @Option(
    help: "Spread the examples over this many images and time both groupings (batch, image).",
    transform: Parse.count(atMost: 1 << 31, "--images"))
  var images: Int?

  @Option(
    help: "Seconds a point may take; 'none' for no limit (default: 30).",
    transform: Budget.init(parsing:))
  var budget = Budget(seconds: 30)

  @Option(
    help: "The benchmark database (default: $BRL_DB or $XDG_DATA_HOME/brl/bench.sqlite).",
    transform: OutputFile.init(parsing:))
  var db: OutputFile?
  @Flag(help: "Do not record the run.")
  var noRecord = false

  @Flag(help: "Print the run as JSON instead of tables.")
  var json = false

  @Flag(help: "Print the measurements as CSV instead of tables.")
  var csv = false

  @Flag(help: "Add a table with every statistic of every measurement.")
  var details = false

  func validate() throws {
    if json && csv { throw ValidationError("choose one of --json and --csv") }
    // The plan is checked in full (sizes against memory included) before anything is written.
    try plan().validate()
  }

  func run() throws {
    let plan = try plan()
    var run = RunRecord(
      machine: .current(lookUpGitCommit: !noRecord), brlVersion: BRLVersion.string,
      commandLine: BenchTerminal.commandLine, seed: Int(clamping: plan.seed),
      overlap: plan.overlap)
    let store = noRecord ? nil : try BenchStore(path: db?.path ?? BenchStore.defaultPath())
    if let store { run = try store.beginRun(run) }

    let interrupt = BenchInterrupt()
    interrupt.install()
    let started = Date()
    let outcome: BenchOutcome
    do {
      outcome = try BenchRunner(plan: plan).run(
        isCancelled: { interrupt.isRequested },
        onEvent: { event in
          if let text = BenchTerminal.progress(event) { BenchTerminal.status(text) }
        },
        record: { measurement in
          if let store, let id = run.id { try store.record(measurement, runID: id) }
        })
    } catch {
      BenchTerminal.clearStatus()
      if let store, let id = run.id { try? store.finishRun(id, status: .failed) }
      throw error is BenchStoreError ? error : MeasurementFailed(error: error)
    }
    BenchTerminal.clearStatus()

    run.status = outcome.interrupted ? .interrupted : .complete
    run.finishedAt = Date()
    if let store, let id = run.id, let finished = run.finishedAt {
      try store.finishRun(id, status: run.status, at: finished)
    }

    if json {
      print(
        try BenchDocument(run: run, measurements: outcome.measurements).jsonString(), terminator: ""
      )
    } else if csv {
      print(CSVExporter.csv(outcome.measurements, runID: run.id), terminator: "")
    } else {
      if run.id != nil { print(BenchReport.header(run)) }
      print(
        BenchReport(measurements: outcome.measurements, skipped: outcome.skipped, details: details)
          .render(), terminator: "")
    }

    BenchTerminal.printError(
      summary(outcome, run: run, store: store, seconds: Date().timeIntervalSince(started)))
    if outcome.interrupted { throw ExitCode(130) }
  }

  /// The plan the options describe (checked by ``BenchPlan/validate(physicalMemory:)``).
  private func plan() throws -> BenchPlan {
    // The floor row is always measured: every table compares against it.
    var methodList = methods.flatMap(\.items)
    if !methodList.isEmpty && !methodList.contains(.floor) { methodList.insert(.floor, at: 0) }
    return BenchPlan(
      losses: loss.items, methods: methodList.isEmpty ? BenchMethod.all : methodList,
      positives: try positives.values(stepsPerDecade: stepsPerDecade),
      negatives: try negatives.values(stepsPerDecade: stepsPerDecade),
      delta: delta, repeats: repeats, warmup: warmup, seed: seed, overlap: overlap,
      budget: budget.seconds, images: images)
  }

  private func summary(_ outcome: BenchOutcome, run: RunRecord, store: BenchStore?, seconds: Double)
    -> String
  {
    var text =
      "brl bench: \(outcome.measurements.count) point"
      + (outcome.measurements.count == 1 ? "" : "s") + " measured"
    if !outcome.skipped.isEmpty { text += ", \(outcome.skipped.count) skipped (budget)" }
    text += " in \(Format.time(seconds))"
    if outcome.interrupted { text += ", interrupted" }
    if let store, let id = run.id {
      text += "; run \(id) recorded in \(store.path)"
    } else {
      text += "; not recorded"
    }
    return text + "."
  }
}

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
    discussion: """
      Every combination of loss, method, P (positives) and N (negatives) is a point. Each point \
      is evaluated --warmup times untimed, then --repeats times timed; brl reports the median, \
      min, max and standard deviation of the wall time, the relevant negatives and buckets, the \
      throughput and the peak RSS. The "floor" method is one pass that reads the logits and \
      targets and writes a gradient: the memory-bandwidth floor under every method.

      Counts accept 1e6, 1_000_000 and 1M (also k, G). --neg and --pos take lists (1e4,1e5) \
      and ranges: 1e3..1e7 is a log grid with --steps-per-decade points per decade.

      Synthetic data (deterministic for --seed, generated once per P and N, not timed): \
      \(SyntheticData.modelDescription) --overlap moves the negatives up.

      --images K spreads the examples over K images (contiguous runs, each image's logits \
      shifted by its own offset ~ N(0, 1)) and times every method twice: ranked over the batch \
      (the official loss) and per image (--group image of brl loss); the tables show both side \
      by side, the per-image time with its ratio to the batch time.

      Budget: a point whose time, predicted from the points already measured, exceeds --budget \
      seconds (warm-ups and repeats together) is skipped and shown as "skipped"; a point that \
      overruns stops after the repeat that crossed it. So naive never makes a sweep hang.

      The run is recorded (unless --no-record) in --db, else $BRL_DB, else \
      $XDG_DATA_HOME/brl/bench.sqlite, else ~/.local/share/brl/bench.sqlite; each point is \
      committed as soon as it is measured. Ctrl-C keeps what was measured, marks the run \
      interrupted and exits 130 (press it twice to stop at once). See `brl report`.

      --json prints {"run": {...}, "measurements": [{"loss", "method", "delta", "positives", \
      "negatives", "relevant_negatives", "buckets", "repeats", "median_s", "min_s", "max_s", \
      "stddev_s", "peak_rss_bytes", "group", "images"}, ...]} (times in seconds). Peak RSS is VmHWM, reset before \
      each point; it includes the input arrays.

      Progress is shown on stderr when it is a terminal; a summary line is always printed there.
      """
  )

  @Option(help: "The loss: rs, ap, alrp or all.")
  var loss: String = "rs"

  @Option(
    name: .customLong("method"),
    help:
      "Methods, comma-separated or repeated (default: floor,naive,bucketed,exact; floor is always included)."
  )
  var methods: [String] = []

  @Option(name: .customLong("pos"), help: "Values of P, the number of positives.")
  var positives: String = "10,100,1000"

  @Option(name: .customLong("neg"), help: "Values of N, the number of negatives (list or range).")
  var negatives: String = "1e4,1e5,1e6"

  @Option(help: "Grid points per factor of 10 in a range a..b.")
  var stepsPerDecade: Int = 1

  @Option(
    help: ArgumentHelp(
      "δ for every loss (default: each loss's official δ: "
        + LossKind.allCases.map {
          "\($0.displayName) \(Format.number($0.defaultDelta))"
        }
        .joined(separator: ", ") + ")."))
  var delta: Double?

  @Option(help: "Timed evaluations per point.")
  var repeats: Int = 5

  @Option(help: "Untimed evaluations per point before the timed ones.")
  var warmup: Int = 1

  @Option(help: "Seed of the synthetic data.")
  var seed: String = "1"

  @Option(help: "Shift of the negatives' logits towards the positives (use --overlap=-1 below 0).")
  var overlap: Double = 0

  @Option(
    help: "Spread the examples over this many images and time both groupings (batch, image).")
  var images: Int?

  @Option(help: "Seconds a point may take; 'none' for no limit.")
  var budget: String = "30"

  @Option(help: "The benchmark database (default: $BRL_DB or $XDG_DATA_HOME/brl/bench.sqlite).")
  var db: String?

  @Flag(help: "Do not record the run.")
  var noRecord = false

  @Flag(help: "Print the run as JSON instead of tables.")
  var json = false

  @Flag(help: "Print the measurements as CSV instead of tables.")
  var csv = false

  @OptionGroup var html: HTMLOption

  @Flag(help: "Add a table with every statistic of every measurement.")
  var details = false

  func validate() throws {
    if json && csv { throw ValidationError("choose one of --json and --csv") }
  }

  func run() throws {
    try html.check()
    let plan: BenchPlan
    do {
      plan = try makePlan()
      try plan.validate()
    } catch {
      printError("\(error)")
      throw ExitCode(2)
    }

    let store: BenchStore?
    var run = RunRecord(
      machine: .current(lookUpGitCommit: !noRecord), brlVersion: BRLVersion.string,
      commandLine: BenchTerminal.commandLine, seed: Int(plan.seed), overlap: plan.overlap)
    do {
      store = noRecord ? nil : try BenchStore(path: db ?? BenchStore.defaultPath())
      if let store { run = try store.beginRun(run) }
    } catch {
      printError("\(error)")
      throw ExitCode(2)
    }

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
      printError("\(error)")
      throw ExitCode(error is BenchStoreError ? 2 : 1)
    }
    BenchTerminal.clearStatus()

    run.status = outcome.interrupted ? .interrupted : .complete
    run.finishedAt = Date()
    if let store, let id = run.id {
      do { try store.finishRun(id, status: run.status, at: run.finishedAt!) } catch {
        printError("\(error)")
        throw ExitCode(2)
      }
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
    let page = BenchPage(run: run, measurements: outcome.measurements, skipped: outcome.skipped)
    let wrote = html.write(
      page.html(
        title: "brl bench" + (run.id.map { ": run \($0)" } ?? ""),
        interrupted: outcome.interrupted))
    if outcome.interrupted { throw ExitCode(130) }
    if !wrote { throw ExitCode(2) }
  }

  private func makePlan() throws -> BenchPlan {
    let losses: [LossKind]
    if loss == "all" {
      losses = LossKind.allCases
    } else if let kind = LossKind(rawValue: loss) {
      losses = [kind]
    } else {
      throw BenchPlan.Error(description: "unknown loss '\(loss)' (rs, ap, alrp or all)")
    }
    // The floor row is always measured: every table compares against it.
    var methodNames = methods.flatMap { $0.split(separator: ",").map(String.init) }
    if !methodNames.isEmpty && !methodNames.contains(BenchMethod.floor.rawValue) {
      methodNames.insert(BenchMethod.floor.rawValue, at: 0)
    }
    let budgetSeconds: Double? = budget == "none" ? nil : try NumberParsing.real(budget)
    let seedValue = try NumberParsing.count(seed)
    return BenchPlan(
      losses: losses,
      methods: methodNames.isEmpty ? BenchMethod.all : methodNames.map(BenchMethod.init(rawValue:)),
      positives: try NumberParsing.counts(positives, stepsPerDecade: stepsPerDecade),
      negatives: try NumberParsing.counts(negatives, stepsPerDecade: stepsPerDecade),
      delta: delta, repeats: repeats, warmup: warmup, seed: UInt64(seedValue), overlap: overlap,
      budget: budgetSeconds, images: images)
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

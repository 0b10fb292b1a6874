import ArgumentParser
import BRLBench
import BRLData
import Foundation
import RankingLosses

/// `brl verify`: does every method give the loss and gradient it should, on these dumps?
struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check that the naive, bucketed and exact losses agree where they must.",
    discussion: discussion)

  @Argument(help: "The dumps to check.")
  var inputs: [String]

  @OptionGroup var inputOptions: InputOptions

  @Option(
    help: "Losses to check: rs, ap, alrp or all, comma-separated (default: all the targets allow).",
    transform: ItemList<LossKind>.init(parsing:))
  var loss: ItemList<LossKind>?

  @Option(
    help: "Deltas to check, comma-separated (default: 0 and the loss's default).",
    transform: ItemList<Double>.init(parsing:))
  var delta: ItemList<Double>?

  @Option(
    help: "Methods to compare, comma-separated (default: naive,bucketed,exact).",
    transform: ItemList<RankingLosses.Method>.init(parsing:))
  var method: ItemList<RankingLosses.Method>?

  @Option(
    help: ArgumentHelp(
      "How to run the O(P*N) naive definition: auto, full, sample or off.",
      discussion: """
        full: naive in full, the reference. off: exact (equal to naive) is the reference. \
        sample: like off, plus the definition term by term on a sample (FP of >= 64 positives \
        over all negatives, gradients of >= 4096 negatives from all positives) against each \
        fast method. auto: full when P x relevant negatives x naive evaluations <= 1e10, \
        else sample.
        """))
  var naive: NaiveMode = .auto

  @Option(
    help: ArgumentHelp(
      "batch (the official loss) or image: every check on the per-image results, and how far "
        + "they are from the batch ones (reported). image needs image ids (image_ids key or "
        + "field, or --image-ids FILE.npy); a naive sample is then taken in every image with "
        + "positives."))
  var group: Grouping = .batch

  @Flag(help: "The same as --naive off.")
  var skipNaive = false

  @Flag(help: "Also fail on the reported (informational) differences.")
  var strict = false

  @Option(
    help: "Relative tolerance (numpy.allclose; default: 1e-05).", transform: Parse.nonNegative)
  var rtol: Double = 1e-5

  @Option(
    help: "Absolute tolerance (numpy.allclose; default: 1e-08).", transform: Parse.nonNegative)
  var atol: Double = 1e-8

  @Option(help: "The method that produced ref_loss/ref_grad.")
  var refMethod: RankingLosses.Method = .bucketed

  @Option(help: "The loss that produced ref_loss/ref_grad (default: the first loss checked).")
  var refLoss: LossKind?

  @Option(
    help: "The delta that produced ref_loss/ref_grad (default: the loss's default).",
    transform: Parse.nonNegative)
  var refDelta: Double?

  @Flag(help: "Print one JSON object (schema in docs/json.md) instead of tables.")
  var json = false

  @Option(
    help: ArgumentHelp(
      "Also write the checks as JUnit XML to this file, for CI (a suite per input).",
      valueName: "file"),
    transform: OutputFile.init(parsing:))
  var junit: OutputFile?

  @Flag(help: "Record the comparisons in the benchmark database (all or none).")
  var record = false

  @OptionGroup var html: HTMLOption

  @Option(
    help: "With --record: the database (default: $BRL_DB or $XDG_DATA_HOME/brl/bench.sqlite).",
    transform: OutputFile.init(parsing:))
  var db: OutputFile?

  func validate() throws {
    if db != nil && !record { throw ValidationError("--db goes with --record") }
    if skipNaive && naive != .auto && naive != .off {
      throw ValidationError("--skip-naive is --naive off; it cannot go with --naive \(naive)")
    }
    if inputOptions.targets != nil && inputs.count > 1 {
      throw ValidationError("--targets names the targets of one input; give one INPUT with it")
    }
  }

  /// What to check, from the options.
  var request: VerificationRequest {
    VerificationRequest(
      losses: loss?.items, deltas: delta?.items,
      methods: method?.items ?? RankingLosses.Method.allCases,
      naive: skipNaive ? .off : naive, strict: strict, rtol: rtol, atol: atol,
      storedReference: StoredReferenceSource(method: refMethod, loss: refLoss, delta: refDelta),
      grouping: group)
  }

  func run() throws {
    // Open the database first, so a bad --db fails before any long check (a new database is
    // created only when the rows are written, so a failed check leaves no file).
    let store =
      record
      ? try BenchStore(
        path: db?.path ?? BenchStore.defaultPath(),
        mode: db == nil ? .createIfMissing : .createFileOnly) : nil
    var reports: [VerifyReport.Input] = []
    var fingerprints: [String: FileFingerprint] = [:]
    var pageSections: [VerifyPage.Section] = []
    for path in inputs {
      // Hashed before reading, so the hash names the bytes that were checked.
      for file in record ? [path] + [inputOptions.targets?.path].compactMap({ $0 }) : [] {
        // Only a checked input is read (never /dev/zero or a /proc file).
        if fingerprints[file] == nil, (try? PathCheck.input(file)) != nil {
          fingerprints[file] = try? FileFingerprint(path: file)
        }
      }
      let bins = html.html == nil ? nil : GradientBins()
      let report = verify(path, gradients: bins)
      if !json { print(report.text(colour: isatty(STDOUT_FILENO) == 1)) }
      reports.append(report)
      if let bins { pageSections.append(report.pageSection(bins)) }
    }
    var status = reports.map(\.exitCode).max() ?? 0
    do {
      let count = try store?.recordVerification(
        reports.map {
          VerifiedInput(path: $0.input, checks: $0.error == nil ? $0.outcome?.checks : nil)
        },
        fingerprints: fingerprints, targetsPath: inputOptions.targets?.path, rtol: rtol,
        atol: atol, brlVersion: BRLVersion.string,
        hostName: MachineInfo.current(lookUpGitCommit: false).hostName)
      if let count, let store {
        printNote("recorded \(count) comparison\(count == 1 ? "" : "s") in \(store.path)")
      }
    } catch {
      printError("\(error)")
      status = 2
    }
    var report = VerifyReport(
      version: BRLVersion.string, rtol: rtol, atol: atol, strict: strict, exitCode: status,
      inputs: reports)
    do {
      try junit.map {
        try report.junit(hostname: MachineInfo.current(lookUpGitCommit: false).hostName)
          .write(to: $0.path)
      }
    } catch {
      printError("\(error)")
      status = 2
    }
    if !html.write(VerifyPage(sections: pageSections).html(title: "brl verify")) { status = 2 }
    report.exitCode = status
    if json { try printJSON(report) }
    if status != 0 { throw ExitCode(status) }
  }

  /// Checks one input; an unusable input becomes an error entry (reported, exit 2).
  func verify(_ path: String, gradients: GradientBins? = nil) -> VerifyReport.Input {
    var report = VerifyReport.Input(input: path)
    let showProgress = isatty(STDERR_FILENO) == 1
    do {
      let dump = try inputOptions.load(path)
      report.ignoredKeys = dump.ignoredKeys
      if let note = Verifier(request).naiveCostNote(
        count: dump.count, positives: dump.positiveCount)
      {
        printNote("\(path): \(note)")
      }
      if let note = dump.storedReference.note { printNote(note) }
      let outcome = try dump.verify(request, gradients: gradients) { step in
        if showProgress { printNote("\(path): \(step)…") }
      }
      report.counts = (outcome.count, outcome.positives)
      report.outcome = outcome
    } catch {
      report.error = BRL.failure(for: error)?.message ?? "\(path): \(error)"
    }
    // On stderr also with --json (where the entry holds it too): exit 2 always says why there.
    if let error = report.error { printError(error) }
    return report
  }
}

extension NaiveMode: ExpressibleByArgument {}

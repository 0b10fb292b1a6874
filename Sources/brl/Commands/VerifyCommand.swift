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
    discussion: """
      For each INPUT and each loss its targets allow (rs needs IoU targets in (0,1]; alrp \
      needs reg_losses), brl computes every method at delta 0 and at the loss's default delta \
      (or the --delta values) and compares each with naive:
        required   exact = naive at every delta; bucketed = naive at delta 0
                   (for ap: in the plain variant); a ref_loss/ref_grad stored
                   in the input = the method that produced it (--ref-method,
                   --ref-loss, --ref-delta).
        reported   bucketed vs naive at delta > 0 (the bucketing
                   approximation), and bucketed AP vs naive AP (the official
                   bucketed AP does not interpolate precision).

      Naive is O(P*N). --naive auto (the default) runs it in full when P x relevant negatives \
      x naive evaluations <= 1e10, and samples it above: exact (equal to naive) becomes the \
      reference of the full comparisons, and the definition is evaluated term by term for \
      >= 64 positives (FP over all negatives) and >= 4096 negatives (gradient from all \
      positives) against each fast method; the output says "sampled". --naive \
      full|sample|off forces a mode (--skip-naive = off).

      Agreement is numpy.allclose: |a - b| <= atol + rtol*|b| for the loss and every \
      gradient element. --strict makes the reported comparisons required too.

      Exit status: 0 every required agreement holds, 1 one fails, 2 an input or usage \
      error. With several inputs every input is checked and the status is the worst.

      --record stores every comparison in the parity table of the benchmark database (--db, \
      else $BRL_DB, else $XDG_DATA_HOME/brl/bench.sqlite, else \
      ~/.local/share/brl/bench.sqlite; `brl report --parity` lists them): loss, δ, method \
      pair, differences, verdict, tolerances, and each input's path, size and FNV-1a 64 hash \
      (the hash identifies a file, it does not authenticate it). The rows are written in one \
      transaction after every input was checked: all or nothing. If an input cannot be \
      checked, or the database cannot be written, nothing is recorded (a new database is not \
      created) and brl exits 2. An explicit --db must be in an existing folder.

      --junit FILE also writes the checks as JUnit XML for CI: a test suite per input, a \
      test case per check (a failed required check is a failure, an input that cannot be \
      checked an error), written atomically, also when brl exits 1.

      Examples:
        brl verify dump.npz
        brl verify logits.npy --targets targets.npy --loss ap --delta 0,0.5,1
        brl verify fixtures/oracle/*.npz --json > parity.json
        brl verify fixtures/oracle/*.npz --junit parity.xml
        brl verify big.npz --naive full   # naive in full, even when large
        brl verify big.npz --naive off    # exact (equal to naive) as reference
        brl verify dump.npz --group image # rank each image on its own

      \(InputOptions.formatsDiscussion)
      """)

  @Argument(help: "The dumps to check.")
  var inputs: [String]

  @OptionGroup var inputOptions: InputOptions

  @Option(
    help: "Losses to check: rs, ap, alrp or all, comma-separated (default: all the targets allow).")
  var loss: String?

  @Option(help: "Deltas to check, comma-separated (default: 0 and the loss's default).")
  var delta: String?

  @Option(help: "Methods to compare, comma-separated (default: naive,bucketed,exact).")
  var method: String?

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
        + "field, or --image-ids FILE.npy); naive then runs in full or not at all."))
  var group: Grouping = .batch

  @Flag(help: "The same as --naive off.")
  var skipNaive = false

  @Flag(help: "Also fail on the reported (informational) differences.")
  var strict = false

  @Option(help: "Relative tolerance (numpy.allclose).")
  var rtol: Double = 1e-5

  @Option(help: "Absolute tolerance (numpy.allclose).")
  var atol: Double = 1e-8

  @Option(help: "The method that produced ref_loss/ref_grad.")
  var refMethod: RankingLosses.Method = .bucketed

  @Option(help: "The loss that produced ref_loss/ref_grad (default: the first loss checked).")
  var refLoss: LossKind?

  @Option(help: "The delta that produced ref_loss/ref_grad (default: the loss's default).")
  var refDelta: Double?

  @Flag(help: "Print one JSON object (schema in the README) instead of tables.")
  var json = false

  @Option(
    help: ArgumentHelp(
      "Also write the checks as JUnit XML to this file, for CI (a suite per input).",
      valueName: "file"))
  var junit: String?

  @Flag(help: "Record the comparisons in the benchmark database (all or none).")
  var record = false

  @OptionGroup var html: HTMLOption

  @Option(
    help: "With --record: the database (default: $BRL_DB or $XDG_DATA_HOME/brl/bench.sqlite).")
  var db: String?

  func validate() throws {
    if db != nil && !record { throw ValidationError("--db goes with --record") }
    if skipNaive && naive != .auto && naive != .off {
      throw ValidationError("--skip-naive is --naive off; it cannot go with --naive \(naive)")
    }
    if inputOptions.targets != nil && inputs.count > 1 {
      throw ValidationError("--targets names the targets of one input; give one INPUT with it")
    }
    guard rtol >= 0, atol >= 0, rtol.isFinite, atol.isFinite else {
      throw ValidationError("--rtol and --atol must be finite and ≥ 0")
    }
    _ = try parsedLosses()
    _ = try parsedDeltas()
    _ = try parsedMethods()
  }

  func run() throws {
    try html.check()
    // Open the database first, so a bad --db fails before any long check (a new database is
    // created only when the rows are written, so a failed check leaves no file).
    let store: BenchStore?
    do {
      store =
        record
        ? try BenchStore(
          path: db ?? BenchStore.defaultPath(), mode: db == nil ? .createIfMissing : .createFileOnly
        )
        : nil
    } catch {
      printError("\(error)")
      throw ExitCode(2)
    }
    let terminal = isatty(STDOUT_FILENO) == 1 && !json
    var reports: [VerifyReport.Input] = []
    var fingerprints: [String: FileFingerprint] = [:]
    var pageSections: [VerifyPage.Section] = []
    for path in inputs {
      if record {
        // Hashed before reading, so the hash names the bytes that were checked.
        for file in [path] + (inputOptions.targets.map { [$0] } ?? []) {
          if fingerprints[file] == nil { fingerprints[file] = try? FileFingerprint(path: file) }
        }
      }
      let bins = html.html == nil ? nil : GradientBins()
      let report = verify(path, gradients: bins)
      if !json { print(report.text(colour: terminal)) }
      reports.append(report)
      if let bins { pageSections.append(report.pageSection(bins)) }
    }
    var status = reports.map(\.exitCode).max() ?? 0
    if let store {
      if let problem = recordParity(reports, fingerprints: fingerprints, in: store) {
        printError(problem)
        status = 2
      }
    }
    if !html.write(VerifyPage(sections: pageSections).html(title: "brl verify")) { status = 2 }
    if let junit {
      let junitReport = VerifyReport(
        version: BRLVersion.string, rtol: rtol, atol: atol, strict: strict, exitCode: status,
        inputs: reports
      ).junit(hostname: MachineInfo.current(lookUpGitCommit: false).hostName)
      do { try junitReport.write(to: junit) } catch {
        printError("\(error)")
        status = 2
      }
    }
    if json {
      try printJSON(
        VerifyReport(
          version: BRLVersion.string, rtol: rtol, atol: atol, strict: strict, exitCode: status,
          inputs: reports))
    }
    if status != 0 { throw ExitCode(status) }
  }

  /// Writes the comparisons of every input in one transaction; returns why nothing was written,
  /// or nil on success.
  func recordParity(
    _ reports: [VerifyReport.Input], fingerprints: [String: FileFingerprint], in store: BenchStore
  ) -> String? {
    let unchecked = reports.filter { $0.outcome == nil || $0.error != nil }.count
    if unchecked > 0 {
      return "\(unchecked) of \(reports.count) input\(reports.count == 1 ? "" : "s") could not be "
        + "checked; nothing was recorded in \(store.path)"
    }
    let created = Date()
    let host = MachineInfo.current(lookUpGitCommit: false).hostName
    var records: [ParityRecord] = []
    for report in reports {
      guard let input = fingerprints[report.input] else {
        return "cannot read \(report.input) to hash it; nothing was recorded in \(store.path)"
      }
      let targetsPath = inputOptions.targets
      let targets = targetsPath.flatMap { fingerprints[$0] }
      if targetsPath != nil && targets == nil {
        return "cannot read \(targetsPath!) to hash it; nothing was recorded in \(store.path)"
      }
      for check in report.outcome?.checks ?? [] {
        records.append(
          ParityRecord(
            check, createdAt: created, inputPath: report.input, input: input,
            targetsPath: targetsPath, targets: targets, rtol: rtol, atol: atol,
            brlVersion: BRLVersion.string, hostName: host))
      }
    }
    do {
      try store.recordParity(records)
    } catch {
      return "\(error); nothing was recorded"
    }
    printNote(
      "recorded \(records.count) comparison\(records.count == 1 ? "" : "s") in \(store.path)")
    return nil
  }

  /// What to check, from the options.
  func request() throws -> VerificationRequest {
    VerificationRequest(
      losses: try parsedLosses(), deltas: try parsedDeltas(), methods: try parsedMethods(),
      naive: skipNaive ? .off : naive, strict: strict, rtol: rtol, atol: atol,
      storedReference: StoredReferenceSource(method: refMethod, loss: refLoss, delta: refDelta),
      grouping: group)
  }

  /// Checks one input; an unusable input becomes an error entry (reported, exit 2).
  func verify(_ path: String, gradients: GradientBins? = nil) -> VerifyReport.Input {
    var report = VerifyReport.Input(input: path)
    var loaded: Dump?
    do {
      let dump = try inputOptions.load(path)
      loaded = dump
      let request = try request()
      if group == .image { try dump.requireImageIDs() }
      if request.naive == .full && Double(dump.count) * Double(dump.positiveCount) > 2e10 {
        printNote("\(path): naive is O(P·N); this can take a while (--naive auto samples it)")
      }
      var stored: StoredReference?
      if let referenceLoss = dump.referenceLoss, let referenceGradient = dump.referenceGradient {
        stored = StoredReference(loss: referenceLoss, gradient: referenceGradient)
      } else if dump.referenceLoss != nil || dump.referenceGradient != nil {
        printNote("\(path): ref_loss and ref_grad go together; the one given is not checked")
      }
      let showProgress = isatty(STDERR_FILENO) == 1
      let outcome = try dump.withInput { input in
        try Verifier(request).run(
          input, storedReference: stored,
          progress: { step in
            if showProgress { printNote("\(path): \(step)…") }
          }, gradients: gradients)
      }
      report.counts = (outcome.count, outcome.positives)
      report.outcome = outcome
    } catch let error as DomainViolation {
      report.error = loaded.map { $0.dataError(error).description } ?? "\(path): \(error)"
    } catch let error as DataError {
      report.error = error.description
    } catch let error as RankingLossError {
      report.error = "\(path): \(error.description)"
    } catch {
      report.error = "\(path): \(error)"
    }
    if let error = report.error, !json { printError(error) }
    return report
  }

  func parsedLosses() throws -> [LossKind]? {
    guard let loss else { return nil }
    if loss == "all" { return LossKind.allCases }
    return try Self.list(loss, "--loss") { LossKind(rawValue: $0) }
  }

  func parsedDeltas() throws -> [Double]? {
    guard let delta else { return nil }
    return try Self.list(delta, "--delta") { text in
      Double(text).flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
    }
  }

  func parsedMethods() throws -> [RankingLosses.Method] {
    guard let method else { return RankingLosses.Method.allCases }
    return try Self.list(method, "--method") { RankingLosses.Method(rawValue: $0) }
  }

  /// A comma-separated list, each item parsed by `parse`; duplicates dropped, order kept.
  static func list<T: Equatable>(_ text: String, _ option: String, _ parse: (String) -> T?)
    throws -> [T]
  {
    var values: [T] = []
    for item in text.split(separator: ",", omittingEmptySubsequences: false) {
      let trimmed = item.trimmingCharacters(in: .whitespaces)
      guard let value = parse(trimmed) else {
        throw ValidationError("\(option): cannot use '\(trimmed)'")
      }
      if !values.contains(value) { values.append(value) }
    }
    return values
  }
}

extension NaiveMode: ExpressibleByArgument {}

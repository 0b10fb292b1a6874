import BRLBench
import BRLFormat
import RankingLosses

extension VerifyReport.Input {
  /// The results table, the checks table and a one-line summary. Every number goes through
  /// ``Format``; a loss difference that was not compared (sampled naive) shows as `n/a`.
  func text(colour: Bool) -> String {
    guard let outcome else { return "\(input): error" }
    let (results, checks) = tables(outcome)
    var checkLines = checks.text().split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    if colour {
      for (i, check) in outcome.checks.enumerated() where i + 2 < checkLines.count {
        let code = check.failed ? "31" : (check.requirement == .required ? "32" : "2")
        checkLines[i + 2] = "\u{1B}[\(code)m\(checkLines[i + 2])\u{1B}[0m"
      }
    }
    return
      ([headerLine(outcome)] + ignoredKeysLines(ignoredKeys) + [
        "", results.text(), checkLines.joined(separator: "\n"), summary(outcome),
      ]).joined(separator: "\n")
  }

  /// "INPUT: N 1000, 10 positive; naive: …".
  func headerLine(_ outcome: VerificationOutcome) -> String {
    "\(input): N \(counts?.n ?? 0), \(counts?.positives ?? 0) positive; "
      + Self.naiveLine(outcome.naive)
  }

  /// The results and the checks as tables (the text and the `--html` page show the same).
  func tables(_ outcome: VerificationOutcome) -> (results: TextTable, checks: TextTable) {
    var results = TextTable(columns: [
      .init("loss", .left), .init("δ"), .init("method", .left), .init("value"),
      .init("relevant neg."), .init("buckets"), .init("time"),
    ])
    for e in outcome.evaluations {
      results.append([
        e.evaluation.loss.rawValue, Format.exact(e.evaluation.delta), e.evaluation.methodLabel,
        Format.precise(e.loss), "\(e.statistics.relevantNegatives)",
        e.statistics.buckets.map(String.init) ?? "", Format.time(e.seconds),
      ])
    }
    var checks = TextTable(columns: [
      .init("loss", .left), .init("δ"), .init("method", .left), .init("vs", .left),
      .init("|Δloss|"), .init("max |Δgrad|"), .init("at"), .init("rel"), .init("verdict", .left),
      .init("why", .left),
    ])
    for check in outcome.checks {
      let c = check.comparison
      // A gradient index, or for a sampled check "FP k" (the k-th sampled positive).
      let at =
        c.maxGradientDifference > 0
        ? c.maxGradientDifferenceIndex.map { check.comparedValue($0).label } ?? "" : ""
      checks.append([
        check.subject.loss.rawValue, Format.exact(check.subject.delta), check.subject.methodLabel,
        check.reference.label, c.lossDifference.map(Format.scientific) ?? "n/a",
        Format.scientific(c.maxGradientDifference), at,
        Format.scientific(c.maxRelativeGradientDifference), CheckEntry.verdict(check),
        check.reason,
      ])
    }
    return (results, checks)
  }

  /// "INPUT: ok — 4/4 required agreements hold, 2 reported", and each failure.
  func summary(_ outcome: VerificationOutcome) -> String {
    let required = outcome.checks.filter { $0.requirement == .required }
    let failed = required.filter(\.failed)
    var summary =
      "\(input): \(failed.isEmpty ? "ok" : "FAILED") — \(required.count - failed.count)/\(required.count) required agreements hold, \(outcome.checks.count - required.count) reported"
    for check in failed {
      let index = check.firstDisagreement ?? .loss
      summary +=
        "\n  FAIL \(check.subject) vs \(check.reference.description): first disagreement at \(index)"
    }
    return summary
  }

  /// This input's section of the `--html` page.
  func pageSection(_ bins: GradientBins) -> VerifyPage.Section {
    guard let outcome else {
      return .init(
        input: input, header: "not checked", outcome: nil, error: error, results: nil,
        checks: nil, summary: nil, bins: nil)
    }
    let (results, checks) = tables(outcome)
    return .init(
      input: input, header: headerLine(outcome), outcome: outcome, error: nil,
      results: results, checks: checks, summary: summary(outcome),
      bins: GradientBinsSnapshot(bins))
  }

  /// "naive: sampled (64 positives, 4096 negatives; auto: P·M·evaluations 1.1e+11 > budget
  /// 1e+10)"; per image "naive: sampled per image (… negatives in 8 images; …)".
  static func naiveLine(_ naive: VerificationOutcome.NaiveRun) -> String {
    let why =
      naive.requested == .auto
      ? "auto: P·M·evaluations \(Format.rough(naive.work)) "
        + "\(naive.work <= naive.budget ? "≤" : ">") budget \(Format.rough(naive.budget))"
      : "--naive \(naive.requested.rawValue)"
    switch naive.mode {
    case .sample:
      let images = naive.sampledImages.map { " in \($0) images" } ?? ""
      return "naive: sampled\(naive.sampledImages == nil ? "" : " per image") "
        + "(\(naive.sampledPositives ?? 0) positives, \(naive.sampledNegatives ?? 0) negatives"
        + "\(images); \(why))"
    case .off: return "naive: off, exact is the reference (\(why))"
    case .full, .auto: return "naive: full (\(why))"
    }
  }
}

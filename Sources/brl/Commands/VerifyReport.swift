import BRLBench
import BRLFormat
import Foundation
import RankingLosses

/// What `brl verify` prints: tables for people, or one JSON object for CI (schema in the
/// README; keys are stable).
struct VerifyReport: Encodable {
  var version: String
  var rtol: Double
  var atol: Double
  var strict: Bool
  var exitCode: Int32
  var inputs: [Input]

  enum CodingKeys: String, CodingKey {
    case version = "brl_version"
    case rtol, atol, strict
    case exitCode = "exit_code"
    case inputs
  }

  /// The checks of one input, or the error that stopped them.
  struct Input: Encodable {
    var input: String
    var counts: (n: Int, positives: Int)?
    var outcome: VerificationOutcome?
    var error: String?

    init(input: String) { self.input = input }

    /// 2 for an unusable input, 1 for a failed required check, else 0.
    var exitCode: Int32 {
      if error != nil { return 2 }
      return outcome?.failed == true ? 1 : 0
    }

    var status: String { ["ok", "failed", "error"][Int(exitCode)] }

    enum CodingKeys: String, CodingKey {
      case input, status, error, n, positives, naive, evaluations, checks
    }

    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(input, forKey: .input)
      try c.encode(status, forKey: .status)
      try c.encode(error, forKey: .error)
      try c.encode(counts?.n, forKey: .n)
      try c.encode(counts?.positives, forKey: .positives)
      try c.encode(outcome.map { NaiveEntry($0.naive) }, forKey: .naive)
      try c.encode(outcome?.evaluations.map(EvaluationEntry.init) ?? [], forKey: .evaluations)
      try c.encode(outcome?.checks.map(CheckEntry.init) ?? [], forKey: .checks)
    }

    /// The results table, the checks table and a one-line summary.
    func text(colour: Bool) -> String {
      guard let outcome else { return "\(input): error" }
      let (results, checks) = tables(outcome)
      let header = headerLine(outcome)
      var checkLines = checks.text().split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init)
      if colour {
        for (i, check) in outcome.checks.enumerated() where i + 2 < checkLines.count {
          let code = check.failed ? "31" : (check.requirement == .required ? "32" : "2")
          checkLines[i + 2] = "\u{1B}[\(code)m\(checkLines[i + 2])\u{1B}[0m"
        }
      }
      return [header, "", results.text(), checkLines.joined(separator: "\n"), summary(outcome)]
        .joined(separator: "\n")
    }

    /// "INPUT: N 1000, 10 positive; naive: …".
    func headerLine(_ outcome: VerificationOutcome) -> String {
      "\(input): N \(counts?.n ?? 0), \(counts?.positives ?? 0) positive; "
        + Self.naiveLine(outcome.naive)
    }

    /// The results and the checks as tables.
    func tables(_ outcome: VerificationOutcome) -> (results: TextTable, checks: TextTable) {
      var results = TextTable(columns: [
        .init("loss", .left), .init("δ"), .init("method", .left), .init("value"),
        .init("relevant neg."), .init("buckets"), .init("time"),
      ])
      for e in outcome.evaluations {
        results.append([
          e.evaluation.loss.rawValue, format(e.evaluation.delta), e.evaluation.methodLabel,
          String(format: "%.9g", e.loss), "\(e.statistics.relevantNegatives)",
          e.statistics.buckets.map(String.init) ?? "", Format.time(e.seconds),
        ])
      }
      var checks = TextTable(columns: [
        .init("loss", .left), .init("δ"), .init("method", .left), .init("vs", .left),
        .init("|Δloss|"), .init("max |Δgrad|"), .init("at"), .init("rel"), .init("verdict", .left),
        .init("why", .left),
      ])
      for check in outcome.checks {
        let c = check.comparison!
        // A gradient index, or for a sampled check "FP k" (the k-th sampled positive).
        func at(_ index: Int) -> String {
          let value = check.comparedValue(index)
          return value.kind == "grad" ? String(value.index) : "FP \(value.index)"
        }
        checks.append([
          check.subject.loss.rawValue, format(check.subject.delta), check.subject.methodLabel,
          check.reference.label, scientific(c.lossDifference),
          scientific(c.maxGradientDifference),
          c.maxGradientDifference > 0 ? c.maxGradientDifferenceIndex.map(at) ?? "" : "",
          scientific(c.maxRelativeGradientDifference), CheckEntry.verdict(check), check.reason,
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
        let index = check.firstDisagreement ?? "loss"
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
    /// 1e+10)".
    static func naiveLine(_ naive: VerificationOutcome.NaiveRun) -> String {
      let why =
        naive.requested == .auto
        ? "auto: P·M·evaluations \(String(format: "%.2g", naive.work)) "
          + "\(naive.work <= naive.budget ? "≤" : ">") budget \(String(format: "%.2g", naive.budget))"
        : "--naive \(naive.requested.rawValue)"
      switch naive.mode {
      case .sample:
        return "naive: sampled (\(naive.sampledPositives ?? 0) positives, "
          + "\(naive.sampledNegatives ?? 0) negatives; \(why))"
      case .off: return "naive: off, exact is the reference (\(why))"
      case .full, .auto: return "naive: full (\(why))"
      }
    }
  }

}

/// How naive ran, in the JSON output.
private struct NaiveEntry: Encodable {
  var requested: String
  var mode: String
  var work: Double
  var budget: Double
  var sampledPositives: Int?
  var sampledNegatives: Int?

  init(_ naive: VerificationOutcome.NaiveRun) {
    requested = naive.requested.rawValue
    mode = naive.mode.rawValue
    work = naive.work
    budget = naive.budget
    sampledPositives = naive.sampledPositives
    sampledNegatives = naive.sampledNegatives
  }

  enum CodingKeys: String, CodingKey {
    case requested, mode, work, budget
    case sampledPositives = "sampled_positives"
    case sampledNegatives = "sampled_negatives"
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(requested, forKey: .requested)
    try c.encode(mode, forKey: .mode)
    try c.encode(work, forKey: .work)
    try c.encode(budget, forKey: .budget)
    try c.encode(sampledPositives, forKey: .sampledPositives)
    try c.encode(sampledNegatives, forKey: .sampledNegatives)
  }
}

/// One evaluated method in the JSON output.
private struct EvaluationEntry: Encodable {
  var loss: String
  var delta: Double
  var method: String
  var variant: String?
  var group: String
  var value: Double
  var rankingLoss: Double?
  var sortingLoss: Double?
  var relevantNegatives: Int
  var buckets: Int?
  var seconds: Double

  init(_ e: VerificationOutcome.EvaluationSummary) {
    loss = e.evaluation.loss.rawValue
    delta = e.evaluation.delta
    method = e.evaluation.method.rawValue
    variant = e.evaluation.apVariant?.rawValue
    group = (e.evaluation.grouping ?? .batch).rawValue
    value = e.loss
    rankingLoss = e.rankingLoss
    sortingLoss = e.sortingLoss
    relevantNegatives = e.statistics.relevantNegatives
    buckets = e.statistics.buckets
    seconds = e.seconds
  }

  enum CodingKeys: String, CodingKey {
    case loss, delta, method, variant, group
    case value = "loss_value"
    case rankingLoss = "ranking_loss"
    case
      sortingLoss = "sorting_loss"
    case relevantNegatives = "relevant_negatives"
    case buckets, seconds
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(loss, forKey: .loss)
    try c.encode(delta, forKey: .delta)
    try c.encode(method, forKey: .method)
    try c.encode(variant, forKey: .variant)
    try c.encode(group, forKey: .group)
    try c.encode(value, forKey: .value)
    try c.encode(rankingLoss, forKey: .rankingLoss)
    try c.encode(sortingLoss, forKey: .sortingLoss)
    try c.encode(relevantNegatives, forKey: .relevantNegatives)
    try c.encode(buckets, forKey: .buckets)
    try c.encode(seconds, forKey: .seconds)
  }
}

/// One comparison in the JSON output.
private struct CheckEntry: Encodable {
  var check: ParityCheck

  init(_ check: ParityCheck) { self.check = check }

  static func verdict(_ check: ParityCheck) -> String {
    check.verdict == .fail ? "FAIL" : check.verdict.rawValue
  }

  enum CodingKeys: String, CodingKey {
    case loss, delta, method, variant, reference, group
    case referenceGroup = "reference_group"
    case referenceVariant = "reference_variant"
    case
      requirement, reason
    case lossDifference = "loss_difference"
    case
      maxGradientDifference = "max_abs_grad_difference"
    case
      maxGradientDifferenceIndex = "max_abs_grad_difference_index"
    case
      maxRelativeGradientDifference = "max_rel_grad_difference"
    case
      firstViolationIndex = "first_violation_index"
    case agree, verdict
    case sampledPositives = "sampled_positives"
    case sampledNegatives = "sampled_negatives"
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    let s = check.subject
    let comparison = check.comparison!
    try c.encode(s.loss.rawValue, forKey: .loss)
    try c.encode(s.delta, forKey: .delta)
    try c.encode(s.method.rawValue, forKey: .method)
    try c.encode(s.apVariant?.rawValue, forKey: .variant)
    try c.encode(check.reference.methodName, forKey: .reference)
    try c.encode(check.reference.evaluation?.apVariant?.rawValue, forKey: .referenceVariant)
    try c.encode((s.grouping ?? .batch).rawValue, forKey: .group)
    try c.encode(
      check.reference.evaluation.map { ($0.grouping ?? .batch).rawValue }, forKey: .referenceGroup)
    try c.encode(check.requirement.rawValue, forKey: .requirement)
    try c.encode(check.reason, forKey: .reason)
    try c.encode(comparison.lossDifference, forKey: .lossDifference)
    try c.encode(comparison.maxGradientDifference, forKey: .maxGradientDifference)
    try c.encode(comparison.maxGradientDifferenceIndex, forKey: .maxGradientDifferenceIndex)
    try c.encode(comparison.maxRelativeGradientDifference, forKey: .maxRelativeGradientDifference)
    try c.encode(comparison.firstViolationIndex, forKey: .firstViolationIndex)
    try c.encode(comparison.agrees, forKey: .agree)
    try c.encode(check.verdict.rawValue, forKey: .verdict)
    var sampled: (positives: Int, negatives: Int)? = nil
    if case .sampledNaive(let positives, let negatives) = check.reference {
      sampled = (positives, negatives)
    }
    try c.encode(sampled?.positives, forKey: .sampledPositives)
    try c.encode(sampled?.negatives, forKey: .sampledNegatives)
  }
}

private func format(_ delta: Double) -> String {
  delta == delta.rounded() ? String(Int(delta)) : String(delta)
}

private func scientific(_ value: Double) -> String {
  value == 0 ? "0" : String(format: "%.2e", value)
}

import BRLBench
import BRLFormat
import Foundation
import RankingLosses

/// What `brl verify` prints: tables for people (``Input/text(colour:)``, in
/// VerifyReport+Text.swift), or one JSON object for CI (schema in docs/json.md; keys are stable;
/// the entries are in VerifyReport+JSON.swift).
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
    /// The input's keys brl did not use (sorted).
    var ignoredKeys: [String] = []

    init(input: String) { self.input = input }

    /// 2 for an unusable input, 1 for a failed required check, else 0.
    var exitCode: Int32 {
      if error != nil { return 2 }
      return outcome?.failed == true ? 1 : 0
    }

    /// `ok`, `failed` or `error`, as the JSON says it.
    var status: String {
      switch exitCode {
      case 0: "ok"
      case 1: "failed"
      default: "error"
      }
    }

    enum CodingKeys: String, CodingKey {
      case input, status, error, n, positives, naive, evaluations, checks
      case ignoredKeys = "ignored_keys"
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
      try c.encode(ignoredKeys, forKey: .ignoredKeys)
    }
  }
}

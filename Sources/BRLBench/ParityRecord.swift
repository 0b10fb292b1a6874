import Foundation
import GRDB
import RankingLosses

/// A row of the `parity` table: one comparison made by `brl verify --record` (a method against
/// a reference on one input), with the input's fingerprint and the tolerances used.
///
/// All the rows of one `brl verify --record` share ``createdAt`` and are written in one
/// transaction (``BenchStore/recordParity(_:)``). The differences are `nil` when they were NaN
/// (SQLite stores NaN as NULL); ``FileFingerprint`` identifies the input, it does not
/// authenticate it.
public struct ParityRecord: Codable, Equatable, Sendable, FetchableRecord,
  MutablePersistableRecord
{
  public static let databaseTableName = "parity"

  public var id: Int64?
  /// Unused by `brl verify` (a check need not belong to a bench run).
  public var runID: Int64?
  public var createdAt: Date
  /// The input as given on the command line.
  public var inputPath: String
  /// FNV-1a 64 of the input's bytes, hex (see ``FileFingerprint``).
  public var inputHash: String
  public var inputSize: Int64?
  /// The `--targets` file, when the targets were read from a second file.
  public var targetsPath: String?
  public var targetsHash: String?
  public var targetsSize: Int64?
  public var loss: String
  public var delta: Double
  /// The method checked (with its AP variant when not the official one).
  public var methodA: String
  /// The reference it was compared with, or `stored` for a `ref_loss`/`ref_grad` in the input.
  public var methodB: String
  /// `required` or `informational`.
  public var requirement: String?
  /// |loss − reference loss|; `nil` if NaN or not compared (a sampled naive reference).
  public var lossAbsDiff: Double?
  /// max |Δgradient|; `nil` if NaN.
  public var maxAbsDiff: Double?
  /// max |Δgradient| / max |reference gradient|; `nil` if NaN.
  public var maxRelDiff: Double?
  public var rtol: Double?
  public var atol: Double?
  /// `ok` (required, agrees), `fail` (required, disagrees) or `info` (reported only).
  public var verdict: String
  public var brlVersion: String?
  public var hostName: String?

  public enum CodingKeys: String, CodingKey, ColumnExpression {
    case id
    case runID = "run_id"
    case createdAt = "created_at"
    case inputPath = "input_path"
    case inputHash = "input_hash"
    case inputSize = "input_size"
    case targetsPath = "targets_path"
    case targetsHash = "targets_hash"
    case targetsSize = "targets_size"
    case loss, delta
    case methodA = "method_a"
    case methodB = "method_b"
    case requirement
    case lossAbsDiff = "loss_abs_diff"
    case maxAbsDiff = "max_abs_diff"
    case maxRelDiff = "max_rel_diff"
    case rtol, atol, verdict
    case brlVersion = "brl_version"
    case hostName = "host_name"
  }

  public typealias Columns = CodingKeys

  public init(
    id: Int64? = nil, runID: Int64? = nil, createdAt: Date, inputPath: String,
    input: FileFingerprint, targetsPath: String? = nil, targets: FileFingerprint? = nil,
    loss: String, delta: Double, methodA: String, methodB: String, requirement: String?,
    lossAbsDiff: Double?, maxAbsDiff: Double?, maxRelDiff: Double?, rtol: Double?,
    atol: Double?, verdict: String, brlVersion: String?, hostName: String?
  ) {
    self.id = id
    self.runID = runID
    self.createdAt = createdAt
    self.inputPath = inputPath
    self.inputHash = input.hash
    self.inputSize = input.size
    self.targetsPath = targetsPath
    self.targetsHash = targets?.hash
    self.targetsSize = targets?.size
    self.loss = loss
    self.delta = delta
    self.methodA = methodA
    self.methodB = methodB
    self.requirement = requirement
    self.lossAbsDiff = Self.finiteOrInfinite(lossAbsDiff)
    self.maxAbsDiff = Self.finiteOrInfinite(maxAbsDiff)
    self.maxRelDiff = Self.finiteOrInfinite(maxRelDiff)
    self.rtol = rtol
    self.atol = atol
    self.verdict = verdict
    self.brlVersion = brlVersion
    self.hostName = hostName
  }

  /// The row for a finished check of `brl verify`. A check against the sampled naive compares
  /// no loss: its `loss_abs_diff` is NULL.
  public init(
    _ check: FinishedCheck, createdAt: Date, inputPath: String, input: FileFingerprint,
    targetsPath: String? = nil, targets: FileFingerprint? = nil, rtol: Double, atol: Double,
    brlVersion: String, hostName: String
  ) {
    let comparison = check.comparison
    self.init(
      createdAt: createdAt, inputPath: inputPath, input: input, targetsPath: targetsPath,
      targets: targets, loss: check.subject.loss.rawValue, delta: check.subject.delta,
      methodA: check.subject.methodLabel,
      methodB: check.reference.evaluation?.methodLabel
        ?? (check.reference == .stored ? "stored" : "naive sampled"),
      requirement: check.requirement.rawValue, lossAbsDiff: comparison.lossDifference,
      maxAbsDiff: comparison.maxGradientDifference,
      maxRelDiff: comparison.maxRelativeGradientDifference, rtol: rtol, atol: atol,
      verdict: Self.verdict(check), brlVersion: brlVersion, hostName: hostName)
  }

  /// `ok`, `fail` or `info`, as `brl verify` prints them.
  public static func verdict(_ check: FinishedCheck) -> String {
    if check.failed { return "fail" }
    return check.requirement == .required ? "ok" : "info"
  }

  /// NaN becomes `nil` (SQLite would store it as NULL anyway); ±∞ is kept.
  private static func finiteOrInfinite(_ value: Double?) -> Double? {
    guard let value, !value.isNaN else { return nil }
    return value
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) {
    id = inserted.rowID
  }

  /// Writes every key, `null` included, so the JSON export always has the same shape.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(runID, forKey: .runID)
    try c.encode(createdAt, forKey: .createdAt)
    try c.encode(inputPath, forKey: .inputPath)
    try c.encode(inputHash, forKey: .inputHash)
    try c.encode(inputSize, forKey: .inputSize)
    try c.encode(targetsPath, forKey: .targetsPath)
    try c.encode(targetsHash, forKey: .targetsHash)
    try c.encode(targetsSize, forKey: .targetsSize)
    try c.encode(loss, forKey: .loss)
    try c.encode(delta, forKey: .delta)
    try c.encode(methodA, forKey: .methodA)
    try c.encode(methodB, forKey: .methodB)
    try c.encode(requirement, forKey: .requirement)
    try c.encode(lossAbsDiff, forKey: .lossAbsDiff)
    try c.encode(maxAbsDiff, forKey: .maxAbsDiff)
    try c.encode(maxRelDiff, forKey: .maxRelDiff)
    try c.encode(rtol, forKey: .rtol)
    try c.encode(atol, forKey: .atol)
    try c.encode(verdict, forKey: .verdict)
    try c.encode(brlVersion, forKey: .brlVersion)
    try c.encode(hostName, forKey: .hostName)
  }
}

import Foundation
import RankingLosses

/// Why the checks of a `brl verify --record` were not recorded (nothing was).
public struct ParityRecordingError: Error, CustomStringConvertible {
  public var description: String
}

/// One input of a `brl verify --record`: its path and its finished checks, or nil when it could
/// not be checked.
public struct VerifiedInput: Sendable {
  public var path: String
  public var checks: [FinishedCheck]?

  public init(path: String, checks: [FinishedCheck]?) {
    self.path = path
    self.checks = checks
  }
}

extension BenchStore {
  /// Records every check of every input in one transaction, all or nothing: nothing when an
  /// input could not be checked or hashed (``ParityRecordingError``) or the database cannot be
  /// written. `fingerprints` holds the hash of each input and of `targetsPath`, taken before
  /// they were read. Returns the number of rows written.
  @discardableResult
  public func recordVerification(
    _ inputs: [VerifiedInput], fingerprints: [String: FileFingerprint], targetsPath: String?,
    rtol: Double, atol: Double, brlVersion: String, hostName: String, createdAt: Date = Date()
  ) throws -> Int {
    func refuse(_ reason: String) -> ParityRecordingError {
      ParityRecordingError(description: "\(reason); nothing was recorded in \(path)")
    }
    let unchecked = inputs.filter { $0.checks == nil }.count
    if unchecked > 0 {
      throw refuse(
        "\(unchecked) of \(inputs.count) input\(inputs.count == 1 ? "" : "s") could not be checked")
    }
    let targets = targetsPath.flatMap { fingerprints[$0] }
    if let targetsPath, targets == nil { throw refuse("cannot read \(targetsPath) to hash it") }
    var records: [ParityRecord] = []
    for input in inputs {
      guard let fingerprint = fingerprints[input.path] else {
        throw refuse("cannot read \(input.path) to hash it")
      }
      for check in input.checks ?? [] {
        records.append(
          ParityRecord(
            check, createdAt: createdAt, inputPath: input.path, input: fingerprint,
            targetsPath: targetsPath, targets: targets, rtol: rtol, atol: atol,
            brlVersion: brlVersion, hostName: hostName))
      }
    }
    do {
      try recordParity(records)
    } catch {
      throw ParityRecordingError(description: "\(error); nothing was recorded")
    }
    return records.count
  }
}

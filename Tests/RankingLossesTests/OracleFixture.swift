import BRLData
import Foundation
import RankingLosses
import Testing

/// The fixtures computed by the official PyTorch code (`fixtures/oracle/`, see its README):
/// one .npz per case plus `meta.json`, which lists each case's kinds and deltas, the calls
/// that raised, and the outputs that were not finite.
enum OracleFixture {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("fixtures/oracle")

  /// One `<kind>_d<delta>` entry of one case.
  struct Key: CustomTestStringConvertible, Sendable {
    var caseName: String
    var kind: String
    var delta: Double
    /// What the official call did, from meta.json.
    var officialFailure: String?
    var officialNonFinite: Bool

    /// The key prefix, e.g. `brs_d0p5`.
    var prefix: String {
      let d = delta == delta.rounded() ? String(Int(delta)) : String(delta)
      return "\(kind)_d\(d.replacingOccurrences(of: ".", with: "p"))"
    }

    var testDescription: String { "\(caseName) \(prefix)" }

    /// The loss and method brl uses for this kind.
    var loss: LossKind {
      switch kind {
      case "rs", "brs": .rs
      case "ap", "bap": .ap
      default: .alrp
      }
    }

    var isBucketed: Bool { kind.hasPrefix("b") }
  }

  /// Every key of every case, from meta.json.
  static let keys: [Key] = {
    let data = try! Data(contentsOf: directory.appendingPathComponent("meta.json"))
    let meta = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    let cases = meta["cases"] as! [String: [String: Any]]
    let failures = meta["failures"] as? [String: [String: String]] ?? [:]
    let nonFinite = meta["nonfinite"] as? [String: [String: Any]] ?? [:]
    var keys: [Key] = []
    for (name, info) in cases.sorted(by: { $0.key < $1.key }) {
      let kinds = info["kinds"] as! [String: [Double]]
      for (kind, deltas) in kinds.sorted(by: { $0.key < $1.key }) {
        for delta in deltas {
          var key = Key(
            caseName: name, kind: kind, delta: delta, officialFailure: nil,
            officialNonFinite: false)
          key.officialFailure = failures[name]?[key.prefix]
          key.officialNonFinite = nonFinite[name]?[key.prefix] != nil
          keys.append(key)
        }
      }
    }
    return keys
  }()

  /// The arrays of one case.
  static func arrays(_ caseName: String) throws -> [String: NPYArray] {
    try NPZArchive.read(path: directory.appendingPathComponent("\(caseName).npz").path)
  }

  /// The case's logits and targets (binarised for AP and aLRP, as the official inputs were),
  /// and its regression losses.
  static func problem(_ arrays: [String: NPYArray], for kind: LossKind) -> Problem {
    let targets = arrays["targets"]!.doubles()
    return Problem(
      logits: arrays["logits"]!.doubles(),
      targets: kind == .rs ? targets : targets.map { $0 > 0 ? 1 : $0 },
      regressionLosses: arrays["reg_losses"]?.doubles() ?? [])
  }
}

import BRLData
import BRLFormat
import Foundation
import RankingLosses

/// What `brl loss` prints: as text, or as JSON with stable snake_case keys (every key present,
/// `null` when it does not apply).
struct LossReport: Encodable {
  var input: String
  var loss: LossKind
  var method: RankingLosses.Method
  var delta: Double
  var apVariant: APLoss.Variant?
  var group: Grouping = .batch
  /// The evaluation's numbers (its gradient is not read here: ``arrays(_:)`` takes the result).
  var result: LossEvaluation
  var seconds: Double
  /// The time to open and read the input (mapping, parsing, CRC checks), before validation.
  var loadSeconds: Double
  var out: String?
  /// The input's keys brl did not use (sorted).
  var ignoredKeys: [String] = []

  enum CodingKeys: String, CodingKey {
    case input, loss_kind, method, delta, ap_variant, loss, ranking_loss, sorting_loss, n,
      positives, negatives, ignored, relevant_negatives, buckets, seconds, load_seconds, out,
      group, images, images_with_positives, ignored_keys
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(input, forKey: .input)
    try c.encode(loss, forKey: .loss_kind)
    try c.encode(method, forKey: .method)
    try c.encode(delta, forKey: .delta)
    try c.encode(apVariant, forKey: .ap_variant)
    try c.encode(result.loss, forKey: .loss)
    try c.encode(result.rankingLoss, forKey: .ranking_loss)
    try c.encode(result.sortingLoss, forKey: .sorting_loss)
    let s = result.statistics
    try c.encode(s.count, forKey: .n)
    try c.encode(s.positives, forKey: .positives)
    try c.encode(s.negatives, forKey: .negatives)
    try c.encode(s.ignored, forKey: .ignored)
    try c.encode(s.relevantNegatives, forKey: .relevant_negatives)
    try c.encode(s.buckets, forKey: .buckets)
    try c.encode(seconds, forKey: .seconds)
    try c.encode(loadSeconds, forKey: .load_seconds)
    try c.encode(out, forKey: .out)
    try c.encode(group, forKey: .group)
    try c.encode(result.images?.count, forKey: .images)
    try c.encode(result.images?.withPositives, forKey: .images_with_positives)
    try c.encode(ignoredKeys, forKey: .ignored_keys)
  }

  var text: String {
    let s = result.statistics
    var title = "\(loss.displayName) loss, \(method.rawValue), δ = \(Format.exact(delta))"
    if let apVariant { title += ", \(apVariant.rawValue) precision" }
    if group == .image { title += ", per image" }
    var rows: [(String, String)] = [("loss", Format.precise(result.loss))]
    if let ranking = result.rankingLoss, let sorting = result.sortingLoss {
      rows.append(("ranking loss", Format.precise(ranking)))
      rows.append(("sorting loss", Format.precise(sorting)))
    }
    rows.append(
      (
        "examples",
        "\(s.count) (\(s.positives) positive, \(s.negatives) negative, \(s.ignored) ignored)"
      ))
    if let images = result.images {
      rows.append(("images", "\(images.count) (\(images.withPositives) with positives)"))
    }
    rows.append(("relevant negatives", "\(s.relevantNegatives)"))
    if let buckets = s.buckets { rows.append(("buckets", "\(buckets)")) }
    rows.append(("time", Format.time(seconds)))
    if let out { rows.append(("written", out)) }
    let width = rows.map(\.0.count).max() ?? 0
    return
      (["\(input): \(title)"]
      + rows.map { "  " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
      + ignoredKeysLines(ignoredKeys))
      .joined(separator: "\n")
  }

  /// The arrays `--out` writes.
  static func arrays(_ result: LossResult) -> [(String, NPYArray)] {
    var arrays: [(String, NPYArray)] = [
      ("loss", .make([result.loss], shape: [])), ("grad", .make(result.gradient)),
    ]
    if let ranking = result.rankingLoss, let sorting = result.sortingLoss {
      arrays.append(("ranking_loss", .make([ranking], shape: [])))
      arrays.append(("sorting_loss", .make([sorting], shape: [])))
    }
    if let ranks = result.ranks { arrays.append(("rank", .make(ranks))) }
    if let images = result.images {
      arrays.append(("image_ids", .make(int64: images.ids)))
      arrays.append(("image_losses", .make(images.losses)))
    }
    return arrays
  }
}

import ArgumentParser
import BRLData
import BRLFormat
import Foundation
import RankingLosses

/// `brl loss`: one loss, one method, one δ on one input; prints the loss and optionally writes
/// the gradient.
struct LossCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "loss",
    abstract: "Compute a ranking-based loss and its gradient on a dump.",
    discussion: """
      Examples:
        brl loss dump.npz --loss rs
        brl loss dump.npz --loss ap --method bucketed --delta 0 --json
        brl loss dump.npz --loss alrp --out grad.npz     # loss, grad (and rank) for numpy.load
        brl loss dump.npz --group image                  # rank each image (image_ids) on its own

      Methods: naive (the definition, O(P*N)), bucketed (the official bucketed losses, \
      exact only at delta 0), exact (brl's exact fast method, equal to naive at every delta).

      AP: naive and exact compute the official APLoss (interpolated precision), bucketed the \
      official BucketedAPLoss (plain precision, self-comparison counted); --ap-variant \
      overrides. At delta 0 brl uses the hard step [x >= 0] everywhere (the official naive AP \
      and aLRP divide by zero there).

      --json prints one object with every key present (null when it does not apply).

      \(InputOptions.formatsDiscussion)
      """)

  @Argument(help: "The dump to read (.npz, .npy or raw).")
  var input: String

  @OptionGroup var inputOptions: InputOptions

  @Option(help: "The loss: rs, ap or alrp.")
  var loss: LossKind = .rs

  @Option(help: "The method: naive, bucketed or exact.")
  var method: RankingLosses.Method = .exact

  @Option(
    help: "The smoothing half-width delta (default: 0.5 for rs, 1 for ap and alrp; 0 = hard step).")
  var delta: Double?

  @Option(help: "AP only: interpolated (official APLoss) or plain (official BucketedAPLoss).")
  var apVariant: APLoss.Variant?

  @Option(
    help: ArgumentHelp(
      "batch (the official loss: every positive against every negative of the input) or image "
        + "(each image ranked on its own, then averaged over the images with a positive).",
      discussion: "image needs image ids: an image_ids key (.npz), field (structured .npy) or "
        + "--image-ids FILE.npy." as String))
  var group: Grouping = .batch

  @Option(
    help: ArgumentHelp(
      "Write loss, grad (and ranking_loss, sorting_loss for rs; rank for alrp; image_ids, "
        + "image_losses for --group image) to this .npz."))
  var out: String?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func validate() throws {
    if let delta, !(delta.isFinite && delta >= 0) {
      throw ValidationError("--delta must be a finite number ≥ 0, got \(delta)")
    }
    if apVariant != nil && loss != .ap {
      throw ValidationError("--ap-variant applies only to --loss ap")
    }
  }

  func run() throws {
    let delta = delta ?? loss.defaultDelta
    let evaluation = Evaluation(loss: loss, delta: delta, method: method, variant: apVariant)
    let rankingLoss = evaluation.rankingLoss
    var loadSeconds = 0.0
    let (result, seconds) = try reportingBadInput(path: input) {
      let (dump, readSeconds) = try measure { try inputOptions.load(input) }
      loadSeconds = readSeconds
      try dump.validate(for: loss)
      if group == .image { try dump.requireImageIDs() }
      if loss == .alrp && dump.regressionLosses == nil {
        printNote("\(input): no reg_losses: aLRP uses 0 for every positive's regression loss")
      }
      return try measure {
        try dump.withInput { input in
          var input = input
          input.grouping = group
          return try rankingLoss.evaluate(input, method: method)
        }
      }
    }
    if let out {
      try reportingBadInput(path: out) { try NPZArchive.write(outputArrays(result), to: out) }
    }
    let report = LossReport(
      input: input, loss: loss, method: method, delta: delta,
      apVariant: evaluation.apVariant, group: group,
      result: result, seconds: seconds, loadSeconds: loadSeconds, out: out)
    if json { try printJSON(report) } else { print(report.text) }
  }

  /// The arrays `--out` writes.
  func outputArrays(_ result: LossResult) -> [(String, NPYArray)] {
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

/// What `brl loss` prints: as text, or as JSON with stable snake_case keys (every key present,
/// `null` when it does not apply).
struct LossReport: Encodable {
  var input: String
  var loss: LossKind
  var method: RankingLosses.Method
  var delta: Double
  var apVariant: APLoss.Variant?
  var group: Grouping = .batch
  var result: LossResult
  var seconds: Double
  /// The time to open and read the input (mapping, parsing, CRC checks), before validation.
  var loadSeconds: Double
  var out: String?

  enum CodingKeys: String, CodingKey {
    case input, loss_kind, method, delta, ap_variant, loss, ranking_loss, sorting_loss, n,
      positives, negatives, ignored, relevant_negatives, buckets, seconds, load_seconds, out,
      group, images, images_with_positives
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
  }

  var text: String {
    let s = result.statistics
    var title = "\(loss.displayName) loss, \(method.rawValue), δ = \(delta)"
    if let apVariant { title += ", \(apVariant.rawValue) precision" }
    if group == .image { title += ", per image" }
    var rows: [(String, String)] = [("loss", format(result.loss))]
    if let ranking = result.rankingLoss, let sorting = result.sortingLoss {
      rows.append(("ranking loss", format(ranking)))
      rows.append(("sorting loss", format(sorting)))
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
      + rows.map { "  " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 })
      .joined(separator: "\n")
  }

  private func format(_ value: Double) -> String { String(format: "%.9g", value) }
}

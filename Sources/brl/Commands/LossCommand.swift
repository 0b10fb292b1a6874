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
    help: "The smoothing half-width delta (default: 0.5 for rs, 1 for ap and alrp; 0 = hard step).",
    transform: Parse.nonNegative)
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
        + "image_losses for --group image) to this .npz."),
    transform: OutputFile.init(parsing:))
  var out: OutputFile?

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func validate() throws {
    if apVariant != nil && loss != .ap {
      throw ValidationError("--ap-variant applies only to --loss ap")
    }
  }

  func run() throws {
    let evaluation = Evaluation(
      loss: loss, delta: delta ?? loss.defaultDelta, method: method, variant: apVariant,
      grouping: group)
    // Reading the input includes checking its values against the loss (`load_seconds`);
    // `seconds` is the evaluation alone.
    let (dump, loadSeconds) = try measure {
      let dump = try inputOptions.load(input)
      try dump.validate(for: loss)
      return dump
    }
    if loss == .alrp && dump.regressionLosses == nil {
      printNote("\(input): no reg_losses: aLRP uses 0 for every positive's regression loss")
    }
    // The gradient is written in full only for --out; otherwise it is computed block by block
    // and dropped (the time includes it, the memory does not hold it).
    let ((result, arrays), seconds) = try measure {
      try dump.withEvaluation(evaluation, checkingValues: false) { evaluated in
        if out != nil { return (evaluated, LossReport.arrays(evaluated.result())) }
        _ = evaluated.mapGradientBlocks { _, _ in () }
        return (evaluated, [])
      }
    }
    if let out { try NPZArchive.write(arrays, to: out.path) }
    let report = LossReport(
      input: input, loss: loss, method: method, delta: evaluation.delta,
      apVariant: evaluation.apVariant, group: group,
      result: result, seconds: seconds, loadSeconds: loadSeconds, out: out?.path,
      ignoredKeys: dump.ignoredKeys)
    if json { try printJSON(report) } else { print(report.text) }
  }
}

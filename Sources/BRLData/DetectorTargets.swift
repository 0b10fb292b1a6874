/// Detector-style dumps: class scores per anchor and one label per anchor, turned into the flat
/// one-vs-all logits and targets the losses take.
///
/// Convention (mmdetection's): `logits` is (N, C) (N anchors, C foreground classes, pre-sigmoid
/// scores), `labels` is (N,) integers in [0, C], where C means background, and −1 means the
/// anchor is ignored. Optional `ious` (N,) floats in [0, 1] give the IoU target of each anchor's
/// predicted box (Rank & Sort uses it as the positive's target). Both are flattened row-major to
/// N·C examples: example n·C + c has logit `logits[n, c]` and target
///
///     labels[n] == −1 → −1                      (ignored, all C classes)
///     labels[n] == c  → ious[n] (1 without ious) (the anchor's class: a positive)
///     otherwise       → 0                        (a negative; background anchors: all C)
///
/// Any other label (below −1 or above C) is an error, as is an IoU outside [0, 1]. A positive
/// whose IoU is exactly 0 becomes a negative (target 0), as in the official code; the reader notes
/// how many did.
enum DetectorTargets {
  /// The N·C targets; the error is a reason naming the first bad anchor.
  static func expand(
    labels: [Int64], ious: [Double]?, classes: Int
  ) throws(FormatProblem) -> (targets: [Float], zeroIoUPositives: Int) {
    var targets = [Float](repeating: 0, count: labels.count * classes)
    var zeroIoU = 0
    for (anchor, label) in labels.enumerated() {
      guard label >= -1, label <= Int64(classes) else {
        throw FormatProblem(
          reason: "labels: expected −1 (ignored), 0…\(classes - 1) (a class) or \(classes) "
            + "(background), found \(label) at index \(anchor)")
      }
      let row = anchor * classes
      if label == -1 {
        for c in 0..<classes { targets[row + c] = -1 }
      } else if label < Int64(classes) {
        let iou = ious?[anchor] ?? 1
        guard iou >= 0, iou <= 1 else {
          throw FormatProblem(
            reason: "ious: expected IoUs in [0, 1], found \(iou) at index \(anchor)")
        }
        if iou == 0 { zeroIoU += 1 }
        targets[row + Int(label)] = Float(iou)
      }
    }
    return (targets, zeroIoU)
  }
}

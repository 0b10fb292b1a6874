import BRLRandom
import RankingLosses

/// A deterministic, detector-like input for benchmarking: P positives among N negatives.
///
/// The mixture imitates the classification logits of a one-stage detector after some training:
///
/// - positives: logit ~ N(0.5, 1.5²), IoU target uniform in [0.1, 1] (RS uses it, AP and aLRP
///   binarise it), aLRP regression loss 1 − IoU (so in [0, 0.9]);
/// - negatives: 97 % easy, logit ~ N(−5 + overlap, 1.2²), and 3 % hard, logit ~
///   N(−1 + overlap, 1.5²), which overlap the positives;
/// - everything is shuffled, and stored as float32, like a dump of a real batch.
///
/// So most negatives lie far below every positive and are irrelevant to the loss (the regime the
/// bucketed and exact methods exploit), while a band of hard negatives interleaves with the
/// positives. `overlap` moves all negatives up: at `overlap` ≈ 5 the easy negatives sit where the
/// hard ones were, and most negatives become relevant.
///
/// The same (P, N, seed, overlap) always gives the same bits (``SplitMix64``, ``PortableMath``).
/// Positives come from their own random stream, so a seed's positives are the same for every N,
/// and the positives for P = 10 are the first ten of those for P = 100. Generation is not timed;
/// ``BenchRunner`` generates each input once and reuses it for every loss, method and repeat.
///
/// **Images** (`images: K`): the shuffled examples are cut into K contiguous, equal runs (image
/// g holds examples ⌊g·(P+N)/K⌋ ..< ⌊(g+1)·(P+N)/K⌋, image-major as a detector flattens a
/// batch), and every logit of image g is shifted by its own offset o_g ~ N(0, 1²) (own random
/// stream), so some images are easier than others and ranking per image differs from ranking
/// the batch. ``imageIDs`` holds g per example. Then a point's positives depend on N too.
public struct SyntheticData: Sendable {
  /// The mixture, as text for `--help` and the README.
  public static let modelDescription = """
    positives ~ N(0.5, 1.5²), IoU targets uniform in [0.1, 1], aLRP regression loss 1 − IoU; \
    negatives 97% N(−5 + overlap, 1.2²) and 3% hard N(−1 + overlap, 1.5²); shuffled; float32. \
    SplitMix64 and Box–Muller with portable log/cos, so a seed gives the same bits everywhere.
    """

  /// The share of hard negatives.
  public static let hardFraction = 0.03

  public let positives: Int
  public let negatives: Int
  public let seed: UInt64
  public let overlap: Double
  /// P + N logits in input order.
  public let logits: [Float]
  /// P + N targets: the IoU (in [0.1, 1]) for a positive, 0 for a negative.
  public let targets: [Float]
  /// aLRP's regression loss per positive, in the order the positives occur in ``logits``.
  public let regressionLosses: [Double]
  /// With images: the image (0..<K) of each example; nil otherwise.
  public let imageIDs: [Int64]?

  /// Generates the input. O(P + N) time and 8·(P + N) bytes (16·(P + N) with images).
  public init(
    positives: Int, negatives: Int, seed: UInt64, overlap: Double = 0, images: Int? = nil
  ) {
    precondition(positives >= 0 && negatives >= 0, "counts must be non-negative")
    self.positives = positives
    self.negatives = negatives
    self.seed = seed
    self.overlap = overlap
    let count = positives + negatives
    var logits = [Float](repeating: 0, count: count)
    var targets = [Float](repeating: 0, count: count)

    var positiveStream = SplitMix64(seed: seed, stream: 1)
    for i in 0..<positives {
      logits[i] = Float(positiveStream.nextGaussian(mean: 0.5, sd: 1.5))
      targets[i] = Float(0.1 + 0.9 * positiveStream.nextUnit())
    }
    var negativeStream = SplitMix64(seed: seed, stream: 2)
    for i in positives..<count {
      let hard = negativeStream.nextUnit() < Self.hardFraction
      let value =
        hard
        ? negativeStream.nextGaussian(mean: -1 + overlap, sd: 1.5)
        : negativeStream.nextGaussian(mean: -5 + overlap, sd: 1.2)
      logits[i] = Float(value)
    }
    // Fisher–Yates, with our own bounded integers (see SplitMix64.nextIndex).
    var shuffleStream = SplitMix64(seed: seed, stream: 3)
    if count > 1 {
      for i in stride(from: count - 1, to: 0, by: -1) {
        let j = shuffleStream.nextIndex(below: i + 1)
        logits.swapAt(i, j)
        targets.swapAt(i, j)
      }
    }
    if let images {
      precondition(images >= 1, "at least one image")
      var offsetStream = SplitMix64(seed: seed, stream: 4)
      let offsets = (0..<images).map { _ in offsetStream.nextGaussian(mean: 0, sd: 1) }
      var ids = [Int64](repeating: 0, count: count)
      for g in 0..<images {
        for i in (g * count / images)..<((g + 1) * count / images) {
          ids[i] = Int64(g)
          logits[i] = Float(Double(logits[i]) + offsets[g])
        }
      }
      imageIDs = ids
    } else {
      imageIDs = nil
    }
    // Derived from the shuffled targets, so they are in the positives' input order by
    // construction.
    regressionLosses = targets.lazy.filter { $0 > 0 }.map { 1 - Double($0) }
    self.logits = logits
    self.targets = targets
  }

  /// The number of examples, P + N.
  public var count: Int { logits.count }

  /// Calls `body` with a ``LossInput`` that views this data (no copy), grouped by `grouping`.
  /// Regression losses are passed for aLRP only.
  public func withInput<R>(
    for loss: LossKind, grouping: Grouping = .batch, _ body: (LossInput) throws -> R
  ) rethrows -> R {
    try LossInput.with(
      logits: logits, targets: targets, regressionLosses: loss == .alrp ? regressionLosses : nil
    ) { input in
      var input = input
      input.imageIDs = imageIDs
      input.grouping = grouping
      return try body(input)
    }
  }
}

/// The positives of an input, sorted by ascending logit, with what every loss needs to know
/// about them.
///
/// Ties between positive logits are broken by input position so the order, and so every sum
/// over positives, never depends on how a sort treats equal keys.
struct Positives: Sendable {
  /// Logits, ascending.
  var logits: [Double]
  /// Targets in the same order (the IoU for RS; AP and aLRP ignore the value).
  var targets: [Double]
  /// Position of each positive in the input.
  var inputIndex: [Int]
  /// Rank of each positive among the positives in input order (0 for the first positive of the
  /// input): the index into per-positive inputs such as aLRP's regression losses.
  var ordinal: [Int]
  /// The threads the positive–positive sums may use (``PositivePairs``); never changes a bit.
  var parallelism: Parallelism = .serial

  var count: Int { logits.count }
}

/// One pass over an input: the positives, the relevance threshold, and counts.
///
/// A negative is *relevant* when its logit is at least min(positive logits) − δ: below that,
/// H_δ(q − p_i) = 0 for every positive, so it cannot change the loss and gets a zero gradient.
/// The comparison is ≥, like the official code: a negative exactly at the threshold is relevant
/// but its relations are 0. The methods count the relevant negatives as they visit them.
struct Partition: Sendable {
  var positives: Positives
  var count: Int
  var negatives: Int
  var ignored: Int
  /// min(positive logits) − δ, rounded upwards (``SmoothStep/rampStart(_:)``, the lowest break
  /// point of the exact method); +∞ when there is no positive (nothing is relevant).
  var threshold: Double
  /// The split of the input used by every chunked pass.
  var chunking: Chunking
  var parallelism: Parallelism

  init<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, delta: Double,
    parallelism: Parallelism
  ) throws {
    try InputScan.checkShape(logitCount: logits.count, targetCount: targets.count, delta: delta)
    let scan = try InputScan(
      logits: logits, targets: targets, parallelism: parallelism, keepingPositivePositions: true)
    let positiveIndex = scan.positivePositions

    // Sort positives by (logit, input position): a stable radix sort of keys that order like
    // the logits (−0 and +0 equal), so ties keep their input order.
    var keys = positiveIndex.map {
      ~logits[$0].descendingSortKey & (L.sortKeyBytes == 4 ? 0xFFFF_FFFF : ~0)
    }
    var order = Array(positiveIndex.indices)
    RadixSort.sort(keys: &keys, values: &order, keyBytes: L.sortKeyBytes)
    positives = Positives(
      logits: order.map { logits[positiveIndex[$0]].double },
      targets: order.map { targets[positiveIndex[$0]].double },
      inputIndex: order.map { positiveIndex[$0] },
      ordinal: order,
      parallelism: parallelism
    )
    threshold = SmoothStep(delta: delta).rampStart(positives.logits.first ?? .infinity)
    self.count = logits.count
    self.negatives = scan.negatives
    self.ignored = scan.ignored
    self.chunking = scan.chunking
    self.parallelism = parallelism
  }
}

extension Partition {
  /// The relevance rule, in one place: a negative (target exactly 0) whose logit is at least the
  /// threshold.
  @inline(__always)
  func isRelevantNegative<T: ColumnScalar>(logit: Double, target: T) -> Bool {
    logit >= threshold && target == 0
  }
}

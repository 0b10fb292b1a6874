import Synchronization

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

  /// - Parameter cache: where a partition of the same arrays (at any δ) may already be, and
  ///   where this one is kept for the next (``PartitionCache``).
  init<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, delta: Double,
    parallelism: Parallelism, cache: PartitionCache? = nil
  ) throws {
    try InputScan.checkShape(logitCount: logits.count, targetCount: targets.count, delta: delta)
    let key = PartitionCache.Key(logits: logits, targets: targets, parallelism: parallelism)
    if let cached = cache?.partition(for: key) {
      self = cached
      threshold = SmoothStep(delta: delta).rampStart(positives.logits.first ?? .infinity)
      return
    }
    let scan = try InputScan(
      logits: logits, targets: targets, parallelism: parallelism, keepingPositivePositions: true,
      keepingPositiveValues: true)
    let positiveIndex = scan.positivePositions

    // Sort positives by (logit, input position): a stable radix sort of keys that order like
    // the logits (−0 and +0 equal), so ties keep their input order.
    // The scan kept the positives' values, so nothing here reads the input at random (30 000
    // positives spread over 10⁶ examples: four scattered reads each, about 2 ms).
    var keys = scan.positiveKeys.map { ~$0 & (L.sortKeyBytes == 4 ? 0xFFFF_FFFF : ~0) }
    var order = Array(positiveIndex.indices)
    RadixSort.sort(keys: &keys, values: &order, keyBytes: L.sortKeyBytes)
    positives = Positives(
      logits: order.map { scan.positiveLogits[$0] },
      targets: order.map { scan.positiveTargets[$0] },
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
    cache?.keep(self, for: key)
  }
}

/// The partition of one input, kept so that partitions at other δ need no second pass: they
/// differ only in ``Partition/threshold``, which is computed from the lowest positive.
///
/// `brl verify` evaluates up to ten results and builds up to three naive samples on one
/// input, and each used to scan it again (at N = 10⁸ about 0.13 s of CPU a scan, 7 % of a
/// default verify). The cache is keyed by the arrays themselves (addresses, count, element
/// types) and the threads, so an input other than the one it was made for (an image's
/// examples, say) never reads it and is scanned as before; a hit is the same partition a
/// scan would give, since the arrays are not written while it lives.
final class PartitionCache: Sendable {
  struct Key: Hashable, Sendable {
    /// The arrays' addresses.
    let logits: Int
    let targets: Int
    let count: Int
    let logitType: ObjectIdentifier
    let targetType: ObjectIdentifier
    let parallelism: Parallelism

    init<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, parallelism: Parallelism
    ) {
      self.logits = Int(bitPattern: logits.baseAddress)
      self.targets = Int(bitPattern: targets.baseAddress)
      self.count = logits.count
      self.logitType = ObjectIdentifier(L.self)
      self.targetType = ObjectIdentifier(T.self)
      self.parallelism = parallelism
    }
  }

  private let entry = Mutex<(key: Key, partition: Partition)?>(nil)

  init() {}

  /// The kept partition (with the threshold of the δ it was made at) if it is `key`'s.
  func partition(for key: Key) -> Partition? {
    entry.withLock { $0?.key == key ? $0?.partition : nil }
  }

  /// Keeps `partition` unless one is kept already (the first input stays).
  func keep(_ partition: Partition, for key: Key) {
    entry.withLock { if $0 == nil { $0 = (key, partition) } }
  }
}

extension Partition {
  /// The relevance rule, in one place: 1 for a negative (target exactly 0) whose logit is at
  /// least `threshold`, else 0, computed without a branch. The passes over the input add it to
  /// a write cursor instead of branching on it: on detector data about half the examples
  /// above the lowest positive are relevant, and a branch there is mispredicted about as often
  /// as not.
  @inline(__always)
  static func relevance<T: ColumnScalar>(logit: Double, target: T, threshold: Double) -> Int {
    (logit >= threshold ? 1 : 0) & (target == 0 ? 1 : 0)
  }
}

import BRLFormat
import Foundation
import RankingLosses

/// What `brl bench` measures: the grid of points and how to time each one.
///
/// A plan is plain data, checked once by ``validate()``; ``BenchRunner`` carries it out. The
/// grid is losses × methods × P × N; each point is timed `warmup + repeats` times on the same
/// synthetic input, and only the `repeats` are kept.
public struct BenchPlan: Sendable, Equatable {
  public var losses: [LossKind]
  public var methods: [BenchMethod]
  /// The values of P (positives).
  public var positives: [Int]
  /// The values of N (negatives).
  public var negatives: [Int]
  /// δ for every loss, or `nil` for each loss's official default.
  public var delta: Double?
  /// Timed evaluations per point.
  public var repeats: Int
  /// Untimed evaluations before them (page faults, caches, lazy initialisation).
  public var warmup: Int
  public var seed: UInt64
  /// Moves the negatives up (see ``SyntheticData``).
  public var overlap: Double
  /// The most seconds a point may take (all its warm-ups and repeats), or `nil` for no limit.
  ///
  /// A point whose predicted time exceeds it is skipped, not run; see ``TimePredictor``. A point
  /// that runs over anyway stops after the repeat that crossed the limit (keeping at least one);
  /// one that runs over while warming up skips its other warm-ups and times one repeat.
  public var budget: Double?
  /// Spread the synthetic examples over this many images (see ``SyntheticData``) and measure
  /// every loss method both ranked over the batch and per image; nil: one batch, no images.
  public var images: Int?

  public init(
    losses: [LossKind] = [.rs], methods: [BenchMethod] = BenchMethod.all,
    positives: [Int] = [10, 100, 1000], negatives: [Int] = [10_000, 100_000, 1_000_000],
    delta: Double? = nil,
    repeats: Int = 5, warmup: Int = 1, seed: UInt64 = 1, overlap: Double = 0,
    budget: Double? = 30, images: Int? = nil
  ) {
    self.images = images
    self.losses = losses
    self.methods = methods
    self.positives = positives
    self.negatives = negatives
    self.delta = delta
    self.repeats = repeats
    self.warmup = warmup
    self.seed = seed
    self.overlap = overlap
    self.budget = budget
  }

  /// Why a plan cannot run.
  public struct Error: Swift.Error, Equatable, CustomStringConvertible {
    public var description: String

    public init(description: String) {
      self.description = description
    }
  }

  /// The most timed or untimed evaluations per point (each repeat keeps one time).
  public static let maxRepeats = 1_000_000
  /// Bytes per example of the largest point while it is measured: the synthetic logits and
  /// targets (4 + 4), the gradient (8), the sort keys and permutation of the fast methods (16)
  /// and the image ids (8, with --images); an estimate kept on the high side.
  public static let bytesPerExample = 40

  /// The memory the largest point needs, by ``bytesPerExample`` (and 8 bytes per image).
  public var estimatedPeakBytes: Double {
    let examples = Double((positives.max() ?? 0) + (negatives.max() ?? 0))
    return examples * Double(Self.bytesPerExample) + Double(images ?? 0) * 8
  }

  /// Throws ``Error`` for an empty grid, counts out of range, unknown methods, a bad δ,
  /// overlap or budget, or a point larger than `physicalMemory` bytes (by
  /// ``estimatedPeakBytes``): all before anything is allocated.
  public func validate(physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
    func fail(_ message: String) -> Error { Error(description: message) }
    if losses.isEmpty { throw fail("no loss to measure") }
    if methods.isEmpty { throw fail("no method to measure") }
    if let unknown = methods.first(where: { !$0.isKnown }) {
      let names = BenchMethod.all.map(\.rawValue).joined(separator: ", ")
      throw fail("unknown method '\(unknown)' (known: \(names))")
    }
    if positives.isEmpty || negatives.isEmpty { throw fail("no value of P or N to measure") }
    if let p = positives.first(where: { $0 < 1 }) { throw fail("P must be at least 1, got \(p)") }
    if let n = negatives.first(where: { $0 < 0 }) { throw fail("N must be at least 0, got \(n)") }
    if let p = positives.max(), let n = negatives.max(), p + n > 1 << 31 {
      throw fail("P + N = \(p + n) is too large (at most 2³¹)")
    }
    if repeats < 1 { throw fail("--repeats must be at least 1, got \(repeats)") }
    if repeats > Self.maxRepeats {
      throw fail("--repeats must be at most \(Self.maxRepeats), got \(repeats)")
    }
    if warmup < 0 { throw fail("--warmup must be at least 0, got \(warmup)") }
    if warmup > Self.maxRepeats {
      throw fail("--warmup must be at most \(Self.maxRepeats), got \(warmup)")
    }
    if let delta, !(delta.isFinite && delta >= 0) {
      throw fail("delta must be finite and ≥ 0, got \(delta)")
    }
    if !overlap.isFinite { throw fail("overlap must be finite") }
    if let budget, !(budget > 0 && budget.isFinite) {
      throw fail("budget must be positive and finite, got \(budget)")
    }
    if let images, images < 1 { throw fail("images must be at least 1, got \(images)") }
    let largest = (positives.max() ?? 0) + (negatives.max() ?? 0)
    if let images, images > largest {
      throw fail(
        "--images \(images) is more than the examples of the largest point (P + N = \(largest))")
    }
    let bytes = estimatedPeakBytes
    if bytes > Double(physicalMemory) * 0.8 {
      throw fail(
        "the largest point (P + N = \(largest)) needs about \(Self.gibibytes(bytes)) GiB, more than "
          + "80% of this machine's \(Self.gibibytes(Double(physicalMemory))) GiB")
    }
  }

  private static func gibibytes(_ bytes: Double) -> String {
    Format.fixed(bytes / 1_073_741_824, digits: 1)
  }

  /// δ for `loss`.
  public func delta(for loss: LossKind) -> Double {
    delta ?? loss.defaultDelta
  }

  /// The points in the order they are measured: P, then N ascending (so a point's time can be
  /// predicted from smaller ones), then loss and method (so one input serves them all).
  public var points: [BenchPoint] {
    var result: [BenchPoint] = []
    for p in positives.sorted() {
      for n in negatives.sorted() {
        for loss in losses {
          for method in methods {
            // The floor reads and writes the arrays once, whatever the grouping.
            let groupings: [Grouping] =
              images == nil || method == .floor ? [.batch] : [.batch, .image]
            for grouping in groupings {
              result.append(
                BenchPoint(
                  loss: loss, method: method, delta: delta(for: loss), positives: p,
                  negatives: n, group: grouping, images: images))
            }
          }
        }
      }
    }
    return result
  }
}

/// Gradients summarised by logit, for pictures of `brl verify`: an optional, cheap collector
/// the ``Verifier`` fills while it checks (``Verifier/run(_:storedReference:progress:gradients:)``).
///
/// The logit range of the input (finite logits) is cut into ``binCount`` equal bins; for every
/// evaluated method, and for the first difference subject − reference of each bucketed subject
/// checked against a method, each bin keeps the count, min, max and sum of the gradient of its negatives and,
/// apart, of its positives (target > 0). For the sampled naive reference it keeps the sample's
/// points themselves (logit, naive gradient, method gradient): a few thousand.
///
/// Cost: one pass over the logits to find their range, then one O(N) pass per recorded
/// gradient (per difference: one pass over two gradients); memory O(bins) per series, whatever
/// N. Pure: no I/O. Non-finite logits or gradients are not binned (counted in ``skipped``).
public final class GradientBins {
  /// One bin's summary.
  public struct Bin: Sendable, Equatable {
    public var count = 0
    public var min = Double.infinity
    public var max = -Double.infinity
    public var sum = 0.0
    public var mean: Double? { count > 0 ? sum / Double(count) : nil }

    mutating func merge(_ other: Bin) {
      count += other.count
      min = Swift.min(min, other.min)
      max = Swift.max(max, other.max)
      sum += other.sum
    }

    @inline(__always) mutating func add(_ value: Double) {
      count += 1
      if value < min { min = value }
      if value > max { max = value }
      sum += value
    }
  }

  /// The bins of one gradient, negatives and positives apart.
  public struct Series: Sendable {
    /// The evaluation (for a difference: the subject).
    public var evaluation: Evaluation
    /// For a difference: what was subtracted.
    public var reference: Evaluation?
    public var negatives: [Bin]
    public var positives: [Bin]
    /// Examples with a non-finite logit or gradient.
    public var skipped: Int
  }

  /// The sampled naive definition at one (loss, δ, method): each sampled negative's logit, the
  /// definition's gradient there, and the method's.
  public struct SamplePoints: Sendable {
    public var evaluation: Evaluation
    public var logits: [Double]
    public var naive: [Double]
    public var method: [Double]
  }

  public let binCount: Int
  /// The range of the finite logits (nil before an input, or when none is finite).
  public private(set) var logitRange: ClosedRange<Double>?
  /// The evaluated gradients, in evaluation order.
  public private(set) var gradients: [Series] = []
  /// The differences subject − reference, in check order.
  public private(set) var differences: [Series] = []
  public private(set) var samples: [SamplePoints] = []
  /// Per image (``Grouping/image``): each evaluation's loss per image.
  public private(set) var imageLosses: [(evaluation: Evaluation, losses: ImageLosses)] = []

  /// - Parameter binCount: at least 1 (fewer is raised to 1).
  public init(binCount: Int = 160) {
    self.binCount = Swift.max(binCount, 1)
  }

  /// The logit interval of bin `k` of `binCount` equal bins over `range`.
  public static func interval(ofBin k: Int, binCount: Int, range: ClosedRange<Double>)
    -> ClosedRange<Double>
  {
    let width = (range.upperBound - range.lowerBound) / Double(Swift.max(binCount, 1))
    return (range.lowerBound + Double(k) * width)...(range.lowerBound + Double(k + 1) * width)
  }

  /// Starts a new input: finds its logit range. Earlier series are kept (one collector per
  /// input is the usual use).
  func begin(_ input: LossInput) {
    logitRange = try? input.visit(RangeFinder())
  }

  func record(_ evaluation: Evaluation, _ result: LossResult, input: LossInput) {
    if let images = result.images { imageLosses.append((evaluation, images)) }
    let gradient = result.gradient
    guard let series = bin(input, evaluation: evaluation, reference: nil, gradient, nil) else {
      return
    }
    gradients.append(series)
  }

  func recordDifference(
    _ subject: Evaluation, _ reference: Evaluation, subjectGradient: [Double],
    referenceGradient: [Double], input: LossInput
  ) {
    guard !differences.contains(where: { $0.evaluation == subject }),
      let series = bin(
        input, evaluation: subject, reference: reference, subjectGradient, referenceGradient)
    else { return }
    differences.append(series)
  }

  /// Whether a sample at `evaluation`'s loss and δ is still wanted (one per loss and δ: the
  /// definition's gradient costs P × sampled negatives).
  func wantsSample(_ evaluation: Evaluation) -> Bool {
    !samples.contains {
      $0.evaluation.loss == evaluation.loss && $0.evaluation.delta == evaluation.delta
    }
  }

  func recordSample(_ evaluation: Evaluation, logits: [Double], naive: [Double], method: [Double]) {
    samples.append(.init(evaluation: evaluation, logits: logits, naive: naive, method: method))
  }

  private func bin(
    _ input: LossInput, evaluation: Evaluation, reference: Evaluation?, _ gradient: [Double],
    _ minus: [Double]?
  ) -> Series? {
    guard let range = logitRange, gradient.count == input.count,
      minus.map({ $0.count == input.count }) ?? true
    else { return nil }
    let binner = Binner(
      low: range.lowerBound,
      scale: range.upperBound > range.lowerBound
        ? Double(binCount) / (range.upperBound - range.lowerBound) : 0,
      binCount: binCount, gradient: gradient, minus: minus, parallelism: input.parallelism)
    guard let (negatives, positives, skipped) = try? input.visit(binner) else { return nil }
    return Series(
      evaluation: evaluation, reference: reference, negatives: negatives, positives: positives,
      skipped: skipped)
  }

  private struct RangeFinder: ColumnsVisitor {
    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) throws -> ClosedRange<Double>? {
      var low = Double.infinity
      var high = -Double.infinity
      for l in logits where l.isFinite {
        let v = l.double
        if v < low { low = v }
        if v > high { high = v }
      }
      return low <= high ? low...high : nil
    }
  }

  private struct Binner: ColumnsVisitor {
    let low: Double
    let scale: Double
    let binCount: Int
    let gradient: [Double]
    let minus: [Double]?

    let parallelism: Parallelism

    /// Chunks of the input binned in parallel, then merged in chunk order (the chunking depends
    /// on N only, so the sums are the same bits for any number of threads).
    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) throws -> ([Bin], [Bin], Int) {
      let count = Swift.min(logits.count, targets.count, gradient.count)
      let chunking = Chunking(count: count, minimumChunkSize: 1 << 18, maximumChunks: 32)
      let parts = gradient.withUnsafeBufferPointer { g in
        (minus ?? []).withUnsafeBufferPointer { m in
          let g = UncheckedSendable(g.baseAddress!)
          let m = UncheckedSendable(minus == nil ? nil : m.baseAddress)
          return chunking.map(parallelism) { range -> ([Bin], [Bin], Int) in
            var negatives = [Bin](repeating: Bin(), count: binCount)
            var positives = [Bin](repeating: Bin(), count: binCount)
            var skipped = 0
            negatives.withUnsafeMutableBufferPointer { neg in
              positives.withUnsafeMutableBufferPointer { pos in
                skipped = fill(range, logits, targets, g.value, m.value, neg, pos)
              }
            }
            return (negatives, positives, skipped)
          }
        }
      }
      var negatives = [Bin](repeating: Bin(), count: binCount)
      var positives = [Bin](repeating: Bin(), count: binCount)
      var skipped = 0
      for (neg, pos, skip) in parts {
        for k in 0..<binCount {
          negatives[k].merge(neg[k])
          positives[k].merge(pos[k])
        }
        skipped += skip
      }
      return (negatives, positives, skipped)
    }

    /// One pass: bins g[i] (− m[i]) by logit, apart for negatives and positives.
    @inline(__always)
    private func fill<L: ColumnScalar, T: ColumnScalar>(
      _ range: Range<Int>, _ logits: UnsafeBufferPointer<L>, _ targets: UnsafeBufferPointer<T>,
      _ g: UnsafePointer<Double>, _ m: UnsafePointer<Double>?,
      _ neg: UnsafeMutableBufferPointer<Bin>, _ pos: UnsafeMutableBufferPointer<Bin>
    ) -> Int {
      var skipped = 0
      let last = binCount - 1
      for i in range {
        let l = logits[i].double
        var value = g[i]
        if let m { value -= m[i] }
        guard l.isFinite, value.isFinite else {
          skipped += 1
          continue
        }
        let k = Swift.min(Swift.max(Int((l - low) * scale), 0), last)
        if targets[i] > 0 {
          pos[k].add(value)
        } else {
          neg[k].add(value)
        }
      }
      return skipped
    }
  }
}

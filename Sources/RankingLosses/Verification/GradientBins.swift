/// Gradients summarised by logit, for pictures of `brl verify`: an optional, cheap collector
/// the ``Verifier`` fills while it checks (``Verifier/run(_:storedReference:progress:gradients:)``).
///
/// The logit range of the input (finite logits) is cut into ``binCount`` equal bins; for every
/// evaluated method, and for the first difference subject − reference of each bucketed subject
/// checked against a method, each bin keeps the count, min, max and sum of the gradient of its negatives and,
/// apart, of its positives (target > 0). For the sampled naive reference it keeps the sample's
/// points themselves (logit, naive gradient, method gradient): a few thousand.
///
/// Cost: two passes over the logits (their range, then each example's bin, kept as 2 bytes per
/// example), then one parallel O(N) pass per recorded gradient (per difference: over two
/// gradients) reading the bins and the gradient; O(bins) memory per series. Pure: no I/O. Non-finite logits or gradients are not binned (counted in ``skipped``).
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
      min = Swift.min(min, value)
      max = Swift.max(max, value)
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
  /// Each example's bin: k for a negative in bin k, binCount + k for a positive, ``skip`` for a
  /// non-finite logit (2 bytes per example, so a pass reads them instead of logits and targets).
  private var binOf: [UInt16] = []
  private static let skip = UInt16.max
  /// The range of the finite logits (nil before an input, or when none is finite).
  public private(set) var logitRange: ClosedRange<Double>?
  /// The evaluated gradients, in evaluation order.
  public private(set) var gradients: [Series] = []
  /// The differences subject − reference, in check order.
  public private(set) var differences: [Series] = []
  public private(set) var samples: [SamplePoints] = []
  /// Per image (``Grouping/image``): each evaluation's loss per image.
  public private(set) var imageLosses: [(evaluation: Evaluation, losses: ImageLosses)] = []

  /// - Parameter binCount: 1 to 30 000 (held within).
  public init(binCount: Int = 160) {
    self.binCount = Swift.min(Swift.max(binCount, 1), 30_000)
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
    binOf = []
    if let range = logitRange {
      binOf =
        (try? input.visit(Indexer(low: range.lowerBound, scale: scale(range), binCount: binCount)))
        ?? []
    }
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

  private func scale(_ range: ClosedRange<Double>) -> Double {
    range.upperBound > range.lowerBound
      ? Double(binCount) / (range.upperBound - range.lowerBound) : 0
  }

  private func bin(
    _ input: LossInput, evaluation: Evaluation, reference: Evaluation?, _ gradient: [Double],
    _ minus: [Double]?
  ) -> Series? {
    guard logitRange != nil, binOf.count == input.count, gradient.count == input.count,
      minus.map({ $0.count == input.count }) ?? true
    else { return nil }
    let (bins, skipped) = Self.fill(
      binOf, binCount: binCount, gradient, minus, parallelism: input.parallelism)
    return Series(
      evaluation: evaluation, reference: reference, negatives: Array(bins[..<binCount]),
      positives: Array(bins[binCount...]), skipped: skipped)
  }

  /// Bins g[i] (− m[i]) by `binOf[i]`: chunks in parallel, merged in chunk order (the chunking
  /// depends on N only, so the sums are the same bits for any number of threads).
  private static func fill(
    _ binOf: [UInt16], binCount: Int, _ gradient: [Double], _ minus: [Double]?,
    parallelism: Parallelism
  ) -> ([Bin], Int) {
    let chunking = Chunking(count: binOf.count, minimumChunkSize: 1 << 18, maximumChunks: 32)
    let parts = binOf.withUnsafeBufferPointer { index in
      gradient.withUnsafeBufferPointer { g in
        (minus ?? []).withUnsafeBufferPointer { m in
          let index = UncheckedSendable(index)
          let g = UncheckedSendable(g.baseAddress!)
          let m = UncheckedSendable(minus == nil ? nil : m.baseAddress)
          return chunking.map(parallelism) { range -> ([Bin], Int) in
            var bins = [Bin](repeating: Bin(), count: 2 * binCount)
            var skipped = 0
            bins.withUnsafeMutableBufferPointer { bins in
              for i in range {
                let k = index.value[i]
                var value = g.value[i]
                if let m = m.value { value -= m[i] }
                guard k != skip, value.isFinite else {
                  skipped += 1
                  continue
                }
                bins[Int(k)].add(value)
              }
            }
            return (bins, skipped)
          }
        }
      }
    }
    var bins = [Bin](repeating: Bin(), count: 2 * binCount)
    var skipped = 0
    for (part, skip) in parts {
      for k in bins.indices { bins[k].merge(part[k]) }
      skipped += skip
    }
    return (bins, skipped)
  }

  /// Each example's bin (see ``binOf``).
  private struct Indexer: ColumnsVisitor {
    let low: Double
    let scale: Double
    let binCount: Int

    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) throws -> [UInt16] {
      let count = Swift.min(logits.count, targets.count)
      let last = binCount - 1
      return [UInt16](unsafeUninitializedCapacity: count) { out, initialized in
        for i in 0..<count {
          let l = logits[i].double
          guard l.isFinite else {
            out[i] = GradientBins.skip
            continue
          }
          let k = Swift.min(Swift.max(Int((l - low) * scale), 0), last)
          out[i] = UInt16(targets[i] > 0 ? binCount + k : k)
        }
        initialized = count
      }
    }
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
}

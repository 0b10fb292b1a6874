/// How far one loss result is from a reference, and whether they agree under numpy.allclose
/// semantics: |a − b| ≤ atol + rtol·|b| for the loss and for every gradient element, b the
/// reference.
///
/// NaN never agrees with anything (unlike `allclose(equal_nan=True)`): a NaN gradient is a
/// defect worth failing on.
public struct ResultComparison: Sendable, Equatable, Codable {
  /// |loss − reference loss|, or nil when the losses were not compared (a sampled naive
  /// reference has FP_i and gradients, no loss).
  public var lossDifference: Double?
  /// max_i |g_i − r_i| and the index where it occurs (nil for an empty gradient).
  public var maxGradientDifference: Double
  public var maxGradientDifferenceIndex: Int?
  /// max_i |g_i − r_i| / max_i |r_i|: the worst difference relative to the gradient's scale
  /// (0 when both are all zero).
  public var maxRelativeGradientDifference: Double
  /// The first gradient index that violates the tolerance, if any.
  public var firstViolationIndex: Int?
  /// Whether the loss and every gradient element are within tolerance.
  public var agrees: Bool

  /// Compares `loss`/`gradient` with `referenceLoss`/`referenceGradient`.
  public init(
    loss: Double, gradient: [Double], referenceLoss: Double, referenceGradient: [Double],
    rtol: Double, atol: Double
  ) {
    self.init(
      loss: (loss, referenceLoss), gradient: gradient, referenceGradient: referenceGradient,
      rtol: rtol, atol: atol)
  }

  /// Compares `gradient` with `referenceGradient`, and the losses when `loss` holds them (nil:
  /// not compared, ``lossDifference`` is nil and only the gradients decide agreement).
  public init(
    loss: (value: Double, reference: Double)?, gradient: [Double], referenceGradient: [Double],
    rtol: Double, atol: Double
  ) {
    var difference = GradientDifference(rtol: rtol, atol: atol)
    for i in 0..<min(gradient.count, referenceGradient.count) {
      difference.add(gradient[i], referenceGradient[i], at: i)
    }
    self.init(
      loss: loss, difference, sameLength: gradient.count == referenceGradient.count, rtol: rtol,
      atol: atol)
  }

  private init(
    loss: (value: Double, reference: Double)?, _ difference: GradientDifference,
    sameLength: Bool, rtol: Double, atol: Double
  ) {
    lossDifference = loss.map { abs($0.value - $0.reference) }
    let worst = difference.worst
    maxGradientDifference = sameLength ? worst : .infinity
    maxGradientDifferenceIndex = difference.worstIndex
    maxRelativeGradientDifference =
      difference.scale > 0 ? worst / difference.scale : (worst == 0 ? 0 : .infinity)
    firstViolationIndex = difference.violation
    let lossAgrees = loss.map { difference.close($0.value, $0.reference) } ?? true
    agrees = sameLength && lossAgrees && difference.violation == nil
  }

  /// Compares two evaluations block by block as their gradients are written: one block of
  /// each per thread in memory, never a whole gradient (``LossEvaluation``).
  public init(_ result: LossEvaluation, reference: LossEvaluation, rtol: Double, atol: Double) {
    self.init(
      loss: (result.loss, reference.loss), result, reference: .evaluation(reference), rtol: rtol,
      atol: atol)
  }

  /// What an evaluation's gradient is compared with.
  public enum GradientReference {
    case evaluation(LossEvaluation)
    case values([Double])
  }

  /// Compares `result`'s gradient, block by block, with `reference`, and the losses when `loss`
  /// holds them.
  public init(
    loss: (value: Double, reference: Double)?, _ result: LossEvaluation,
    reference: GradientReference, rtol: Double, atol: Double
  ) {
    let referenceCount: Int
    switch reference {
    case .evaluation(let other): referenceCount = other.count
    case .values(let values): referenceCount = values.count
    }
    let common = min(result.count, referenceCount)
    let blocks = Chunking(count: common, minimumChunkSize: 1 << 16, maximumChunks: Int.max)
    // Block buffers per thread (the reference's only for an evaluation), reused for each of
    // its blocks.
    let referenceBlock: Int
    if case .evaluation = reference {
      referenceBlock = blocks.chunkSize
    } else {
      referenceBlock = 0
    }
    let newBlocks = {
      (GradientBlock(capacity: blocks.chunkSize), GradientBlock(capacity: referenceBlock))
    }
    let parts = blocks.map(result.parallelism, scratch: newBlocks) {
      buffers, range -> GradientDifference in
      var difference = GradientDifference(rtol: rtol, atol: atol)
      let subject = buffers.0.write(result, range)
      switch reference {
      case .evaluation(let other):
        let expected = buffers.1.write(other, range)
        for j in 0..<range.count {
          difference.add(subject[j], expected[j], at: range.lowerBound + j)
        }
      case .values(let values):
        for j in 0..<range.count {
          difference.add(subject[j], values[range.lowerBound + j], at: range.lowerBound + j)
        }
      }
      return difference
    }
    var total = GradientDifference(rtol: rtol, atol: atol)
    for part in parts { total.merge(part) }
    self.init(
      loss: loss, total, sameLength: result.count == referenceCount, rtol: rtol, atol: atol)
  }

  /// Compares two results.
  public init(_ result: LossResult, reference: LossResult, rtol: Double, atol: Double) {
    self.init(
      loss: result.loss, gradient: result.gradient, referenceLoss: reference.loss,
      referenceGradient: reference.gradient, rtol: rtol, atol: atol)
  }
}

/// The running comparison of two gradients, element by element in ascending index order, or
/// block by block (``merge(_:)`` in block order gives the same as one pass).
struct GradientDifference {
  let rtol: Double
  let atol: Double
  /// The largest |a − b| and its first index; a NaN difference is the worst and the first NaN
  /// stays, so a NaN never hides behind a number.
  var worst = 0.0
  var worstIndex: Int? = nil
  /// max |b|.
  var scale = 0.0
  /// The first index outside the tolerance.
  var violation: Int? = nil

  init(rtol: Double, atol: Double) {
    self.rtol = rtol
    self.atol = atol
  }

  @inline(__always)
  func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= atol + rtol * abs(b) }

  @inline(__always)
  mutating func add(_ a: Double, _ b: Double, at index: Int) {
    let d = abs(a - b)
    if worstIndex == nil || d > worst || (d.isNaN && !worst.isNaN) {
      worst = d
      worstIndex = index
    }
    scale = max(scale, abs(b))
    if violation == nil && !close(a, b) { violation = index }
  }

  /// Adds the comparison of a later block.
  mutating func merge(_ later: GradientDifference) {
    if let index = later.worstIndex,
      worstIndex == nil || later.worst > worst || (later.worst.isNaN && !worst.isNaN)
    {
      worst = later.worst
      worstIndex = index
    }
    scale = max(scale, later.scale)
    if violation == nil { violation = later.violation }
  }
}

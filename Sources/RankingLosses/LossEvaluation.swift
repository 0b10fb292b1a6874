/// A loss evaluated, with its gradient not yet written: the loss terms and statistics, and a
/// way to write the gradient of any range of examples on demand.
///
/// A gradient of N float64 values is the largest thing an evaluation makes: at N = 10⁸ it is
/// 800 MB, as much as a float32 dump's logits and targets together. Most callers need it only
/// piece by piece: `brl verify` compares two methods' gradients block by block
/// (``ResultComparison/init(_:reference:rtol:atol:parallelism:)``), `brl loss` without `--out`
/// only needs them computed. So the methods keep what determines the gradient — per-interval
/// or per-bucket lines, O(P) tables, and for exact and bucketed one small interval number per
/// example — and ``writeGradient(_:into:)`` turns it into values for the range asked for.
///
/// Every call writes the same bits for the same element, whatever the range, its size or the
/// thread that asks: each element's value is computed on its own. So a gradient assembled from
/// pieces is the bits of ``result()``'s.
///
/// The evaluation reads the input where it lies (``LossInput``): like the input's buffers, it is
/// valid only while the caller keeps the input's memory alive.
public struct LossEvaluation: @unchecked Sendable {
  /// The loss the official forward returns (RS: ranking + sorting error).
  public var loss: Double
  /// RS only: the mean ranking error and the mean sorting error.
  public var rankingLoss: Double?
  public var sortingLoss: Double?
  /// aLRP only: rank per positive, in input order.
  public var ranks: [Double]?
  public var statistics: LossResult.Statistics
  /// ``Grouping/image`` only: the images and their losses.
  public var images: ImageLosses?
  /// The number of examples (the gradient's length).
  public var count: Int { statistics.count }
  /// The threads ``result()`` and the block-wise consumers may use.
  public var parallelism: Parallelism
  /// About how many operations writing one element's gradient takes (1 for a look-up, P for
  /// naive): ``result()`` sizes its chunks by it.
  var gradientCostPerElement = 1
  private let write: (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void
  /// Memory the gradient reads besides the caller's input (converted targets).
  var retained: [AnyObject] = []

  init(
    loss: Double, rankingLoss: Double?, sortingLoss: Double?, ranks: [Double]?,
    statistics: LossResult.Statistics, images: ImageLosses? = nil, parallelism: Parallelism,
    write: @escaping (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void
  ) {
    self.loss = loss
    self.rankingLoss = rankingLoss
    self.sortingLoss = sortingLoss
    self.ranks = ranks
    self.statistics = statistics
    self.images = images
    self.parallelism = parallelism
    self.write = write
  }

  /// An evaluation whose gradient is already an array (per-image results, tests).
  init(_ result: LossResult, parallelism: Parallelism) {
    let gradient = result.gradient
    self.init(
      loss: result.loss, rankingLoss: result.rankingLoss, sortingLoss: result.sortingLoss,
      ranks: result.ranks, statistics: result.statistics, images: result.images,
      parallelism: parallelism
    ) { range, output in
      gradient.withUnsafeBufferPointer { g in
        _ = output.initialize(from: g[range])
      }
    }
  }

  /// Writes the gradient of examples `range` into `output` (`output.count == range.count`;
  /// `output[0]` is example `range.lowerBound`). Runs on the calling thread; calls for
  /// disjoint ranges may run concurrently.
  public func writeGradient(_ range: Range<Int>, into output: UnsafeMutableBufferPointer<Double>) {
    precondition(output.count == range.count && range.lowerBound >= 0 && range.upperBound <= count)
    guard !range.isEmpty else { return }
    write(range, output)
  }

  /// The gradient of one example.
  public func gradient(at index: Int) -> Double {
    var value = 0.0
    withUnsafeMutablePointer(to: &value) {
      writeGradient(index..<(index + 1), into: UnsafeMutableBufferPointer(start: $0, count: 1))
    }
    return value
  }

  /// Calls `body(range, gradient)` for consecutive blocks covering every example, the blocks
  /// computed on up to `parallelism` threads, and returns `body`'s results in block order.
  /// Memory: one block of `blockSize` values per thread, reused for each of its blocks.
  public func mapGradientBlocks<R>(
    blockSize: Int = 1 << 16, _ body: (Range<Int>, UnsafeBufferPointer<Double>) -> R
  ) -> [R] {
    let blocks = Chunking(count: count, minimumChunkSize: blockSize, maximumChunks: Int.max)
    let newBlock = { GradientBlock(capacity: blocks.chunkSize) }
    return blocks.map(parallelism, scratch: newBlock) { block, range in
      withExtendedLifetime(block) { body(range, block.write(self, range)) }
    }
  }

  /// The whole result, with the gradient as one array.
  public func result() -> LossResult {
    let n = count
    let gradient = [Double](unsafeUninitializedCapacity: n) { g, initialized in
      let output = UncheckedSendable(g)
      // Chunks of about 2¹⁶ operations, at least 2¹⁰ examples: naive's gradient costs O(P)
      // an example, so even a small input is worth both threads, while a look-up gradient of
      // 10⁵ examples (0.1 ms) is cheaper than waking a second thread for it.
      let chunk = max(1 << 10, (1 << 16) / max(1, gradientCostPerElement))
      Chunking(count: n, minimumChunkSize: chunk).forEach(parallelism) { _, range in
        writeGradient(
          range, into: UnsafeMutableBufferPointer(rebasing: output.value[range]))
      }
      initialized = n
    }
    return LossResult(
      loss: loss, rankingLoss: rankingLoss, sortingLoss: sortingLoss, gradient: gradient,
      ranks: ranks, statistics: statistics, images: images)
  }
}

/// A worker's buffer for gradient blocks: one allocation for all the blocks a thread writes.
final class GradientBlock {
  private let storage: UnsafeMutableBufferPointer<Double>

  init(capacity: Int) { storage = .allocate(capacity: capacity) }

  deinit { storage.deallocate() }

  /// Writes `evaluation`'s gradient of `range` (at most the capacity) into the buffer and
  /// returns it; valid until the next call and while the block lives.
  func write(_ evaluation: LossEvaluation, _ range: Range<Int>) -> UnsafeBufferPointer<Double> {
    let block = UnsafeMutableBufferPointer(rebasing: storage[..<range.count])
    evaluation.writeGradient(range, into: block)
    return UnsafeBufferPointer(block)
  }
}

extension Array where Element == Int {
  /// The index of the first element ≥ `x` in an ascending array (`count` if none).
  func lowerBound(_ x: Int) -> Int {
    var low = 0
    var length = count
    while length > 0 {
      let half = length / 2
      if self[low + half] < x {
        low += half + 1
        length -= half + 1
      } else {
        length = half
      }
    }
    return low
  }
}

/// The two negative sums of ``NegativeModel`` evaluated term by term: O(P·M) for M relevant
/// negatives. This is the definition, and the reference the other methods are checked against.
///
///     FP_i = Σ_n H_δ(q_n − p_i)        (n ascending, the input order)
///     g_n  = Σ_i w_i · H_δ(q_n − p_i)  (i ascending, the order of the official loop)
///
/// Every sum is accumulated one term after the other in exactly that order, with the scalar
/// operations of ``SmoothStep`` (`((q − p)·scale)·slope + ½`, then clamped to [0, 1]), so each FP_i and g_n
/// is the same bits as the plain double loop `for n { sum += H(q[n] − p[i]) }`. What makes it
/// fast is only *which* sums run side by side:
///
/// - **SIMD across independent sums.** FP: the 8 lanes of a `SIMD8<Double>` are 8 positives of a
///   tile, each lane running its own sum over the negatives. Gradient: the lanes are 8
///   negatives, each running its own sum over the positives. No sum is ever split across lanes,
///   so no reduction order has to be chosen.
/// - **Blocking.** FP: all tiles of positives (their lanes and 8 sums each, a few KB for
///   thousands of positives) stay in the L1 cache while the negatives stream past once per
///   thread; each negative visits the tiles in ascending order. Gradient: a block of 8 negatives
///   stays in registers while the positives (in cache) stream past.
/// - **Terms that are exactly 0 are not added.** The positives are sorted ascending and every
///   floating-point operation in H is monotone (rounding is monotone), so when the computed
///   H(q − p) is 0 it is 0 for every q' ≤ q and p' ≥ p too. FP: a negative whose term with the
///   tile's lowest positive is 0 adds 0 to all 8 lanes and is skipped; gradient: the loop over
///   positives stops at the first positive whose term with the block's largest negative is 0.
///   Adding +0 to a sum never changes its bits, so skipping them is not an approximation; it is
///   what ``SmoothStep/firstNonZero(in:above:from:)`` does for the positive–positive sums.
/// - **Both cores.** FP splits the tiles of positives among threads, the gradient splits the
///   blocks of negatives; every sum stays whole on one thread, so the bits do not depend on
///   the thread count.
///
/// - **Streaming.** The negatives are read where they lie in the input, in input order: FP
///   gathers the relevant negatives of one block of 2²⁰ examples at a time, a range of the
///   gradient only its own: O(P + block) memory, never a copy of the input.
///
/// No sorting of negatives, no prefix sums and no break-point arithmetic: nothing here is shared
/// with the exact or bucketed methods it checks.
struct NaiveNegatives<L: ColumnScalar, T: ColumnScalar>: NegativeModel {
  /// O(P) an element: every positive's step (``NegativeModel/gradientCostPerElement``).
  var gradientCostPerElement: Int { max(1, positives.count) }
  typealias Lanes = SIMD8<Double>

  let step: SmoothStep
  let positives: [Double]
  let logits: UnsafeBufferPointer<L>
  let targets: UnsafeBufferPointer<T>
  /// A negative (target 0) is relevant at or above this logit (``Partition/threshold``).
  let threshold: Double
  let parallelism: Parallelism
  /// Counted by the first pass over the input that needs it (``falsePositives()`` gathers the
  /// relevant negatives anyway), so no pass is made for the count alone.
  private let counted = RelevantCount()
  var relevantCount: Int {
    if let count = counted.value { return count }
    let count = Chunking(count: logits.count).map(parallelism) { range in
      var count = 0
      for i in range {
        count += Partition.relevance(
          logit: logits[i].double, target: targets[i], threshold: threshold)
      }
      return count
    }.reduce(0, +)
    counted.value = count
    return count
  }

  init(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, partition: Partition,
    step: SmoothStep
  ) {
    self.init(
      positives: partition.positives.logits, logits: logits, targets: targets,
      threshold: partition.threshold, step: step, parallelism: partition.parallelism)
  }

  /// `positives` ascending; the negatives are the elements of `logits` whose target is 0 and
  /// whose logit is at least `threshold`.
  init(
    positives: [Double], logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>,
    threshold: Double, step: SmoothStep, parallelism: Parallelism
  ) {
    self.step = step
    self.positives = positives
    self.logits = logits
    self.targets = targets
    self.threshold = threshold
    self.parallelism = parallelism
  }

  /// H_δ on 8 lanes, with the scalar ``SmoothStep`` operations in the same order.
  ///
  /// Evaluated as four pairs: a comparison of a `SIMD8<Double>` gives an 8-lane mask that the
  /// baseline x86-64 target (SSE2, two doubles a register) packs and unpacks between the
  /// compare and the select, about twice the instructions of the step itself; on pairs the
  /// compare, select and clamp are `cmpnlepd`, `andpd` and `minpd`, and each lane's result
  /// has the same bits. The sampled naive's FP_i at N = 10⁸, δ = 1 took about a third less
  /// CPU (2.1 → 1.4 s in `perf`).
  @inline(__always)
  static func step(_ x: Lanes, scale: Double, slope: Double) -> Lanes {
    let (a, b) = (x.lowHalf, x.highHalf)
    if slope == 0 {
      return Lanes(
        lowHalf: .init(lowHalf: hardStep(a.lowHalf), highHalf: hardStep(a.highHalf)),
        highHalf: .init(lowHalf: hardStep(b.lowHalf), highHalf: hardStep(b.highHalf)))
    }
    return Lanes(
      lowHalf: .init(
        lowHalf: ramp(a.lowHalf, scale: scale, slope: slope),
        highHalf: ramp(a.highHalf, scale: scale, slope: slope)),
      highHalf: .init(
        lowHalf: ramp(b.lowHalf, scale: scale, slope: slope),
        highHalf: ramp(b.highHalf, scale: scale, slope: slope)))
  }

  /// H_0 on a pair: 1 where x ≥ 0.
  @inline(__always)
  private static func hardStep(_ x: SIMD2<Double>) -> SIMD2<Double> {
    SIMD2(repeating: 0).replacing(with: 1, where: x .>= 0)
  }

  /// H_δ on a pair for δ > 0: Swift.max(v, 0) then Swift.min(v, 1), lane by lane.
  @inline(__always)
  private static func ramp(_ x: SIMD2<Double>, scale: Double, slope: Double) -> SIMD2<Double> {
    let ramp = (x * scale) * slope + 0.5
    let low = ramp.replacing(with: 0, where: SIMD2(repeating: 0) .>= ramp)
    return low.replacing(with: 1, where: SIMD2(repeating: 1) .< low)
  }

  func falsePositives() -> [Double] {
    let count = positives.count
    guard count > 0 else { return [] }
    let width = Lanes.scalarCount
    let tiles = (count + width - 1) / width
    // Tiles padded with +∞: their lanes' terms are 0 and are dropped at the end.
    var padded = positives
    padded.append(contentsOf: repeatElement(.infinity, count: tiles * width - count))
    // The work bound that decides the threads: every example (the relevant count is not known
    // yet; the thread count never changes a bit).
    let m = logits.count
    // A tile's sums do not depend on which thread runs it, so the tiles are dealt to the
    // threads like cards (worker w takes tiles w, w + T, …): the low tiles, which have the most
    // non-zero terms, are spread evenly.
    let threads = max(1, min(parallelism.threads, tiles, m * tiles / (1 << 14)))
    let workers = Chunking(count: threads, minimumChunkSize: 1, maximumChunks: threads)
    let step = self.step
    let scale = step.scale
    let slope = step.slope
    let mine = (0..<threads).map { Array(stride(from: $0, to: tiles, by: threads)) }
    let lanes = mine.map { $0.map { Lanes(padded[($0 * width)..<(($0 + 1) * width)]) } }
    let lowest = mine.map { $0.map { padded[$0 * width] } }
    // Each worker's sums, carried from block to block.
    var accumulators = mine.map { [Lanes](repeating: .zero, count: $0.count) }
    // The input in blocks of 2²⁰: a block's relevant negatives are gathered (in input order,
    // on the threads) into a small buffer that every worker then streams, so each sum still
    // runs over the negatives in input order, with O(block) memory instead of a copy of all.
    let (logits, targets, threshold) = (logits, targets, threshold)
    let blockSize = 1 << 20
    var relevant = 0
    // One buffer for every block: a fresh array a part and their join faulted in and copied
    // 8 MB of new pages a block (800 MB a δ at N = 10⁸).
    let gathered = UnsafeMutableBufferPointer<Double>.allocate(
      capacity: min(blockSize, logits.count))
    defer { gathered.deallocate() }
    let buffer = UncheckedSendable(gathered)
    accumulators.withUnsafeMutableBufferPointer { accumulators in
      let sums = UncheckedSendable(accumulators)
      for blockStart in stride(from: 0, to: logits.count, by: blockSize) {
        let block = blockStart..<min(logits.count, blockStart + blockSize)
        // Each part's relevant negatives, at the start of its own stretch of the buffer.
        // Without a branch on the data: every value is written and the cursor advances by
        // its relevance (a branch here is mispredicted about as often as not). After a
        // stretch of 1024 with under 1/16 relevant (P = 10: about 3 %), a plain loop with a
        // branch, which is then predicted (as ``forEachSelected(in:_:_:)``); the same values
        // in the same order either way.
        let parts = Chunking(count: block.count).map(parallelism) { part in
          let values = buffer.value.baseAddress! + part.lowerBound
          let start = block.lowerBound + part.lowerBound
          var found = 0
          var sparse = false
          for stretch in stride(from: start, to: start + part.count, by: 1024) {
            let end = min(stretch + 1024, start + part.count)
            let before = found
            if sparse {
              for i in stretch..<end {
                let value = logits[i].double
                if Partition.relevance(logit: value, target: targets[i], threshold: threshold)
                  != 0
                {
                  values[found] = value
                  found &+= 1
                }
              }
            } else {
              for i in stretch..<end {
                let value = logits[i].double
                values[found] = value
                found &+= Partition.relevance(
                  logit: value, target: targets[i], threshold: threshold)
              }
            }
            sparse = (found - before) << 4 < end - stretch
          }
          return UnsafeBufferPointer(start: values, count: found)
        }.map(UncheckedSendable.init)
        let found = parts.reduce(0) { $0 + $1.value.count }
        relevant += found
        guard found > 0 else { continue }
        // A block with little work (P = 10, N = 10⁵: some 2 600 relevant negatives, two tiles)
        // is cheaper on this thread than waking another; the workers' loops then run one
        // after the other, each tile's sum the same sequence of additions.
        let blockThreads = found * tiles >= 1 << 15 ? parallelism : .serial
        workers.forEach(blockThreads) { worker, _ in
          lanes[worker].withUnsafeBufferPointer { lanes in
            lowest[worker].withUnsafeBufferPointer { lowest in
              sums.value[worker].withUnsafeMutableBufferPointer { acc in
                // The parts in order: every sum still runs over the negatives in input order.
                for part in parts {
                  for value in part.value {
                    let broadcast = Lanes(repeating: value)
                    for k in 0..<lanes.count {
                      // 0 with the lowest positive of this tile: 0 with all of it and with
                      // every later tile (their positives are higher).
                      if step(value - lowest[k]) == 0 { break }
                      acc[k] += Self.step(broadcast - lanes[k], scale: scale, slope: slope)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    counted.value = relevant
    var sums = [Lanes](repeating: .zero, count: tiles)
    for worker in 0..<threads {
      for (k, tile) in mine[worker].enumerated() { sums[tile] = accumulators[worker][k] }
    }
    var result: [Double] = []
    result.reserveCapacity(tiles * width)
    for lanes in sums { for lane in 0..<width { result.append(lanes[lane]) } }
    return Array(result.prefix(count))
  }

  func gradientWriter(weights: [Double]) -> GradientWriter {
    let active = zip(positives, weights).filter { $0.1 != 0 }
    let activeLogits = active.map(\.0)
    let activeWeights = active.map(\.1)
    let (logits, targets, threshold, step) = (logits, targets, threshold, step)
    return { range, gradient in
      gradient.initialize(repeating: 0)
      // The range's relevant negatives, gathered in input order.
      var q: [Double] = []
      var index: [Int] = []
      for i in range
      where Partition.relevance(logit: logits[i].double, target: targets[i], threshold: threshold)
        != 0
      {
        q.append(logits[i].double)
        index.append(i - range.lowerBound)
      }
      Self.blockGradients(
        q, index, positives: activeLogits, weights: activeWeights, step: step, into: gradient)
    }
  }

  /// g_n for the negatives `q` (written at `index[n]` of `gradient`), 8 at a time.
  private static func blockGradients(
    _ q: [Double], _ index: [Int], positives p: [Double], weights w: [Double], step: SmoothStep,
    into output: UnsafeMutableBufferPointer<Double>
  ) {
    let m = q.count
    let width = Lanes.scalarCount
    let scale = step.scale
    let slope = step.slope
    for start in stride(from: 0, to: m, by: width) {
      let end = min(m, start + width)
      var lanes = Lanes(repeating: -.infinity)  // padding: every term is 0
      var top = start  // the largest negative of the block
      var second = -Double.infinity  // and the second largest value
      for n in start..<end {
        lanes[n - start] = q[n]
        if q[n] > q[top] {
          second = q[top]
          top = n
        } else if n != top && q[n] > second {
          second = q[n]
        }
      }
      // All lanes side by side while at least two have non-zero terms: once the second
      // largest negative's term is 0, so is every other lane's but the largest's (and for
      // every later, higher positive).
      var sum = Lanes.zero
      var i = 0
      while i < p.count && step(second - p[i]) != 0 {
        sum += Self.step(lanes - p[i], scale: scale, slope: slope) * w[i]
        i += 1
      }
      // The largest negative alone: the same terms, in the same order.
      let value = q[top]
      var last = sum[top - start]
      while i < p.count {
        let h = step(value - p[i])
        if h == 0 { break }
        last += h * w[i]
        i += 1
      }
      sum[top - start] = last
      for n in start..<end { output[index[n]] = sum[n - start] }
    }
  }
}

/// The relevant count once a pass has made it (a model is read-only otherwise; FP runs once,
/// before the count is read).
private final class RelevantCount: @unchecked Sendable {
  var value: Int?
}

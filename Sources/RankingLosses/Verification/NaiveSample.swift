/// The naive definition evaluated term by term on a deterministic sample, for `brl verify`'s
/// sample mode (``NaiveMode/sample``):
///
/// - the false-positive sums FP_i = Σ_n H_δ(q_n − p_i) of at least 64 positives (the 8 lowest,
///   the 8 highest, and evenly spread between) over **all** relevant negatives;
/// - the gradients g_n = Σ_i w_i·H_δ(q_n − p_i) of at least 4096 relevant negatives (the 256
///   lowest, the 256 highest, the 2048 nearest to a break point p_i ± δ of H_δ, and 4096 evenly
///   spread through the input) from **every** positive, with the weights w_i the checked method
///   computed.
///
/// Both use ``NaiveNegatives``, the same definition code as the full naive. A fast method whose
/// FP_i or gradient is wrong for a sampled positive or negative disagrees; the loss itself needs
/// every FP_i and is not compared (the full comparison with exact covers it, and exact's FP_i
/// are checked here). The sample depends only on the input and δ.
struct NaiveSample {
  /// Indices of the sampled positives in ascending-logit order, and their naive FP_i.
  var positiveIndex: [Int] = []
  var falsePositives: [Double] = []
  /// The sampled relevant negatives: logits, and input positions.
  var negativeLogits: [Double] = []
  var negativeIndex: [Int] = []
  var step: SmoothStep
  var parallelism: Parallelism

  var positiveCount: Int { positiveIndex.count }
  var negativeCount: Int { negativeIndex.count }

  init(_ input: LossInput, delta: Double, positives: Int, negatives: Int) throws {
    step = SmoothStep(delta: delta)
    parallelism = input.parallelism
    self = try input.visit(
      Builder(
        delta: delta, positivesWanted: positives, negativesWanted: negatives,
        parallelism: input.parallelism, partitions: input.partitions))
  }

  private init(step: SmoothStep, parallelism: Parallelism) {
    self.step = step
    self.parallelism = parallelism
  }

  /// The number of relevant negatives (logit ≥ min positive − δ) of `input`.
  static func relevantNegatives(_ input: LossInput, delta: Double) -> Int {
    (try? input.visit(
      Counter(delta: delta, parallelism: input.parallelism, partitions: input.partitions))) ?? 0
  }

  /// The method's sums (its FP_i for the sampled positives, then its gradient at the sampled
  /// negatives) against the definition's, with the method's own weights.
  func compare(
    _ result: LossEvaluation, _ sums: NegativeSumsCapture, rtol: Double, atol: Double
  ) -> ResultComparison {
    var values = positiveIndex.map {
      sums.falsePositives.indices.contains($0) ? sums.falsePositives[$0] : .nan
    }
    let reference = falsePositives + definitionGradients(sums)
    values += negativeIndex.map { result.gradient(at: $0) }
    return ResultComparison(
      loss: nil, gradient: values, referenceGradient: reference, rtol: rtol, atol: atol)
  }

  /// The definition's gradient at each sampled negative, with the method's weights.
  func definitionGradients(_ sums: NegativeSumsCapture) -> [Double] {
    var gradient = [Double](repeating: 0, count: negativeLogits.count)
    guard !sums.positives.isEmpty else { return gradient }
    let zeros = [Double](repeating: 0, count: negativeLogits.count)
    negativeLogits.withUnsafeBufferPointer { q in
      zeros.withUnsafeBufferPointer { t in
        let model = NaiveNegatives(
          positives: sums.positives, logits: q, targets: t, threshold: -.infinity, step: step,
          parallelism: parallelism)
        let write = model.gradientWriter(weights: sums.weights)
        gradient.withUnsafeMutableBufferPointer { write(0..<q.count, $0) }
      }
    }
    return gradient
  }

  private struct Counter: ColumnsVisitor {
    let delta: Double
    let parallelism: Parallelism
    let partitions: PartitionCache?
    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) throws -> Int {
      let partition = try Partition(
        logits: logits, targets: targets, delta: delta, parallelism: parallelism,
        cache: partitions)
      return NaiveNegatives(
        logits: logits, targets: targets, partition: partition, step: SmoothStep(delta: delta)
      ).relevantCount
    }
  }

  /// Builds the sample in streaming passes over the input (the positives' FP_i; the count of
  /// each chunk's relevant negatives together with the lowest, highest and nearest candidates;
  /// the positions of the evenly spread ones): O(P + sample) memory, no copy of the relevant
  /// negatives. At N = 10⁸ (P = 2000) three passes with a branch for the relevance test and a
  /// bisection per negative were about a fifth of a default `brl verify`'s CPU (10 s of 45 s
  /// in `perf`, three δ); counting and selecting in one pass, with the binning passes'
  /// branch-free test and look-up, the whole verify took 36 s of CPU instead of 41 s (the
  /// same sample, the same checks).
  private struct Builder: ColumnsVisitor {
    let delta: Double
    let positivesWanted: Int
    let negativesWanted: Int
    let parallelism: Parallelism
    let partitions: PartitionCache?

    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) throws -> NaiveSample {
      let step = SmoothStep(delta: delta)
      var sample = NaiveSample(step: step, parallelism: parallelism)
      let partition = try Partition(
        logits: logits, targets: targets, delta: delta, parallelism: parallelism,
        cache: partitions)
      let p = partition.positives.logits
      guard !p.isEmpty else { return sample }
      sample.positiveIndex = NaiveSample.spread(p.count, wanted: positivesWanted, ends: 8)
      sample.falsePositives = NaiveNegatives(
        positives: sample.positiveIndex.map { p[$0] }, logits: logits, targets: targets,
        threshold: partition.threshold, step: step, parallelism: parallelism
      ).falsePositives()

      // One pass over the input: per chunk, how many relevant negatives it holds and the
      // candidates of each criterion, keyed by (value, input position). Positions order the
      // relevant negatives as their numbers 0..<M in input order do, so the k best by (value,
      // position) are the k best by (value, number), however the input is chunked. The
      // interval of each is the branch-free look-up of the binning passes.
      let chunking = Chunking(count: logits.count)
      let breaks = (p.map { $0 - delta } + p.map { $0 + delta }).sorted()
      let index = IntervalIndex(breaks: breaks)
      let found = chunking.map(parallelism) { range -> (count: Int, criteria: [Smallest]) in
        var count = 0
        var lowest = Smallest(256)
        var highest = Smallest(256)
        var nearest = Smallest(2048)
        // A block at a time: the look-ups first, into small buffers (a loop that compiles
        // like the binning passes': the look-up and the candidates in one closure were a call
        // an element, and this pass took 1.2 s a δ at N = 10⁸ instead of 0.8–0.9 s), then the
        // candidates from the buffers. hits[block] counts the relevant negatives found.
        let block = 4096
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * block)
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: block + 1)
        defer {
          scratch.deallocate()
          hits.deallocate()
        }
        breaks.withUnsafeBufferPointer { breaks in
          var start = range.lowerBound
          while start < range.upperBound {
            let end = min(start + block, range.upperBound)
            hits[block] = 0
            index.forEachRelevantNegative(
              in: start..<end, logits: logits, targets: targets, threshold: partition.threshold
            ) { i, q, k in
              let n = hits[block]
              scratch[2 * n] = q
              scratch[2 * n + 1] = NaiveSample.distance(q, to: breaks, above: k)
              hits[n] = i
              hits[block] = n + 1
            }
            let n = hits[block]
            for j in 0..<n {
              let q = scratch[2 * j]
              lowest.add(q, hits[j])
              highest.add(-q, hits[j])
              nearest.add(scratch[2 * j + 1], hits[j])
            }
            count += n
            start = end
          }
        }
        return (count, [lowest, highest, nearest])
      }
      var firstNumber = [0]
      for part in found { firstNumber.append(firstNumber.last! + part.count) }
      let total = firstNumber.last!

      // The evenly spread ones are numbers; the criteria's (only when the spread alone does
      // not take every relevant negative) are positions already.
      let spread = NaiveSample.spread(total, wanted: negativesWanted, ends: 0)
      var positions: Set<Int> = []
      if total > negativesWanted {
        for criterion in 0..<3 {
          var all = found[0].criteria[criterion]
          for part in found.dropFirst() { all.merge(part.criteria[criterion]) }
          positions.formUnion(all.indices)
        }
      }
      // The spread numbers' positions: each chunk walks its relevant negatives (a branch-free
      // test, no look-up) up to the last number it owns.
      let spreadPositions = chunking.map(parallelism) { range -> [Int] in
        let chunk = range.lowerBound / chunking.chunkSize
        var number = firstNumber[chunk]
        var k = spread.lowerBound(number)
        var items: [Int] = []
        guard k < spread.count && spread[k] < firstNumber[chunk + 1] else { return items }
        forEachSelected(in: range) { i in
          Partition.relevance(
            logit: logits[i].double, target: targets[i], threshold: partition.threshold)
        } _: { i in
          if k < spread.count && spread[k] == number {
            items.append(i)
            k += 1
          }
          number += 1
        }
        return items
      }
      for chunk in spreadPositions { positions.formUnion(chunk) }
      // The chosen negatives' logits and positions, in input order.
      let picked = positions.sorted().map { (logits[$0].double, $0) }
      sample.negativeLogits = picked.map(\.0)
      sample.negativeIndex = picked.map(\.1)
      return sample
    }
  }

  /// The `k` smallest (key, number) pairs seen, without sorting all of them: candidates are
  /// kept in a buffer that is cut back to k whenever it reaches 4k.
  struct Smallest {
    let k: Int
    private var buffer: [(Double, Int)] = []
    private var cutoff = Double.infinity

    init(_ k: Int) {
      self.k = k
      buffer.reserveCapacity(4 * k)
    }

    @inline(__always)
    mutating func add(_ value: Double, _ number: Int) {
      // ≤: a tie with the cutoff may still have a smaller number (chunks merge out of order).
      guard value <= cutoff || buffer.count < k else { return }
      buffer.append((value, number))
      if buffer.count >= 4 * k { cut() }
    }

    mutating func merge(_ other: Smallest) {
      for (value, number) in other.buffer { add(value, number) }
    }

    @inline(never)
    private mutating func cut() {
      buffer.sort { $0 < $1 }
      buffer.removeLast(max(0, buffer.count - k))
      if buffer.count == k { cutoff = buffer[k - 1].0 }
    }

    /// The numbers of the k smallest.
    var indices: [Int] {
      buffer.sorted { $0 < $1 }.prefix(k).map(\.1)
    }
  }

  /// `wanted` indices of 0..<count (all if there are fewer): the `ends` lowest and highest and
  /// the rest evenly spread, ascending and distinct.
  static func spread(_ count: Int, wanted: Int, ends: Int) -> [Int] {
    guard count > wanted else { return Array(0..<count) }
    var chosen = Set(0..<ends).union((count - ends)..<count)
    let between = max(2, wanted - 2 * ends)
    for j in 0..<between {
      chosen.insert(Int((Double(j) * Double(count - 1) / Double(between - 1)).rounded()))
    }
    var index = 0
    while chosen.count < wanted {  // rounding collisions: fill from the bottom
      chosen.insert(index)
      index += 1
    }
    return chosen.sorted()
  }

  /// The distance from `value` to the nearest of `sorted` (not empty), given
  /// `above` = #{b ≤ value} (an ``IntervalIndex`` look-up).
  @inline(__always)
  static func distance(
    _ value: Double, to sorted: UnsafeBufferPointer<Double>, above: Int
  ) -> Double {
    var best = Double.infinity
    if above < sorted.count { best = abs(sorted[above] - value) }
    if above > 0 { best = min(best, abs(value - sorted[above - 1])) }
    return best
  }
}

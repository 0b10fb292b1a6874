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
        parallelism: input.parallelism))
  }

  private init(step: SmoothStep, parallelism: Parallelism) {
    self.step = step
    self.parallelism = parallelism
  }

  /// The number of relevant negatives (logit ≥ min positive − δ) of `input`.
  static func relevantNegatives(_ input: LossInput, delta: Double) -> Int {
    (try? input.visit(Counter(delta: delta, parallelism: input.parallelism))) ?? 0
  }

  /// The method's sums (its FP_i for the sampled positives, then its gradient at the sampled
  /// negatives) against the definition's, with the method's own weights.
  func compare(
    _ result: LossResult, _ sums: NegativeSumsCapture, rtol: Double, atol: Double
  ) -> ResultComparison {
    var values = positiveIndex.map {
      sums.falsePositives.indices.contains($0) ? sums.falsePositives[$0] : .nan
    }
    var reference = falsePositives
    let model = NaiveNegatives(
      positives: sums.positives,
      negatives: RelevantNegatives(logits: negativeLogits, index: Array(negativeLogits.indices)),
      step: step, parallelism: parallelism)
    var gradient = [Double](repeating: 0, count: negativeLogits.count)
    if !sums.positives.isEmpty {
      gradient.withUnsafeMutableBufferPointer {
        model.writeGradients(weights: sums.weights, into: $0)
      }
    }
    reference += gradient
    values += negativeIndex.map { result.gradient[$0] }
    return ResultComparison(
      loss: nil, gradient: values, referenceGradient: reference, rtol: rtol, atol: atol)
  }

  private struct Counter: ColumnsVisitor {
    let delta: Double
    let parallelism: Parallelism
    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) throws -> Int {
      let partition = try Partition(
        logits: logits, targets: targets, delta: delta, parallelism: parallelism)
      return partition.chunking.map(parallelism) { range in
        var count = 0
        for i in range
        where partition.isRelevantNegative(logit: logits[i].double, target: targets[i]) {
          count += 1
        }
        return count
      }.reduce(0, +)
    }
  }

  private struct Builder: ColumnsVisitor {
    let delta: Double
    let positivesWanted: Int
    let negativesWanted: Int
    let parallelism: Parallelism

    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) throws -> NaiveSample {
      let step = SmoothStep(delta: delta)
      var sample = NaiveSample(step: step, parallelism: parallelism)
      let partition = try Partition(
        logits: logits, targets: targets, delta: delta, parallelism: parallelism)
      let p = partition.positives.logits
      guard !p.isEmpty else { return sample }
      sample.positiveIndex = NaiveSample.spread(p.count, wanted: positivesWanted, ends: 8)
      let relevant = RelevantNegatives(logits: logits, targets: targets, partition: partition)
      sample.falsePositives = NaiveNegatives(
        positives: sample.positiveIndex.map { p[$0] }, negatives: relevant, step: step,
        parallelism: parallelism
      ).falsePositives()

      let q = relevant.logits
      var chosen = Set(NaiveSample.spread(q.count, wanted: negativesWanted, ends: 0))
      if q.count > negativesWanted {
        chosen.formUnion(NaiveSample.smallest(256, of: q.count) { q[$0] })
        chosen.formUnion(NaiveSample.smallest(256, of: q.count) { -q[$0] })
        let breaks = (p.map { $0 - delta } + p.map { $0 + delta }).sorted()
        chosen.formUnion(
          NaiveSample.smallest(2048, of: q.count) { NaiveSample.distance(q[$0], to: breaks) })
      }
      let order = chosen.sorted()
      sample.negativeLogits = order.map { q[$0] }
      sample.negativeIndex = order.map { relevant.index[$0] }
      return sample
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

  /// The `k` indices of 0..<count with the smallest `key` (ties by index), without sorting all
  /// of them: candidates are kept in a buffer that is cut back to k whenever it reaches 4k.
  static func smallest(_ k: Int, of count: Int, key: (Int) -> Double) -> [Int] {
    var buffer: [(Double, Int)] = []
    buffer.reserveCapacity(4 * k)
    var cutoff = Double.infinity
    for n in 0..<count {
      let value = key(n)
      guard value < cutoff || buffer.count < k else { continue }
      buffer.append((value, n))
      if buffer.count >= 4 * k {
        buffer.sort { $0 < $1 }
        buffer.removeLast(buffer.count - k)
        cutoff = buffer[k - 1].0
      }
    }
    buffer.sort { $0 < $1 }
    return buffer.prefix(k).map(\.1)
  }

  /// The distance from `value` to the nearest of `sorted` (not empty).
  static func distance(_ value: Double, to sorted: [Double]) -> Double {
    var low = 0
    var high = sorted.count
    while low < high {
      let middle = (low + high) / 2
      if sorted[middle] < value { low = middle + 1 } else { high = middle }
    }
    var best = Double.infinity
    if low < sorted.count { best = abs(sorted[low] - value) }
    if low > 0 { best = min(best, abs(value - sorted[low - 1])) }
    return best
  }
}

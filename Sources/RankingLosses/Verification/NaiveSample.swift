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

  /// Builds the sample in streaming passes over the input (counts per chunk, the positives'
  /// FP_i, the selection, the gather of the chosen): O(P + sample) memory, no copy of the
  /// relevant negatives.
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
      sample.falsePositives = NaiveNegatives(
        positives: sample.positiveIndex.map { p[$0] }, logits: logits, targets: targets,
        threshold: partition.threshold, step: step, parallelism: parallelism
      ).falsePositives()

      // The relevant negatives are numbered 0..<M in input order; each chunk knows where its
      // numbers start.
      let chunking = Chunking(count: logits.count)
      let relevant = { (i: Int) in
        partition.isRelevantNegative(logit: logits[i].double, target: targets[i])
      }
      let counts = chunking.map(parallelism) { range in
        var count = 0
        for i in range where relevant(i) { count += 1 }
        return count
      }
      var firstNumber = [0]
      for count in counts { firstNumber.append(firstNumber.last! + count) }
      let total = firstNumber.last!

      var chosen = Set(NaiveSample.spread(total, wanted: negativesWanted, ends: 0))
      if total > negativesWanted {
        let breaks = (p.map { $0 - delta } + p.map { $0 + delta }).sorted()
        // Per chunk the candidates of each criterion, then the k best of all chunks: the
        // selection by (key, number) is the same however the input is chunked.
        let found = chunking.map(parallelism) { range -> [Smallest] in
            var number = firstNumber[range.lowerBound / chunking.chunkSize]
            var lowest = Smallest(256)
            var highest = Smallest(256)
            var nearest = Smallest(2048)
            for i in range where relevant(i) {
              let q = logits[i].double
              lowest.add(q, number)
              highest.add(-q, number)
              nearest.add(NaiveSample.distance(q, to: breaks), number)
              number += 1
            }
            return [lowest, highest, nearest]
        }
        for criterion in 0..<3 {
          var all = found[0][criterion]
          for part in found.dropFirst() { all.merge(part[criterion]) }
          chosen.formUnion(all.indices)
        }
      }
      // Gather the chosen negatives' logits and positions, in input order.
      let order = chosen.sorted()
      let picked = chunking.map(parallelism) { range -> [(Double, Int)] in
        var number = firstNumber[range.lowerBound / chunking.chunkSize]
        var k = order.lowerBound(number)
        var items: [(Double, Int)] = []
        for i in range where relevant(i) {
          if k < order.count && order[k] == number {
            items.append((logits[i].double, i))
            k += 1
          }
          number += 1
        }
        return items
      }.flatMap { $0 }
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

    mutating func add(_ value: Double, _ number: Int) {
      // ≤: a tie with the cutoff may still have a smaller number (chunks merge out of order).
      guard value <= cutoff || buffer.count < k else { return }
      buffer.append((value, number))
      if buffer.count >= 4 * k { cut() }
    }

    mutating func merge(_ other: Smallest) {
      for (value, number) in other.buffer { add(value, number) }
    }

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

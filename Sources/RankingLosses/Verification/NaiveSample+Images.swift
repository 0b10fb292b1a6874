/// What `brl verify`'s sampled naive checks need from a sample: ``NaiveSample`` for the batch,
/// ``ImageNaiveSample`` per image.
protocol SampledDefinition {
  /// The compared values: sampled positives (their FP_i) and negatives (their gradient).
  var positiveCount: Int { get }
  var negativeCount: Int { get }
  /// The sampled negatives' logits and input positions, in comparison order.
  var negativeLogits: [Double] { get }
  var negativeIndex: [Int] { get }
  /// The number of images sampled; nil for the batch sample.
  var images: Int? { get }
  /// The method's FP_i and gradient at the sample against the definition's.
  func compare(
    _ result: LossEvaluation, _ sums: NegativeSumsCapture, rtol: Double, atol: Double
  ) -> ResultComparison
  /// The definition's gradient at each sampled negative, with the method's weights, as the
  /// result holds it.
  func definitionGradients(_ sums: NegativeSumsCapture) -> [Double]
}

extension NaiveSample: SampledDefinition {
  var images: Int? { nil }
}

extension Verifier {
  /// The sample for the request's grouping at `delta`.
  func sampledDefinition(_ input: LossInput, delta: Double) throws -> any SampledDefinition {
    request.grouping == .image
      ? try ImageNaiveSample(
        input, delta: delta, positives: request.sampledPositives,
        negatives: request.sampledNegatives)
      : try NaiveSample(
        input, delta: delta, positives: request.sampledPositives,
        negatives: request.sampledNegatives)
  }
}

/// The naive definition on a deterministic sample, per image (``Grouping/image``): every image
/// with positives gets its own ``NaiveSample`` of its own examples, so FP_i of its sampled
/// positives is summed over all of that image's relevant negatives, and the gradient of its
/// sampled negatives from that image's positives with the weights the method computed for that
/// image (``NegativeSumsCapture/images``). Each image is sampled as a batch of its examples
/// would be (at least 64 positives and 4096 negatives of the image, or all it has), so the
/// definition is checked in every image, small ones included; the work is that of one batch
/// sample (positives × relevant negatives and negatives × positives, summed over images).
///
/// The compared values are every image's sampled FP_i (images in ascending id order), then every
/// image's sampled gradients, divided by G as the per-image result is. The sample depends only
/// on the input, its image ids and δ.
///
/// Building it groups the input by image (``ImageGroups``: a copy of the logits and targets
/// when the images are interleaved, a transient released before any method runs); the sampled
/// negatives' positions are mapped back to the input in one pass over the ids.
struct ImageNaiveSample: SampledDefinition {
  /// One image's sample; its negatives' indices are input positions.
  var samples: [NaiveSample] = []
  /// G: the images with positives.
  var imagesWithPositives = 0

  var images: Int? { imagesWithPositives }
  var positiveCount: Int { samples.reduce(0) { $0 + $1.positiveCount } }
  var negativeCount: Int { samples.reduce(0) { $0 + $1.negativeCount } }
  var negativeLogits: [Double] { samples.flatMap(\.negativeLogits) }
  var negativeIndex: [Int] { samples.flatMap(\.negativeIndex) }

  init(_ input: LossInput, delta: Double, positives: Int, negatives: Int) throws {
    guard let ids = input.imageIDs else { throw RankingLossError.missingImageIDs }
    guard ids.count == input.count else {
      throw RankingLossError.imageIDCount(expected: input.count, found: ids.count)
    }
    self = try input.visit(
      Builder(
        delta: delta, positivesWanted: positives, negativesWanted: negatives, ids: ids,
        parallelism: input.parallelism))
  }

  private init() {}

  func compare(
    _ result: LossEvaluation, _ sums: NegativeSumsCapture, rtol: Double, atol: Double
  ) -> ResultComparison {
    // One capture per image with positives, in the same order as the samples; a method that
    // left them out compares as NaN (a failure), never as a match.
    let captured = sums.images.count == samples.count
    var values: [Double] = []
    var reference: [Double] = []
    for (g, sample) in samples.enumerated() {
      let fp = captured ? sums.images[g].falsePositives : []
      values += sample.positiveIndex.map { fp.indices.contains($0) ? fp[$0] : .nan }
      reference += sample.falsePositives
    }
    values += negativeIndex.map { result.gradient(at: $0) }
    reference += definitionGradients(sums)
    return ResultComparison(
      loss: nil, gradient: values, referenceGradient: reference, rtol: rtol, atol: atol)
  }

  func definitionGradients(_ sums: NegativeSumsCapture) -> [Double] {
    guard sums.images.count == samples.count else {
      return [Double](repeating: .nan, count: negativeCount)
    }
    let count = Double(imagesWithPositives)
    return samples.indices.flatMap { g in
      samples[g].definitionGradients(sums.images[g]).map { $0 / count }
    }
  }

  private struct Builder: ColumnsVisitor {
    let delta: Double
    let positivesWanted: Int
    let negativesWanted: Int
    let ids: [Int64]
    let parallelism: Parallelism

    func visit<L: ColumnScalar, T: ColumnScalar>(
      logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
    ) throws -> ImageNaiveSample {
      try InputScan.checkShape(logitCount: logits.count, targetCount: targets.count, delta: delta)
      var result = ImageNaiveSample()
      let groups = ImageGroups(ids: ids, logits: logits, targets: targets, parallelism: parallelism)
      let evaluated = groups.positives.indices.filter { groups.positives[$0] > 0 }
      result.imagesWithPositives = evaluated.count
      // Each image's sample on its examples (the input's or the grouped copies' range).
      func sample(_ l: UnsafeBufferPointer<L>, _ t: UnsafeBufferPointer<T>) throws {
        for g in evaluated {
          let range = groups.ranges[g]
          let input = LossInput(
            logits: Column(UnsafeBufferPointer(rebasing: l[range])),
            targets: Column(UnsafeBufferPointer(rebasing: t[range])),
            parallelism: parallelism)
          var sample = try NaiveSample(
            input, delta: delta, positives: positivesWanted, negatives: negativesWanted)
          // Positions in the image, as grouped; back to the input below.
          sample.negativeIndex = sample.negativeIndex.map { range.lowerBound + $0 }
          result.samples.append(sample)
        }
      }
      if let groupedLogits = groups.groupedLogits, let groupedTargets = groups.groupedTargets {
        try groupedLogits.withUnsafeBufferPointer { l in
          try groupedTargets.withUnsafeBufferPointer { t in try sample(l, t) }
        }
        result.mapToInput(groups, ids: ids, evaluated: evaluated)
      } else {
        try sample(logits, targets)
      }
      return result
    }
  }

  /// Grouped positions of the sampled negatives to input positions: image g's grouped
  /// position `ranges[g].lowerBound + r` is its r-th example in input order (the grouping is
  /// stable), found by counting each image's examples in one pass over the ids.
  private mutating func mapToInput<L, T>(
    _ groups: ImageGroups<L, T>, ids: [Int64], evaluated: [Int]
  ) {
    // Per image: its samples' ranks in the image (ascending, as the sample keeps them).
    var wanted = [[Int]](repeating: [], count: groups.ids.count)
    for (slot, g) in evaluated.enumerated() {
      wanted[g] = samples[slot].negativeIndex.map { $0 - groups.ranges[g].lowerBound }
    }
    var found = wanted.map { [Int](repeating: 0, count: $0.count) }
    var seen = [Int](repeating: 0, count: groups.ids.count)
    var next = [Int](repeating: 0, count: groups.ids.count)
    ids.withUnsafeBufferPointer { id in
      for i in id.indices {
        let g = Int(groups.imageOfKey[groups.key(of: i, ids: id)])
        if next[g] < wanted[g].count && wanted[g][next[g]] == seen[g] {
          found[g][next[g]] = i
          next[g] += 1
        }
        seen[g] += 1
      }
    }
    for (slot, g) in evaluated.enumerated() { samples[slot].negativeIndex = found[g] }
  }
}

extension Column {
  /// A column viewing `buffer`.
  init<L: ColumnScalar>(_ buffer: UnsafeBufferPointer<L>) {
    switch buffer {
    case let b as UnsafeBufferPointer<Float>: self = .float32(b)
    case let b as UnsafeBufferPointer<Double>: self = .float64(b)
    case let b as UnsafeBufferPointer<BFloat16>: self = .bfloat16(b)
    default: preconditionFailure("no column of \(L.self)")
    }
  }
}

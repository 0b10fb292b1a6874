extension LossDefinition {
  /// The loss with ``Grouping/image``: every image with a positive evaluated on its own examples
  /// by the batch evaluation, then averaged over those G images (formula and reasons at
  /// ``Grouping``).
  ///
  /// Cost: one counting pass over the ids and, only when the images are interleaved, one stable
  /// permutation of the input (``ImageGroups``), both O(N); no copy per image. Images are
  /// evaluated in parallel (small ones one per thread, large ones one after another with the
  /// input's threads). Every image's result is the same bits for any thread count (its
  /// evaluation is) and the images are summed in ascending id order, so the grouped result is too.
  ///
  /// Inputs are checked as a whole first, so errors name input positions: lengths, δ, finite
  /// logits, one id per example, and aLRP's regression losses (one per positive of the input).
  ///
  /// With a `capture`, each image's negative sums go to `capture.images` (one per image with
  /// positives, ascending id), for `brl verify`'s per-image sample.
  func evaluatePerImage(
    _ input: LossInput, method: Method, capture: NegativeSumsCapture? = nil
  ) throws -> LossEvaluation {
    guard let ids = input.imageIDs else { throw RankingLossError.missingImageIDs }
    return try input.visit(
      PerImageVisitor(
        loss: self, method: method, ids: ids, regressionLosses: input.regressionLosses,
        parallelism: input.parallelism, capture: capture))
  }
}

/// What one image's evaluation leaves once its gradient is scattered.
struct ImageResult {
  var loss: Double
  var rankingLoss: Double?
  var sortingLoss: Double?
  var ranks: [Double]?
  var relevantNegatives: Int
  var buckets: Int?
}

struct PerImageVisitor<Loss: LossDefinition>: ColumnsVisitor {
  let loss: Loss
  let method: Method
  let ids: [Int64]
  let regressionLosses: [Double]?
  let parallelism: Parallelism
  let capture: NegativeSumsCapture?

  /// Images of at least this many examples are evaluated with the input's threads, one after
  /// another; smaller ones one per thread (a chunked pass does not split fewer than 2¹⁶·2).
  static var largeImage: Int { 1 << 17 }

  func visit<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
  ) throws -> LossEvaluation {
    let n = logits.count
    try InputScan.checkShape(logitCount: n, targetCount: targets.count, delta: loss.delta)
    guard ids.count == n else { throw RankingLossError.imageIDCount(expected: n, found: ids.count) }

    // Whole-input checks and counts, so errors and statistics speak of the input.
    // Exact on interleaved images ranks them in input order and needs the positives' positions.
    let scan = try InputScan(
      logits: logits, targets: targets, parallelism: parallelism,
      keepingPositivePositions: method == .exact)
    let positiveCount = scan.positives
    if let regressionLosses {
      guard regressionLosses.count == positiveCount else {
        throw RankingLossError.regressionLossCount(
          expected: positiveCount, found: regressionLosses.count)
      }
      if let bad = regressionLosses.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
        throw RankingLossError.invalidRegressionLoss(index: bad, value: regressionLosses[bad])
      }
    }

    let groups = ImageGroups(
      ids: ids, logits: logits, targets: targets, parallelism: parallelism,
      copying: method != .exact)
    let ordinals = groups.positiveOrdinals()
    let evaluated = groups.positives.indices.filter { groups.positives[$0] > 0 }
    let statistics = LossResult.Statistics(
      count: n, positives: positiveCount, negatives: scan.negatives, ignored: scan.ignored,
      relevantNegatives: 0)
    let imageLosses = [Double](repeating: .nan, count: groups.ids.count)
    let captures = capture.map { _ in evaluated.map { _ in NegativeSumsCapture() } }
    capture?.images = captures ?? []

    // No image with a positive: nothing is ranked, as for a batch without positives.
    guard !evaluated.isEmpty else {
      let terms = Loss.termsWithoutPositives
      return LossEvaluation(
        LossResult(
          loss: terms.loss, rankingLoss: terms.rankingLoss, sortingLoss: terms.sortingLoss,
          gradient: [Double](repeating: 0, count: n), ranks: terms.ranks, statistics: statistics,
          images: ImageLosses(ids: groups.ids, losses: imageLosses, withPositives: 0)),
        parallelism: parallelism)
    }

    if groups.isInterleaved && method == .exact {
      let (write, results) = try evaluateExactInInputOrder(
        logits: logits, targets: targets, groups: groups, evaluated: evaluated,
        ordinals: ordinals, positivePositions: scan.positivePositions, captures: captures)
      return combine(
        results, groups: groups, evaluated: evaluated, ordinals: ordinals,
        statistics: statistics, write: write)
    }

    let imagesWithPositives = Double(evaluated.count)
    // The images' gradients, in the layout of their examples: the input's, or the grouped
    // copies' (then gathered back into input order at the end).
    // Uninitialised: the images' ranges cover 0..<n, the evaluated ones write theirs below and
    // the others are zeroed here.
    var gradient = [Double](unsafeUninitializedCapacity: n) { g, initialized in
      for g0 in groups.positives.indices where groups.positives[g0] == 0 {
        let range = groups.ranges[g0]
        (g.baseAddress! + range.lowerBound).initialize(repeating: 0, count: range.count)
      }
      initialized = n
    }
    var results = [ImageResult?](repeating: nil, count: evaluated.count)
    var errors = [(any Error)?](repeating: nil, count: evaluated.count)

    // The images' examples: the input itself, or its copy grouped by image.
    func run(_ groupedLogits: UnsafeBufferPointer<L>, _ groupedTargets: UnsafeBufferPointer<T>) {
      gradient.withUnsafeMutableBufferPointer { gradient in
        results.withUnsafeMutableBufferPointer { results in
          errors.withUnsafeMutableBufferPointer { errors in
            func evaluate(_ slot: Int, _ parallelism: Parallelism) {
              let g = evaluated[slot]
              let range = groups.ranges[g]
              let visitor = EvaluationVisitor(
                loss: loss, method: method,
                regressionLosses: regressionLosses.map { r in ordinals[g].map { r[$0] } },
                parallelism: parallelism, capture: captures?[slot])
              do {
                let result = try visitor.visit(
                  logits: UnsafeBufferPointer(rebasing: groupedLogits[range]),
                  targets: UnsafeBufferPointer(rebasing: groupedTargets[range])
                ).result()
                result.gradient.withUnsafeBufferPointer { local in
                  for j in local.indices {
                    gradient[range.lowerBound + j] = local[j] / imagesWithPositives
                  }
                }
                results[slot] = ImageResult(
                  loss: result.loss, rankingLoss: result.rankingLoss,
                  sortingLoss: result.sortingLoss, ranks: result.ranks,
                  relevantNegatives: result.statistics.relevantNegatives,
                  buckets: result.statistics.buckets)
              } catch {
                errors[slot] = error
              }
            }
            let large = evaluated.indices.filter {
              groups.ranges[evaluated[$0]].count >= Self.largeImage
            }
            let small = evaluated.indices.filter {
              groups.ranges[evaluated[$0]].count < Self.largeImage
            }
            for slot in large { evaluate(slot, parallelism) }
            Chunking(count: small.count, minimumChunkSize: 1, maximumChunks: small.count)
              .forEach(parallelism) { _, range in
                for k in range { evaluate(small[k], .serial) }
              }
          }
        }
      }
    }
    if let groupedLogits = groups.groupedLogits, let groupedTargets = groups.groupedTargets {
      groupedLogits.withUnsafeBufferPointer { l in
        groupedTargets.withUnsafeBufferPointer { t in run(l, t) }
      }
    } else {
      run(logits, targets)
    }
    if let error = errors.lazy.compactMap({ $0 }).first { throw error }
    if let position = groups.position {
      let grouped = gradient
      gradient = [Double](unsafeUninitializedCapacity: n) { out, initialized in
        grouped.withUnsafeBufferPointer { grouped in
          position.withUnsafeBufferPointer { position in
            Chunking(count: n).forEach(parallelism) { _, range in
              for i in range { out.initializeElement(at: i, to: grouped[Int(position[i])]) }
            }
          }
        }
        initialized = n
      }
    }

    let grouped = gradient
    return combine(
      results.map { $0! }, groups: groups, evaluated: evaluated, ordinals: ordinals,
      statistics: statistics
    ) { range, output in
      grouped.withUnsafeBufferPointer { g in _ = output.initialize(from: g[range]) }
    }
  }

  /// The per-image result from every evaluated image's (`done[slot]` for image
  /// `evaluated[slot]`) and `write`, which writes the gradient of a range of examples (already
  /// divided by G, input order).
  func combine<L: ColumnScalar, T: ColumnScalar>(
    _ done: [ImageResult], groups: ImageGroups<L, T>, evaluated: [Int],
    ordinals: [[Int]], statistics: LossResult.Statistics,
    write: @escaping (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void
  ) -> LossEvaluation {
    // Sums over images in ascending id order, then the mean over the G images.
    let imagesWithPositives = Double(evaluated.count)
    let positiveCount = statistics.positives
    var statistics = statistics
    var imageLosses = [Double](repeating: .nan, count: groups.ids.count)
    for (slot, g) in evaluated.enumerated() { imageLosses[g] = done[slot].loss }
    func mean(_ part: (ImageResult) -> Double?) -> Double? {
      guard part(done[0]) != nil else { return nil }
      return done.reduce(0) { $0 + (part($1) ?? 0) } / imagesWithPositives
    }
    var ranks: [Double]? = nil
    if done[0].ranks != nil {
      var all = [Double](repeating: 0, count: positiveCount)
      for (slot, g) in evaluated.enumerated() {
        for (k, ordinal) in ordinals[g].enumerated() { all[ordinal] = done[slot].ranks![k] }
      }
      ranks = all
    }
    statistics.relevantNegatives = done.reduce(0) { $0 + $1.relevantNegatives }
    if done[0].buckets != nil { statistics.buckets = done.reduce(0) { $0 + ($1.buckets ?? 0) } }
    return LossEvaluation(
      loss: mean(\.loss)!, rankingLoss: mean(\.rankingLoss), sortingLoss: mean(\.sortingLoss),
      ranks: ranks, statistics: statistics,
      images: ImageLosses(ids: groups.ids, losses: imageLosses, withPositives: evaluated.count),
      parallelism: parallelism, write: write)
  }
}

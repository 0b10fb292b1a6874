/// The exact method per image on interleaved image ids, in input order: ``ExactNegatives``
/// generalised to several images, without grouping the input by image.
///
/// Every image g with positives gets its own break points, ``IntervalIndex`` and interval
/// tables, built from its positives alone exactly as for an evaluation of that image on its own.
/// The intervals are numbered globally: image g's interval k is `base_g + k`, with global
/// interval 0 a line of zeros for everything that is not a relevant negative of its image
/// (positives, ignored examples, negatives below their image's threshold, every example of an
/// image without positives). Then, as for the batch:
///
/// 1. one binning pass over the input in input order finds each example's image from its id,
///    and for a relevant negative of that image (target 0, logit ≥ the image's lowest break
///    point) its interval in the image's index (the relevance test without a branch, as the
///    batch's); it stores the global interval (4 bytes an element) and adds 1 and (q − L_k)·s
///    to that interval's sums;
/// 2. per image, FP_i from its own tables, the loss terms, the weights and the interval lines
///    A_k, B_k (``ExactNegatives/falsePositives()``, ``ExactNegatives/intervalLines(weights:)``);
/// 3. the gradient written on demand (``LossEvaluation``), range by range: the same
///    branch-free gather as the batch's, divided by G.
///
/// Only one N-element array is made: the stored intervals (the batch makes the same); the
/// per-interval sums are O(P + G) per chunk.
///
/// **Same results as an image alone.** Every image's break points, lines and FP_i formulas
/// are those of its own evaluation, and its counts are exact. Its offset sums T_k add the same
/// terms in the same (input) order, but cut into the chunks of the whole input instead of the
/// image's own chunks, so for inputs of more than one chunk (2¹⁷ elements and up) they may
/// differ in the last bits (relative 1e-16 of a sum); for smaller inputs they are the same
/// bits. The chunks depend only on the sizes, so every thread count gives the same bits.
extension PerImageVisitor {
  /// A writer of the gradient of any range (divided by G, input order; it reads the input, so
  /// it is valid while the input is) and each evaluated image's result, for
  /// ``Method/exact`` on interleaved images (`groups.isInterleaved`; `evaluated` the images
  /// with positives, `ordinals` and `positivePositions` the images' and the input's positives).
  func evaluateExactInInputOrder<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, groups: ImageGroups<L, T>,
    evaluated: [Int], ordinals: [[Int]], positivePositions: [Int],
    captures: [NegativeSumsCapture]?
  ) throws -> (
    write: (Range<Int>, UnsafeMutableBufferPointer<Double>) -> Void, results: [ImageResult]
  ) {
    let n = logits.count
    let step = SmoothStep(delta: loss.delta)
    let images = evaluated.count
    let imagesWithPositives = Double(images)

    // Per evaluated image: its positives (input positions via the image's ordinals) and its
    // tables, built without negatives.
    let models = try evaluated.map { g in
      try imageModel(
        logits: logits, targets: targets, positions: ordinals[g].map { positivePositions[$0] },
        step: step)
    }
    // Global intervals: 0 is the zero line, image s's interval k is base[s] + k.
    var base = [Int](repeating: 0, count: images + 1)
    base[0] = 1
    for s in 0..<images { base[s + 1] = base[s] + models[s].breaks.count + 1 }
    let intervals = base[images]
    let (preScale, postScale) = step.differenceScaling
    // L_k·f per global interval; −∞-like for each interval 0 (as the batch's gradient pass).
    var lower = [Double](repeating: -.greatestFiniteMagnitude * preScale, count: intervals)
    for s in 0..<images {
      for (k, b) in models[s].breaks.enumerated() { lower[base[s] + k + 1] = b * preScale }
    }
    // Per key: the slot of its image among the evaluated ones, or `images` (threshold +∞,
    // nothing is relevant) for a key of an image without positives.
    var slotOfImage = [Int32](repeating: Int32(images), count: groups.ids.count)
    for (s, g) in evaluated.enumerated() { slotOfImage[g] = Int32(s) }
    let slotOfKey = groups.imageOfKey.map { $0 >= 0 ? slotOfImage[Int($0)] : Int32(images) }
    let thresholds = models.map { $0.breaks.first ?? .infinity } + [.infinity]
    let indices = models.map(\.index)

    // (1) The binning pass, per chunk its own sums (count, Σ (q − L_k)·s side by side), added
    // in chunk order.
    let chunking = Chunking(count: n, maximumChunks: max(2, (1 << 17) / intervals))
    var parts: [[Double]] = []
    let elementIntervals = [UInt32](unsafeUninitializedCapacity: n) { slots, initialized in
      let slots = UncheckedSendable(slots)
      ids.withUnsafeBufferPointer { id in
        parts = chunking.map(parallelism) { range in
          var sums = [Double](repeating: 0, count: 2 * intervals)
          sums.withUnsafeMutableBufferPointer { acc in
            lower.withUnsafeBufferPointer { b in
              slotOfKey.withUnsafeBufferPointer { slotOfKey in
                thresholds.withUnsafeBufferPointer { thresholds in
                  indices.withUnsafeBufferPointer { indices in
                    base.withUnsafeBufferPointer { base in
                      // As the batch's binning (``IntervalIndex/forEachRelevantNegative``),
                      // relevance without a branch, a block at a time, then the relevant ones
                      // looked up in their image's index. (The batch's branch-free look-up
                      // was slower here: an index per image, 127 ms against 107 ms at 10⁷.)
                      UnsafeMutableBufferPointer(rebasing: slots.value[range]).initialize(
                        repeating: 0)
                      forEachSelected(in: range) { i in
                        let s = Int(slotOfKey[groups.key(of: i, ids: id)])
                        return Partition.relevance(
                          logit: logits[i].double, target: targets[i], threshold: thresholds[s])
                      } _: { i in
                        let s = Int(slotOfKey[groups.key(of: i, ids: id)])
                        let q = logits[i].double
                        // k ≥ 1: the image's lowest break point is its threshold.
                        let k = base[s] + indices[s].interval(q)
                        slots.value[i] = UInt32(truncatingIfNeeded: k)
                        acc[2 * k] += 1
                        acc[2 * k + 1] += (q * preScale - b[k]) * postScale
                      }
                    }
                  }
                }
              }
            }
          }
          return sums
        }
      }
      initialized = n
    }
    var total = [Double](repeating: 0, count: 2 * intervals)
    total.withUnsafeMutableBufferPointer { t in
      for part in parts {
        part.withUnsafeBufferPointer { p in
          for k in 0..<(2 * intervals) { t[k] += p[k] }
        }
      }
    }
    parts = []

    // (2) Per image: its sums, FP_i, terms and interval lines; images in parallel (each a fixed
    // computation, so the bits do not depend on which thread runs it).
    var value = [Double](repeating: 0, count: intervals)
    var slope = [Double](repeating: 0, count: intervals)
    var results = [ImageResult?](repeating: nil, count: images)
    var positiveGradients = [[Double]](repeating: [], count: images)
    value.withUnsafeMutableBufferPointer { value in
      slope.withUnsafeMutableBufferPointer { slope in
        results.withUnsafeMutableBufferPointer { results in
          positiveGradients.withUnsafeMutableBufferPointer { positiveGradients in
            let out = UncheckedSendable((value, slope, results, positiveGradients))
            Chunking(count: images, minimumChunkSize: 1, maximumChunks: images)
              .forEach(parallelism) { _, range in
                for s in range {
                  let (result, lines, positiveGradient) = finishImage(
                    models[s], sums: total[(2 * base[s])..<(2 * base[s + 1])],
                    regressionLosses: regressionLosses.map { r in
                      ordinals[evaluated[s]].map { r[$0] }
                    }, capture: captures?[s])
                  for k in lines.value.indices {
                    out.value.0[base[s] + k] = lines.value[k]
                    out.value.1[base[s] + k] = lines.slope[k]
                  }
                  out.value.2[s] = result
                  out.value.3[s] = positiveGradient
                }
              }
          }
        }
      }
    }

    // (3) The gradient, written on demand (``LossEvaluation``): the batch's gather over the
    // global lines, divided by G, then the positives of the range.
    var positiveIndex: [Int] = []
    var positiveValue: [Double] = []
    for s in 0..<images {
      positiveIndex += models[s].partition.positives.inputIndex
      positiveValue += positiveGradients[s].map { $0 / imagesWithPositives }
    }
    let byIndex = positiveIndex.indices.sorted { positiveIndex[$0] < positiveIndex[$1] }
    positiveIndex = byIndex.map { positiveIndex[$0] }
    positiveValue = byIndex.map { positiveValue[$0] }
    let write = { (range: Range<Int>, gradient: UnsafeMutableBufferPointer<Double>) in
      ExactNegatives<L, T>.gather(
        range, logits: logits, intervals: elementIntervals, value: value, slope: slope,
        lower: lower, preScale: preScale, postScale: postScale, divisor: imagesWithPositives,
        into: gradient)
      var p = positiveIndex.lowerBound(range.lowerBound)
      while p < positiveIndex.count && positiveIndex[p] < range.upperBound {
        gradient[positiveIndex[p] - range.lowerBound] = positiveValue[p]
        p += 1
      }
    }
    return (write, results.map { $0! })
  }

  /// The exact model of one image before its negatives are binned: its positives (at input
  /// `positions`, in input order) sorted as its own ``Partition`` sorts them, with input
  /// positions as ``Positives/inputIndex``, and its break points and index.
  private func imageModel<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>, positions: [Int],
    step: SmoothStep
  ) throws -> ExactNegatives<L, T> {
    let positiveLogits = positions.map { logits[$0] }
    let positiveTargets = positions.map { targets[$0] }
    // The positives alone, in input order: the same order, ties and ordinals as the image's.
    // (The input was checked as a whole, finite logits and δ, so this does not throw.)
    var partition = try positiveLogits.withUnsafeBufferPointer { l in
      try positiveTargets.withUnsafeBufferPointer { t in
        try Partition(logits: l, targets: t, delta: loss.delta, parallelism: .serial)
      }
    }
    partition.positives.inputIndex = partition.positives.inputIndex.map { positions[$0] }
    let none = UnsafeBufferPointer<L>(start: nil, count: 0)
    return ExactNegatives(
      logits: none, targets: UnsafeBufferPointer<T>(start: nil, count: 0), partition: partition,
      step: step)
  }

  /// One image's result from its interval sums (count and offset per interval, interleaved):
  /// what ``EvaluationVisitor`` computes for the image alone, and its lines and positives'
  /// gradient (divided by the image's P, ascending-logit order).
  private func finishImage<L: ColumnScalar, T: ColumnScalar>(
    _ model: ExactNegatives<L, T>, sums: ArraySlice<Double>, regressionLosses: [Double]?,
    capture: NegativeSumsCapture?
  ) -> (ImageResult, lines: (value: [Double], slope: [Double]), positiveGradient: [Double]) {
    var model = model
    let sums = Array(sums)
    let intervals = sums.count / 2
    model.counts = (0..<intervals).map { sums[2 * $0] }
    model.offsets = (0..<intervals).map { sums[2 * $0 + 1] }
    let positives = model.partition.positives
    let falsePositives = model.falsePositives()
    let terms = loss.terms(
      positives: positives, falsePositives: falsePositives,
      regressionLosses: regressionLosses.map { r in positives.ordinal.map { r[$0] } },
      method: .exact)
    let count = Double(positives.count)
    let weights = terms.negativeWeights.map { $0 / count }
    let lines = model.intervalLines(weights: weights)
    if let capture {
      capture.positives = positives.logits
      capture.falsePositives = falsePositives
      capture.weights = weights
    }
    var ranks: [Double]? = nil
    if let sortedRanks = terms.ranks {
      var inInputOrder = [Double](repeating: 0, count: positives.count)
      for (k, ordinal) in positives.ordinal.enumerated() { inInputOrder[ordinal] = sortedRanks[k] }
      ranks = inInputOrder
    }
    let result = ImageResult(
      loss: terms.loss, rankingLoss: terms.rankingLoss, sortingLoss: terms.sortingLoss,
      ranks: ranks, relevantNegatives: Int(model.counts.reduce(0, +)), buckets: nil)
    return (result, lines, terms.positiveGradient.map { $0 / count })
  }
}

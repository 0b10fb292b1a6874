/// A ranking-based loss: ``RankSortLoss``, ``APLoss`` or ``ALRPLoss``.
public protocol RankingLoss: Sendable {
  /// The half-width δ of the smoothed step (0 = hard step).
  var delta: Double { get }

  /// Evaluates the loss and its gradient on `input` with `method`.
  ///
  /// - Throws: ``RankingLossError`` for an empty input, mismatched lengths, non-finite logits,
  ///   a bad δ, or (aLRP) regression losses that do not fit the positives.
  func evaluate(_ input: LossInput, method: Method) throws -> LossResult

  /// The same evaluation with the gradient written on demand (``LossEvaluation``): what a
  /// caller that reads the gradient block by block, or not at all, uses at large N.
  func evaluation(_ input: LossInput, method: Method) throws -> LossEvaluation
}

/// How a loss is defined: what it computes from the positives and their false-positive counts.
///
/// The ``Method`` decides how FP_i and the negatives' gradients are evaluated; the definition
/// does the rest. So naive, bucketed and exact share one definition of every loss term and can
/// only differ where a method approximates H_δ over the negatives.
protocol LossDefinition: RankingLoss {
  /// The loss terms from the positives (ascending logits, at least one) and their FP_i.
  func terms(
    positives: Positives, falsePositives: [Double], regressionLosses: [Double]?, method: Method
  ) -> PositiveTerms
  /// The terms of an input without positives: zero loss, nothing to rank.
  static var termsWithoutPositives: PositiveTerms { get }
}

extension LossDefinition {
  func evaluateDefinition(
    _ input: LossInput, method: Method, capture: NegativeSumsCapture? = nil
  ) throws -> LossResult {
    try evaluation(input, method: method, capture: capture).result()
  }

  /// The evaluation with its gradient written on demand (``LossEvaluation``).
  func evaluation(
    _ input: LossInput, method: Method, capture: NegativeSumsCapture? = nil
  ) throws -> LossEvaluation {
    // Per image: each image is a batch evaluation of its own (one capture per image).
    if input.grouping == .image {
      return try evaluatePerImage(input, method: method, capture: capture)
    }
    return try input.visit(
      EvaluationVisitor(
        loss: self, method: method, regressionLosses: input.regressionLosses,
        parallelism: input.parallelism, capture: capture, partitions: input.partitions))
  }
}

/// What a method computed for the two negative sums of one evaluation, kept for
/// `brl verify`'s sampled naive checks (``Verifier``): the positives (ascending), their FP_i,
/// and the weights w_i/P the negatives' gradients were computed with.
final class NegativeSumsCapture: @unchecked Sendable {
  var positives: [Double] = []
  var falsePositives: [Double] = []
  var weights: [Double] = []
  /// Per image (``Grouping/image``): one capture per image with positives, ascending id.
  var images: [NegativeSumsCapture] = []
}

/// The evaluation shared by every loss and method, specialised per column type.
struct EvaluationVisitor<Loss: LossDefinition>: ColumnsVisitor {
  let loss: Loss
  let method: Method
  let regressionLosses: [Double]?
  let parallelism: Parallelism
  var capture: NegativeSumsCapture? = nil
  /// A partition of the same input at another δ, if a ``Verifier`` keeps one.
  var partitions: PartitionCache? = nil

  func visit<L: ColumnScalar, T: ColumnScalar>(
    logits: UnsafeBufferPointer<L>, targets: UnsafeBufferPointer<T>
  ) throws -> LossEvaluation {
    let partition = try Partition(
      logits: logits, targets: targets, delta: loss.delta, parallelism: parallelism,
      cache: partitions)
    let positives = partition.positives
    let statistics = LossResult.Statistics(
      count: partition.count, positives: positives.count, negatives: partition.negatives,
      ignored: partition.ignored, relevantNegatives: 0)
    let orderedRegression = try regressionLosses.map { try reorder($0, positives) }

    // No positive: nothing is ranked. The official losses return 0 (or crash, for aLRP).
    guard positives.count > 0 else {
      let terms = Loss.termsWithoutPositives
      return LossEvaluation(
        loss: terms.loss, rankingLoss: terms.rankingLoss, sortingLoss: terms.sortingLoss,
        ranks: terms.ranks, statistics: statistics, parallelism: parallelism
      ) { _, output in output.update(repeating: 0) }
    }

    let step = SmoothStep(delta: loss.delta)
    // A generic call per method (not an existential): each model's passes are specialised for
    // the column types, which an `any NegativeModel` call would not be.
    switch method {
    case .naive:
      return finish(
        NaiveNegatives(logits: logits, targets: targets, partition: partition, step: step),
        partition, statistics, orderedRegression)
    case .bucketed:
      return finish(
        BucketedNegatives(logits: logits, targets: targets, partition: partition, step: step),
        partition, statistics, orderedRegression)
    case .exact:
      return finish(
        ExactNegatives(logits: logits, targets: targets, partition: partition, step: step),
        partition, statistics, orderedRegression)
    }
  }

  /// The loss terms from `model`'s false positives, and the gradient on demand.
  private func finish<Model: NegativeModel>(
    _ model: Model, _ partition: Partition, _ statistics: LossResult.Statistics,
    _ orderedRegression: [Double]?
  ) -> LossEvaluation {
    let positives = partition.positives
    let falsePositives = model.falsePositives()
    var statistics = statistics
    statistics.buckets = model.buckets
    statistics.relevantNegatives = model.relevantCount
    let terms = loss.terms(
      positives: positives, falsePositives: falsePositives,
      regressionLosses: orderedRegression, method: method)

    // Every update is divided by the number of positives, as in the official code.
    let count = Double(positives.count)
    let weights = terms.negativeWeights.map { $0 / count }
    if let capture {
      capture.positives = positives.logits
      capture.falsePositives = falsePositives
      capture.weights = weights
    }
    // The positives' updates by input position, so a range finds its own by bisection: the
    // ordinal of a positive is its rank in input order, so no sort is needed.
    var positivePositions = [Int](repeating: 0, count: positives.count)
    var positiveGradient = [Double](repeating: 0, count: positives.count)
    for (k, ordinal) in positives.ordinal.enumerated() {
      positivePositions[ordinal] = positives.inputIndex[k]
      positiveGradient[ordinal] = terms.positiveGradient[k] / count
    }
    var ranks: [Double]? = nil
    if let sortedRanks = terms.ranks {
      var inInputOrder = [Double](repeating: 0, count: positives.count)
      for (k, ordinal) in positives.ordinal.enumerated() { inInputOrder[ordinal] = sortedRanks[k] }
      ranks = inInputOrder
    }
    let writer = model.gradientWriter(weights: weights)
    var evaluation = LossEvaluation(
      loss: terms.loss, rankingLoss: terms.rankingLoss, sortingLoss: terms.sortingLoss,
      ranks: ranks, statistics: statistics, parallelism: parallelism
    ) { range, output in
      writer(range, output)
      var k = positivePositions.lowerBound(range.lowerBound)
      while k < positivePositions.count && positivePositions[k] < range.upperBound {
        output[positivePositions[k] - range.lowerBound] = positiveGradient[k]
        k += 1
      }
    }
    evaluation.gradientCostPerElement = model.gradientCostPerElement
    return evaluation
  }

  /// Regression losses come in the positives' input order; the loss terms want them in the
  /// ascending-logit order of `positives`.
  private func reorder(_ values: [Double], _ positives: Positives) throws -> [Double] {
    guard values.count == positives.count else {
      throw RankingLossError.regressionLossCount(expected: positives.count, found: values.count)
    }
    if let bad = values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
      throw RankingLossError.invalidRegressionLoss(index: bad, value: values[bad])
    }
    return positives.ordinal.map { values[$0] }
  }
}

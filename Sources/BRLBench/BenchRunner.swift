import RankingLosses

/// Carries out a ``BenchPlan``: generates each input once, times every point, and hands each
/// measurement to a callback as soon as it exists.
///
/// The runner knows nothing of terminals, databases or signals. The caller passes three
/// closures:
///
/// - `isCancelled`, checked before every evaluation: when it returns `true` the point in
///   progress is dropped and ``run(isCancelled:onEvent:record:)`` returns what was finished,
///   marked interrupted (Ctrl-C in `brl bench`);
/// - `onEvent`, for progress (see ``BenchEvent``);
/// - `record`, called with each measurement before the next point starts, so a store can commit
///   it at once and an interruption loses nothing finished. An error it throws stops the run.
///
///     let runner = BenchRunner(plan: plan)
///     let outcome = try runner.run(
///       isCancelled: { interrupted.load() }, onEvent: { _ in },
///       record: { try store.record($0, run: runID) })
///
/// Each evaluation is timed alone with a monotonic clock; generation, checks and bookkeeping
/// are outside the timed region. Peak memory is reset before each point (see ``PeakMemory``).
public struct BenchRunner: Sendable {
  public let plan: BenchPlan

  public init(plan: BenchPlan) {
    self.plan = plan
  }

  public func run(
    isCancelled: () -> Bool = { false },
    onEvent: (BenchEvent) -> Void = { _ in },
    record: (BenchMeasurement) throws -> Void = { _ in }
  ) throws -> BenchOutcome {
    try plan.validate()
    var outcome = BenchOutcome()
    var predictor = TimePredictor()
    let points = plan.points
    var index = 0
    var data: SyntheticData? = nil
    for point in points {
      index += 1
      if isCancelled() {
        outcome.interrupted = true
        return outcome
      }
      let evaluations = plan.warmup + plan.repeats
      if let budget = plan.budget, let predicted = predictor.predictSeconds(point),
        predicted * Double(evaluations) > budget
      {
        let skipped = SkippedPoint(point: point, predictedSeconds: predicted * Double(evaluations))
        outcome.skipped.append(skipped)
        onEvent(.skipped(skipped))
        continue
      }
      if data?.positives != point.positives || data?.negatives != point.negatives {
        data = nil  // free the previous input before allocating the next
        onEvent(.generating(positives: point.positives, negatives: point.negatives))
        data = SyntheticData(
          positives: point.positives, negatives: point.negatives, seed: plan.seed,
          overlap: plan.overlap, images: plan.images)
      }
      guard
        let measurement = try measure(
          point, on: data!, isCancelled: isCancelled,
          onEvaluation: { evaluation in
            onEvent(
              .evaluating(
                point, evaluation: evaluation, of: evaluations, index: index, count: points.count))
          })
      else {
        outcome.interrupted = true
        return outcome
      }
      try record(measurement)
      predictor.add(measurement)
      outcome.measurements.append(measurement)
      onEvent(.measured(measurement))
    }
    return outcome
  }

  /// Times one point; `nil` if cancelled before it finished.
  func measure(
    _ point: BenchPoint, on data: SyntheticData, isCancelled: () -> Bool,
    onEvaluation: (Int) -> Void
  ) throws -> BenchMeasurement? {
    guard let loss = point.kind else {
      throw BenchPlan.Error(description: "unknown loss '\(point.loss)'")
    }
    let evaluator = loss.loss(delta: point.delta)
    let clock = ContinuousClock()
    PeakMemory.reset()
    let grouping = Grouping(rawValue: point.group) ?? .batch
    return try data.withInput(for: loss, grouping: grouping) { input -> BenchMeasurement? in
      var times: [Double] = []
      var statistics: LossResult.Statistics? = nil
      var spent = 0.0
      var evaluation = 0
      while evaluation < plan.warmup + plan.repeats {
        if isCancelled() { return nil }
        onEvaluation(evaluation + 1)
        var result: LossResult? = nil
        let start = clock.now
        if let method = point.method.lossMethod {
          result = try evaluator.evaluate(input, method: method)
        } else {
          FloorPass.run(input)
        }
        let seconds = (clock.now - start).inSeconds
        statistics = result?.statistics ?? statistics
        spent += seconds
        let overBudget = plan.budget.map { spent > $0 } ?? false
        if evaluation >= plan.warmup {
          times.append(seconds)
          if overBudget { break }
        } else if overBudget {
          // Over budget while warming up: skip the other warm-ups, time one repeat.
          evaluation = plan.warmup
          continue
        }
        evaluation += 1
      }
      let summary = SampleSummary(times)
      return BenchMeasurement(
        loss: point.loss, method: point.method.rawValue, delta: point.delta,
        positives: point.positives, negatives: point.negatives,
        relevantNegatives: statistics?.relevantNegatives, buckets: statistics?.buckets,
        repeats: summary.count, medianSeconds: summary.median, minSeconds: summary.min,
        maxSeconds: summary.max, stddevSeconds: summary.standardDeviation,
        peakRSSBytes: PeakMemory.current(), group: point.group, images: point.images)
    }
  }
}

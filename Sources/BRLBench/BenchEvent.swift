/// What ``BenchRunner`` reports while it works, for a progress display.
///
/// The library never prints; the command line turns these into a status line on a terminal.
public enum BenchEvent: Sendable {
  /// The synthetic input for (P, N) is being generated.
  case generating(positives: Int, negatives: Int)
  /// Evaluation `evaluation` (1-based, warm-ups included) of `of` of the `index`-th of `count`
  /// points is about to start.
  case evaluating(BenchPoint, evaluation: Int, of: Int, index: Int, count: Int)
  /// A point was measured (and handed to the record callback).
  case measured(BenchMeasurement)
  /// A point was skipped for the budget.
  case skipped(SkippedPoint)
}

/// A point the runner did not measure because its predicted time exceeded the budget.
///
/// Reports show it as `skipped` instead of leaving a silent hole in the table.
public struct SkippedPoint: Hashable, Sendable {
  public var point: BenchPoint
  /// The predicted seconds of the whole point (warm-ups and repeats).
  public var predictedSeconds: Double

  public init(point: BenchPoint, predictedSeconds: Double) {
    self.point = point
    self.predictedSeconds = predictedSeconds
  }
}

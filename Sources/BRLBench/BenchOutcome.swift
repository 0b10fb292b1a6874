/// What a benchmark run produced: the points measured and skipped, and whether it was
/// interrupted before the end.
public struct BenchOutcome: Sendable {
  public var measurements: [BenchMeasurement]
  public var skipped: [SkippedPoint]
  /// The cancellation check fired; a point in progress was dropped, finished points are kept.
  public var interrupted: Bool

  public init(
    measurements: [BenchMeasurement] = [], skipped: [SkippedPoint] = [], interrupted: Bool = false
  ) {
    self.measurements = measurements
    self.skipped = skipped
    self.interrupted = interrupted
  }
}

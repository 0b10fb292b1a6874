/// A line of `brl report`'s run list: a run and what it measured.
public struct RunSummary: Sendable, Equatable {
  public var run: RunRecord
  public var measurementCount: Int
  /// The losses it measured.
  public var losses: [String]

  public init(run: RunRecord, measurementCount: Int, losses: [String]) {
    self.run = run
    self.measurementCount = measurementCount
    self.losses = losses
  }
}

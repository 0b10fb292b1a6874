/// Median, minimum, maximum, mean and standard deviation of a few timings.
///
/// The median is the headline number: one descheduled repeat moves the mean but not the median.
/// The minimum is what ``Comparison`` compares, because noise on a shared machine only ever adds
/// time. The standard deviation is the sample one (n − 1), 0 for a single value.
public struct SampleSummary: Equatable, Sendable {
  public var count: Int
  public var median: Double
  public var min: Double
  public var max: Double
  public var mean: Double
  public var standardDeviation: Double

  /// Summarises `values` (at least one).
  public init(_ values: [Double]) {
    precondition(!values.isEmpty, "a summary needs at least one value")
    let sorted = values.sorted()
    let n = sorted.count
    count = n
    median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    min = sorted[0]
    max = sorted[n - 1]
    let mean = sorted.reduce(0, +) / Double(n)
    self.mean = mean
    standardDeviation =
      n > 1
      ? (sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
      : 0
  }
}

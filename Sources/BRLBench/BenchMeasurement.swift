/// One timed benchmark point: a loss, a method, δ, P and N, and the wall times of its repeats.
///
/// This is the unit everything else exchanges: the runner produces it, the store saves it, the
/// exporters write it, ``Comparison`` matches it. Its `Codable` form is the element of the
/// `"measurements"` array of `brl bench --json` and `brl report --json`, so its coding keys are
/// a stable, documented format; add fields, never rename them.
public struct BenchMeasurement: Codable, Hashable, Sendable {
  /// `rs`, `ap` or `alrp`.
  public var loss: String
  /// `floor`, `naive`, `bucketed` or `exact` (see ``BenchMethod``).
  public var method: String
  public var delta: Double
  /// P, the number of positives.
  public var positives: Int
  /// N, the number of negatives.
  public var negatives: Int
  /// Negatives close enough to a positive to matter (`nil` for `floor`).
  public var relevantNegatives: Int?
  /// The bucketed method's number of buckets (`nil` for the other methods).
  public var buckets: Int?
  /// How many timed evaluations the statistics summarise (warm-ups excluded).
  public var repeats: Int
  public var medianSeconds: Double
  public var minSeconds: Double
  public var maxSeconds: Double
  /// The sample standard deviation (0 for a single repeat).
  public var stddevSeconds: Double
  /// The process's peak resident set size while the point ran (VmHWM, reset before the point
  /// where the kernel allows it), input data included; `nil` where unavailable.
  public var peakRSSBytes: Int?
  /// `batch` or `image`: how the positives were ranked (nil in JSON written before brl knew
  /// groupings: batch).
  public var group: String?
  /// K when the synthetic examples were spread over K images, else nil.
  public var images: Int?

  enum CodingKeys: String, CodingKey {
    case loss, method, delta, positives, negatives
    case relevantNegatives = "relevant_negatives"
    case buckets, repeats
    case medianSeconds = "median_s"
    case minSeconds = "min_s"
    case maxSeconds = "max_s"
    case stddevSeconds = "stddev_s"
    case peakRSSBytes = "peak_rss_bytes"
    case group, images
  }

  /// Writes every key, `null` included, so the JSON shape never depends on the method.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(loss, forKey: .loss)
    try container.encode(method, forKey: .method)
    try container.encode(delta, forKey: .delta)
    try container.encode(positives, forKey: .positives)
    try container.encode(negatives, forKey: .negatives)
    try container.encode(relevantNegatives, forKey: .relevantNegatives)
    try container.encode(buckets, forKey: .buckets)
    try container.encode(repeats, forKey: .repeats)
    try container.encode(medianSeconds, forKey: .medianSeconds)
    try container.encode(minSeconds, forKey: .minSeconds)
    try container.encode(maxSeconds, forKey: .maxSeconds)
    try container.encode(stddevSeconds, forKey: .stddevSeconds)
    try container.encode(peakRSSBytes, forKey: .peakRSSBytes)
    try container.encode(group ?? "batch", forKey: .group)
    try container.encode(images, forKey: .images)
  }

  public init(
    loss: String, method: String, delta: Double, positives: Int, negatives: Int,
    relevantNegatives: Int?, buckets: Int?, repeats: Int, medianSeconds: Double,
    minSeconds: Double, maxSeconds: Double, stddevSeconds: Double, peakRSSBytes: Int?,
    group: String? = "batch", images: Int? = nil
  ) {
    self.group = group
    self.images = images
    self.loss = loss
    self.method = method
    self.delta = delta
    self.positives = positives
    self.negatives = negatives
    self.relevantNegatives = relevantNegatives
    self.buckets = buckets
    self.repeats = repeats
    self.medianSeconds = medianSeconds
    self.minSeconds = minSeconds
    self.maxSeconds = maxSeconds
    self.stddevSeconds = stddevSeconds
    self.peakRSSBytes = peakRSSBytes
  }

  /// The point this measures, the key on which runs are compared.
  public var point: BenchPoint {
    BenchPoint(
      loss: loss, method: BenchMethod(rawValue: method), delta: delta, positives: positives,
      negatives: negatives, group: group ?? "batch", images: images)
  }

  /// Examples (P + N) per second at the median time.
  public var throughput: Double {
    medianSeconds > 0 ? Double(positives + negatives) / medianSeconds : .infinity
  }

  /// Whether the repeats disagree enough that a small difference means nothing: the standard
  /// deviation or the median − min spread exceeds `tolerance` (10 %) of the median.
  public func isNoisy(tolerance: Double = 0.10) -> Bool {
    guard medianSeconds > 0 else { return false }
    return stddevSeconds / medianSeconds > tolerance
      || (medianSeconds - minSeconds) / medianSeconds > tolerance
  }
}

import GRDB

/// A row of the `measurements` table: a ``BenchMeasurement`` and the run it belongs to.
///
/// The columns are the JSON keys of ``BenchMeasurement`` plus `id` and `run_id`, so the database,
/// the JSON and the CSV exports use one vocabulary.
public struct MeasurementRecord: Codable, Equatable, Sendable, FetchableRecord,
  MutablePersistableRecord
{
  public static let databaseTableName = "measurements"

  public var id: Int64?
  public var runID: Int64
  public var loss: String
  public var method: String
  public var delta: Double
  public var positives: Int
  public var negatives: Int
  public var relevantNegatives: Int?
  public var buckets: Int?
  public var repeats: Int
  public var medianSeconds: Double
  public var minSeconds: Double
  public var maxSeconds: Double
  public var stddevSeconds: Double
  public var peakRSSBytes: Int?
  /// `batch` or `image` (migration v3; nil only when read from an unmigrated database).
  public var group: String?
  public var images: Int?

  public enum CodingKeys: String, CodingKey, ColumnExpression {
    case id
    case runID = "run_id"
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

  public typealias Columns = CodingKeys

  /// The row for `measurement` in run `runID`.
  public init(_ measurement: BenchMeasurement, runID: Int64) {
    self.runID = runID
    loss = measurement.loss
    method = measurement.method
    delta = measurement.delta
    positives = measurement.positives
    negatives = measurement.negatives
    relevantNegatives = measurement.relevantNegatives
    buckets = measurement.buckets
    repeats = measurement.repeats
    medianSeconds = measurement.medianSeconds
    minSeconds = measurement.minSeconds
    maxSeconds = measurement.maxSeconds
    stddevSeconds = measurement.stddevSeconds
    peakRSSBytes = measurement.peakRSSBytes
    group = measurement.group ?? "batch"
    images = measurement.images
  }

  /// The measurement without its database identity.
  public var measurement: BenchMeasurement {
    BenchMeasurement(
      loss: loss, method: method, delta: delta, positives: positives, negatives: negatives,
      relevantNegatives: relevantNegatives, buckets: buckets, repeats: repeats,
      medianSeconds: medianSeconds, minSeconds: minSeconds, maxSeconds: maxSeconds,
      stddevSeconds: stddevSeconds, peakRSSBytes: peakRSSBytes, group: group ?? "batch",
      images: images)
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) {
    id = inserted.rowID
  }
}

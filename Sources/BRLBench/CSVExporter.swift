/// Writes measurements as CSV: a header line, then one line per measurement, with the JSON
/// field names as columns plus `run_id` first and `throughput_per_s` last.
///
/// Numbers are written in full precision (Swift's shortest round-tripping form), never with
/// units, so a spreadsheet or pandas reads them as numbers.
public enum CSVExporter {
  /// The columns, in order.
  public static let header = [
    "run_id", "loss", "method", "delta", "positives", "negatives", "relevant_negatives",
    "buckets", "repeats", "median_s", "min_s", "max_s", "stddev_s", "peak_rss_bytes", "group",
    "images", "throughput_per_s",
  ]

  /// The CSV text, ending with a newline. `runID` is empty for an unrecorded run.
  public static func csv(_ measurements: [BenchMeasurement], runID: Int64?) -> String {
    var lines = [header.joined(separator: ",")]
    for m in measurements {
      let fields: [String] = [
        runID.map(String.init) ?? "", quote(m.loss), quote(m.method), "\(m.delta)",
        "\(m.positives)", "\(m.negatives)", m.relevantNegatives.map(String.init) ?? "",
        m.buckets.map(String.init) ?? "", "\(m.repeats)", "\(m.medianSeconds)",
        "\(m.minSeconds)", "\(m.maxSeconds)", "\(m.stddevSeconds)",
        m.peakRSSBytes.map(String.init) ?? "", quote(m.group ?? "batch"),
        m.images.map(String.init) ?? "", "\(m.throughput)",
      ]
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// RFC 4180 quoting where needed.
  static func quote(_ field: String) -> String {
    guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
    return "\""
      + field.split(separator: "\"", omittingEmptySubsequences: false)
      .joined(separator: "\"\"") + "\""
  }
}

import BRLFormat
import Foundation

/// The JSON export of a run: `{"run": {…}, "measurements": [{…}, …]}`.
///
/// `brl bench --json` and `brl report RUN --json` write it; `brl report --baseline FILE.json`
/// reads it back, so a CI job can keep a baseline in its repository. Keys are snake_case, times
/// in seconds, dates ISO 8601; fields may be added but are never renamed (see docs/json.md).
public struct BenchDocument: Codable, Sendable, Equatable {
  public var run: RunRecord
  public var measurements: [BenchMeasurement]

  public init(run: RunRecord, measurements: [BenchMeasurement]) {
    self.run = run
    self.measurements = measurements
  }

  /// Pretty-printed JSON, keys sorted, ending with a newline.
  public func jsonString() throws -> String {
    try JSONFormat.string(self, pretty: true)
  }

  /// The run list as JSON: `{"runs": [{…}, …]}`, each run as in a document.
  public static func jsonString(_ runs: [RunRecord]) throws -> String {
    struct RunList: Encodable { var runs: [RunRecord] }
    return try JSONFormat.string(RunList(runs: runs), pretty: true)
  }

  /// Reads a document written by ``jsonString()``.
  public init(json: Data) throws {
    self = try JSONFormat.decoder().decode(BenchDocument.self, from: json)
  }
}

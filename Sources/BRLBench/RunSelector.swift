/// Which recorded run `brl report` means: an id, or `latest` (the newest run).
public enum RunSelector: Sendable, Equatable, CustomStringConvertible {
  case id(Int64)
  case latest

  /// `latest`, or a run id (a whole number ≥ 1).
  public init(parsing text: String) throws {
    if text == "latest" {
      self = .latest
    } else if let id = Int64(text), id >= 1 {
      self = .id(id)
    } else {
      throw NumberParsing.Error(text: text, reason: "is not a run (expected a run id or 'latest')")
    }
  }

  public var description: String {
    switch self {
    case .id(let id): "\(id)"
    case .latest: "latest"
    }
  }
}

extension BenchStore {
  /// The id of the run `selector` names (`latest`: the newest run other than `excluding`);
  /// throws ``BenchStoreError/runNotFound(id:path:)`` or ``BenchStoreError/noRuns(path:)``.
  public func resolve(_ selector: RunSelector, excluding: Int64? = nil) throws -> Int64 {
    switch selector {
    case .latest:
      guard let id = try latestRun(excluding: excluding).id else {
        throw BenchStoreError.noRuns(path: path)
      }
      return id
    case .id(let id):
      _ = try run(id: id)
      return id
    }
  }
}

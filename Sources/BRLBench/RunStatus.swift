import GRDB

/// Where a recorded benchmark run stands.
///
/// A run is inserted as `running` before its first point, so a crash leaves a trace; it becomes
/// `complete`, `interrupted` (Ctrl-C: its finished points are kept) or `failed` at the end. A
/// `running` run whose process is gone is stale (see ``RunRecord/looksStale(currentHost:)``).
public enum RunStatus: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
  case running
  case complete
  case interrupted
  case failed
}

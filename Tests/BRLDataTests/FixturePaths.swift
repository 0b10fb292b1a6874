import Foundation

/// Paths of committed fixtures, found from this source file so tests need no resources bundle.
enum FixturePaths {
  /// The repository root: two folders above `Tests/BRLDataTests/`.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static func oracle(_ name: String) -> String {
    root.appendingPathComponent("fixtures/oracle/\(name)").path
  }

  static func data(_ name: String) -> String {
    root.appendingPathComponent("fixtures/data/\(name)").path
  }
}

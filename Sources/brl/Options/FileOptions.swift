import ArgumentParser
import BRLData

/// A path checked when parsed by ``check(_:)``, so a refused path stops brl before any work,
/// with nothing written.
protocol CheckedPath: ParsedArgument, CustomStringConvertible, Sendable {
  var path: String { get }
  init(checked path: String)
  /// Throws ``PathCheck/Error`` when `path` cannot be used.
  static func check(_ path: String) throws
}

extension CheckedPath {
  init(parsing text: String) throws {
    try Self.check(text)
    self.init(checked: text)
  }

  var description: String { path }
}

/// A file brl writes (`--out`, `--junit`, `--db` of bench and verify): ``PathCheck/output(_:)``.
struct OutputFile: CheckedPath {
  var path: String
  init(checked path: String) { self.path = path }
  static func check(_ path: String) throws { try PathCheck.output(path) }
}

/// A file brl only reads beside INPUT (`--targets`, `--image-ids`, `--baseline`): it exists and
/// is a regular file, so a folder, `/dev/zero` or a `/proc` file is refused before any work.
struct InputFile: CheckedPath {
  var path: String
  init(checked path: String) { self.path = path }
  static func check(_ path: String) throws { try PathCheck.input(path) }
}

/// `brl report --db`: read, never created; when it exists it must be a regular file (a missing
/// database is reported by the store, which says how to make one).
struct DatabaseFile: CheckedPath {
  var path: String
  init(checked path: String) { self.path = path }
  static func check(_ path: String) throws { try PathCheck.input(path, mustExist: false) }
}

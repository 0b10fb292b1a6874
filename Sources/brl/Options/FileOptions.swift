import ArgumentParser
import BRLData

/// A file brl writes (`--out`, `--junit`, `--db` of bench and verify), checked when parsed
/// (``PathCheck/output(_:)``): a refused path stops brl before any work, with nothing written.
struct OutputFile: ExpressibleByArgument, CustomStringConvertible, Sendable {
  var path: String

  init(parsing text: String) throws {
    try PathCheck.output(text)
    path = text
  }

  init?(argument: String) { try? self.init(parsing: argument) }

  var description: String { path }
}

/// A file brl only reads beside INPUT (`--targets`, `--image-ids`, `--baseline`), checked when
/// parsed (``PathCheck/input(_:mustExist:)``): it exists and is a regular file, so a folder,
/// `/dev/zero` or a `/proc` file is refused before any work.
struct InputFile: ExpressibleByArgument, CustomStringConvertible, Sendable {
  var path: String

  init(parsing text: String) throws {
    try PathCheck.input(text)
    path = text
  }

  init?(argument: String) { try? self.init(parsing: argument) }

  var description: String { path }
}

/// `brl report --db`: read, never created; when it exists it must be a regular file (a missing
/// database is reported by the store, which says how to make one).
struct DatabaseFile: ExpressibleByArgument, CustomStringConvertible, Sendable {
  var path: String

  init(parsing text: String) throws {
    try PathCheck.input(text, mustExist: false)
    path = text
  }

  init?(argument: String) { try? self.init(parsing: argument) }

  var description: String { path }
}

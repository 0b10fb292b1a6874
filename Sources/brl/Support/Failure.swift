import Foundation

/// Prints `message` to standard error, prefixed like every brl error.
func printError(_ message: String) {
  FileHandle.standardError.write(Data("brl: error: \(message)\n".utf8))
}

/// Prints a note (progress, warnings) to standard error.
func printNote(_ message: String) {
  FileHandle.standardError.write(Data("brl: \(message)\n".utf8))
}

/// An error about a named input whose own message does not name it (a ``RankingLossError``):
/// printed as `path: error` (exit 2, ``BRL/failure(for:)``).
struct InputFailure: Error, CustomStringConvertible {
  var path: String
  var error: Error
  var description: String { "\(path): \(error)" }
}

/// A benchmark that stopped on an error other than the database's (exit 1).
struct MeasurementFailed: Error, CustomStringConvertible {
  var error: Error
  var description: String { "\(error)" }
}

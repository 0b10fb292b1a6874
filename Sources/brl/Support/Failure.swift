import Foundation

/// Prints `message` to standard error, prefixed like every brl error.
func printError(_ message: String) {
  FileHandle.standardError.write(Data("brl: error: \(message)\n".utf8))
}

/// Prints a note (progress, warnings) to standard error.
func printNote(_ message: String) {
  FileHandle.standardError.write(Data("brl: \(message)\n".utf8))
}

/// A benchmark that stopped on an error other than the database's (exit 1).
struct MeasurementFailed: Error, CustomStringConvertible {
  var error: Error
  var description: String { "\(error)" }
}

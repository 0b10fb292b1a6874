import ArgumentParser
import BRLData
import Foundation
import RankingLosses

/// Prints `message` to standard error, prefixed like every brl error.
func printError(_ message: String) {
  FileHandle.standardError.write(Data("brl: error: \(message)\n".utf8))
}

/// Prints a note (progress, warnings) to standard error.
func printNote(_ message: String) {
  FileHandle.standardError.write(Data("brl: \(message)\n".utf8))
}

/// Runs `body`; a bad input (unreadable, malformed, outside the loss's domain) is reported on
/// standard error and becomes exit code 2. `path` names the input in messages that do not.
func reportingBadInput<R>(path: String, _ body: () throws -> R) throws -> R {
  do {
    return try body()
  } catch let error as DataError {
    printError(error.description)
    throw ExitCode(2)
  } catch let error as RankingLossError {
    printError("\(path): \(error.description)")
    throw ExitCode(2)
  }
}

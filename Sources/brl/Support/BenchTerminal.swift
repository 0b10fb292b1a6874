import BRLBench
import BRLFormat
import Foundation

/// The stderr side of `brl bench` and `brl report`: messages, and a one-line progress display
/// that is only drawn when stderr is a terminal (so logs and CI output stay clean).
enum BenchTerminal {
  /// Whether stderr is a terminal.
  static var stderrIsTerminal: Bool { isatty(2) != 0 }

  /// Writes `text` and a newline to stderr.
  static func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  /// Replaces the progress line with `text` (no-op off a terminal).
  static func status(_ text: String) {
    guard stderrIsTerminal else { return }
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
  }

  /// Erases the progress line.
  static func clearStatus() {
    guard stderrIsTerminal else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }

  /// The progress text for a runner event, or `nil` to leave the line as it is.
  static func progress(_ event: BenchEvent) -> String? {
    switch event {
    case .generating(let p, let n):
      return "generating P=\(Format.count(p)) N=\(Format.count(n))…"
    case .evaluating(let point, let evaluation, let total, let index, let count):
      return "[\(index)/\(count)] \(point)  \(evaluation)/\(total)"
    case .measured, .skipped:
      return nil
    }
  }

  /// The command line as typed, with arguments quoted for a POSIX shell where needed.
  static var commandLine: String {
    var arguments = CommandLine.arguments
    if let first = arguments.first {
      arguments[0] = URL(fileURLWithPath: first).lastPathComponent
    }
    return arguments.map(shellQuoted).joined(separator: " ")
  }

  static func shellQuoted(_ argument: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=,:+%@")
    if !argument.isEmpty && argument.allSatisfy(safe.contains) { return argument }
    return "'"
      + argument.split(separator: "'", omittingEmptySubsequences: false)
      .joined(separator: "'\\''") + "'"
  }
}

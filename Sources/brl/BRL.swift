import ArgumentParser
import BRLBench
import BRLData
import BRLFormat
import Foundation
import RankingLosses

@main
struct BRL: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "brl",
    abstract:
      "Analyse and profile ranking-based losses (AP, Rank & Sort, aLRP) for object detection.",
    discussion: """
      brl computes the naive, bucketed and exact-fast versions of the losses and their \
      gradients on dumps of logits and labels, checks that they agree, and times them.

      Exit codes: 0 success, 1 a check failed, 2 bad input or usage.
      """,
    version: BRLVersion.full,
    subcommands: [
      LossCommand.self, VerifyCommand.self, BenchCommand.self, ReportCommand.self,
    ]
  )

  /// Runs the command line. Every error is printed as one line `brl: error: …` on standard
  /// error, with the exit code ``failure(for:)`` gives it.
  static func main() {
    MemoryReuse.configure()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      guard let (message, status) = failure(for: error) else {
        // Help, --version, completion scripts: ArgumentParser prints them and exits 0.
        exit(withError: error)
      }
      if let message {
        FileHandle.standardError.write(Data(("brl: error: " + message + "\n").utf8))
      }
      Foundation.exit(status)
    }
  }

  /// The one place that turns an error into what brl prints and its exit code, for every
  /// command: nil for help and version output; a nil message when the command already printed
  /// its own (``ExitCode``). Usage and input errors exit 2 (not ArgumentParser's 64, so scripts
  /// see one code for "your input"), a failed measurement 1.
  static func failure(for error: Error) -> (message: String?, status: Int32)? {
    switch error {
    case let code as ExitCode:
      return (nil, code.rawValue)
    case let error as MeasurementFailed:
      return (error.description, 1)
    // brl's own errors: each names the file or option and says what is wrong.
    case is DataError, is RankingLossError, is DomainViolation,
      is BenchStoreError, is BenchPlan.Error, is NumberParsing.Error, is AtomicFile.Failure,
      is ReportError, is ParityRecordingError:
      return ("\(error)", 2)
    case let error as PathCheck.Error:
      return ("\(error.path): \(error.description)", 2)
    default:
      if exitCode(for: error) == .success { return nil }
      // ArgumentParser's usage errors and anything else: the message alone, on one line.
      var text = message(for: error)
      if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
      let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
      return (line.isEmpty ? "\(error)" : line, 2)
    }
  }
}

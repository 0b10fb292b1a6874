import ArgumentParser
import Foundation

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

  /// Runs the command line. Every error is printed as `brl: error: …` on standard error: a
  /// usage error (unknown option, bad value) exits with 2, like any bad input, instead of
  /// ArgumentParser's 64, so scripts see one code for "your input".
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      let code = exitCode(for: error)
      // Help, --version, completion scripts, and commands that printed their own message.
      if code == .success || error is ExitCode { exit(withError: error) }
      FileHandle.standardError.write(Data((errorMessage(for: error) + "\n").utf8))
      Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
    }
  }

  /// ArgumentParser's message with brl's prefix instead of its `Error: `.
  static func errorMessage(for error: Error) -> String {
    let message = fullMessage(for: error)
    let text = message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
    return "brl: error: " + text
  }
}

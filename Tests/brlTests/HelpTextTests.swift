import Foundation
import Testing

/// Help text is written as paragraphs the argument parser wraps: at 80 columns no paragraph
/// line breaks early (a hard line break inside a paragraph shows up as a short line followed by
/// one whose first word would have fitted).
@Suite struct HelpTextTests {
  @Test(arguments: ["", "loss", "verify", "bench", "report"])
  func paragraphsAreWrappedNotBroken(_ command: String) throws {
    let run = try BRLProcess.run(
      ["help"] + (command.isEmpty ? [] : [command]), environment: ["COLUMNS": "80"])
    #expect(run.status == 0)
    let discussion = run.stdout.components(separatedBy: "\nUSAGE:").first ?? ""
    let lines = discussion.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count > 3)
    for (line, next) in zip(lines, lines.dropFirst()) {
      // Paragraph lines start at column 0; indented lines are examples and lists.
      guard !line.isEmpty, !next.isEmpty, line.first != " ", next.first != " " else { continue }
      let firstWord = next.split(separator: " ").first.map(String.init) ?? ""
      #expect(
        line.count + 1 + firstWord.count > 79,  // the parser fills lines to 79 columns
        "brl help \(command): a line breaks early:\n\(line)\n\(next)")
    }
  }
}

/// `brl --generate-completion-script bash|zsh|fish` (documented in the README) prints a script
/// that knows the commands and the values of `--loss`; the bash one completes them in bash.
@Suite struct CompletionScriptTests {
  @Test(arguments: ["bash", "zsh", "fish"]) func scriptsNameTheCommands(_ shell: String) throws {
    let run = try BRLProcess.run(["--generate-completion-script", shell])
    #expect(run.status == 0, "\(run.stderr)")
    for word in ["loss", "verify", "bench", "report", "alrp", "junit"] {
      #expect(run.stdout.contains(word), "\(shell) script lacks \(word)")
    }
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/bash")))
  func bashCompletesACommandAndALoss() throws {
    let script = try BRLProcess.run(["--generate-completion-script", "bash"]).stdout
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("brl.bash").path
    try Data(script.utf8).write(to: URL(fileURLWithPath: path))
    func complete(_ words: [String]) throws -> String {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/bash")
      let line = words.joined(separator: " ")
      let quoted = words.map { "'\($0)'" }.joined(separator: " ")
      process.arguments = [
        "-c",
        """
        source '\(path)'
        COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1)
        COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
        _brl brl '\(words.last!)' '\(words[words.count - 2])'
        echo "${COMPREPLY[@]}"
        """,
      ]
      let pipe = Pipe()
      process.standardOutput = pipe
      process.standardError = FileHandle.nullDevice
      try process.run()
      let data = pipe.fileHandleForReading.readDataToEndOfFile()
      process.waitUntilExit()
      return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    #expect(try complete(["brl", "ver"]) == "verify")
    #expect(try complete(["brl", "loss", "x.npz", "--loss", ""]) == "rs ap alrp")
  }
}

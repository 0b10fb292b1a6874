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

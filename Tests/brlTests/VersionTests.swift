import Foundation
import Testing

/// `brl --version` prints `brl VERSION (COMMIT)`: the commit of this checkout, written into the
/// build by the BuildCommit plugin, so a source build knows where it came from as well as a
/// release archive does.
@Suite struct VersionTests {
  /// `git rev-parse --short=7 HEAD` of the repository the tests were built from.
  static func headCommit() throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "git", "-c", "safe.directory=*", "-C", BRLProcess.repository.path, "rev-parse",
      "--short=7", "HEAD",
    ]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test func versionNamesTheCommit() throws {
    let run = try BRLProcess.run(["--version"])
    #expect(run.status == 0)
    let commit = try Self.headCommit()
    try #require(
      commit.count >= 7, "git rev-parse found no commit for \(BRLProcess.repository.path)")
    // `-dirty` when the checkout has uncommitted changes to tracked files.
    let expected = ["brl 0.2.0 (\(commit))\n", "brl 0.2.0 (\(commit)-dirty)\n"]
    #expect(expected.contains(run.stdout), "brl --version printed \(run.stdout.debugDescription)")
  }
}

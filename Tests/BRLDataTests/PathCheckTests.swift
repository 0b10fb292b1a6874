import BRLData
import Foundation
import Testing

/// Paths refused before any work (issue 16): special files, folders, missing folders.
@Suite struct PathCheckTests {
  static let folder: String = {
    let path = NSTemporaryDirectory() + "brl-pathcheck-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: path + "/plain.txt", contents: Data("x".utf8))
    return path
  }()

  @Test(arguments: [
    "", "$F", "$F/missing/x.npz", "$F/plain.txt/x", "/proc/x", "/proc/self/status", "/sys/x",
    "/dev/null", "/dev/zero", "/", "/nonexistent-dir/x",
  ])
  func outputsRefused(_ path: String) {
    let path = path.replacingOccurrences(of: "$F", with: Self.folder)
    #expect(throws: PathCheck.Error.self) { try PathCheck.output(path) }
  }

  @Test func outputsAccepted() throws {
    try PathCheck.output(Self.folder + "/new.npz")
    try PathCheck.output(Self.folder + "/plain.txt")
  }

  @Test(arguments: [
    "", "$F", "$F/missing.npy", "/proc/self/status", "/sys/kernel", "/dev/zero", "/dev/stdin",
  ])
  func inputsRefused(_ path: String) {
    let path = path.replacingOccurrences(of: "$F", with: Self.folder)
    #expect(throws: PathCheck.Error.self) { try PathCheck.input(path) }
  }

  @Test func inputsAccepted() throws {
    try PathCheck.input(Self.folder + "/plain.txt")
    try PathCheck.input(Self.folder + "/missing.sqlite", mustExist: false)
    #expect(throws: PathCheck.Error.self) { try PathCheck.input(Self.folder, mustExist: false) }
  }

  /// A link to a special file is refused like the file.
  @Test func linksAreFollowed() throws {
    let link = Self.folder + "/zero-link"
    try? FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/zero")
    #expect(throws: PathCheck.Error.self) { try PathCheck.input(link) }
    #expect(throws: PathCheck.Error.self) { try PathCheck.output(link) }
  }
}

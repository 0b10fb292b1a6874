import Foundation

/// Checks of a file named on the command line, made before any work so a bad path costs
/// nothing and leaves nothing behind.
///
/// An output (``output(_:)``) must be a new or regular, writable file in an existing, writable
/// folder; an input (``input(_:mustExist:)``) an existing regular file. Neither may be under
/// `/proc`, `/sys` or `/dev`: those files are endless (`/dev/zero`), change while read, or are
/// not files at all.
///
///     try PathCheck.output("out/grad.npz")   // throws when out/ does not exist
///     try PathCheck.input("/dev/zero")       // throws: not a regular file
public enum PathCheck {
  /// Why a path cannot be used: the reason and what is expected.
  public struct Error: Swift.Error, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { reason }
  }

  /// The folders of special files.
  static let specialFolders = ["/proc", "/sys", "/dev"]

  /// Throws unless `path` can be written: not empty, not under /proc, /sys or /dev, not a folder
  /// or a special file, its folder exists and is writable, and an existing file is writable.
  public static func output(_ path: String) throws {
    let expected = "expected a file path in an existing, writable folder"
    try checkNotSpecial(path, expected: expected)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      if isDirectory.boolValue { throw Error(path: path, reason: "is a folder; \(expected)") }
      guard isRegularFile(path) else {
        throw Error(path: path, reason: "is not a regular file; \(expected)")
      }
      guard access(path, W_OK) == 0 else {
        throw Error(path: path, reason: "is not writable; \(expected)")
      }
    }
    let folder = (path as NSString).deletingLastPathComponent
    let parent = folder.isEmpty ? "." : folder
    guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) else {
      throw Error(path: path, reason: "the folder \(parent) does not exist; \(expected)")
    }
    guard isDirectory.boolValue else {
      throw Error(path: path, reason: "\(parent) is not a folder; \(expected)")
    }
    guard access(parent, W_OK | X_OK) == 0 else {
      throw Error(path: path, reason: "the folder \(parent) is not writable; \(expected)")
    }
  }

  /// Throws unless `path` is a regular file outside /proc, /sys and /dev (a missing file passes
  /// when `mustExist` is false, for a reader that says so itself).
  public static func input(_ path: String, mustExist: Bool = true) throws {
    let expected = "expected an existing regular file"
    try checkNotSpecial(path, expected: expected)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      if mustExist { throw Error(path: path, reason: "not found; \(expected)") }
      return
    }
    if isDirectory.boolValue { throw Error(path: path, reason: "is a folder; \(expected)") }
    guard isRegularFile(path) else {
      throw Error(path: path, reason: "is not a regular file; \(expected)")
    }
    guard access(path, R_OK) == 0 else {
      throw Error(path: path, reason: "is not readable; \(expected)")
    }
  }

  private static func checkNotSpecial(_ path: String, expected: String) throws {
    guard !path.isEmpty else { throw Error(path: path, reason: "is empty; \(expected)") }
    let absolute =
      path.hasPrefix("/")
      ? path : FileManager.default.currentDirectoryPath + "/" + path
    let resolved = URL(fileURLWithPath: absolute).standardizedFileURL.resolvingSymlinksInPath().path
    for candidate in [URL(fileURLWithPath: absolute).standardizedFileURL.path, resolved] {
      if let folder = specialFolders.first(where: {
        candidate == $0 || candidate.hasPrefix($0 + "/")
      }) {
        throw Error(
          path: path, reason: "is under \(folder), which holds no ordinary files; \(expected)")
      }
    }
  }

  /// Whether `path` (following links) is a regular file.
  static func isRegularFile(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0 else { return false }
    return (info.st_mode & S_IFMT) == S_IFREG
  }
}

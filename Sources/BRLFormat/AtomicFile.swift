import Foundation

/// Whole-file writes that never leave half a file: the bytes go to a temporary file in the same
/// folder (so the rename stays on one file system), which is then renamed over the target.
public enum AtomicFile {
  /// Why a file could not be written (the target is left as it was).
  public struct Failure: Error, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "cannot write \(path): \(reason)" }
  }

  /// Checks, before any work, that ``write(_:to:)`` can write `path`: its folder exists and
  /// takes a new file (a probe file is created there and removed at once), and `path` is not
  /// a folder or another non-regular file (a device, a pipe). Nothing is left behind.
  public static func checkWritable(_ path: String) throws {
    guard !path.isEmpty else { throw Failure(path: path, reason: "the path is empty") }
    var info = stat()
    if lstat(path, &info) == 0 {
      if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, reason: "it is a folder") }
      if (info.st_mode & S_IFMT) != S_IFREG && (info.st_mode & S_IFMT) != S_IFLNK {
        throw Failure(path: path, reason: "it is not a regular file")
      }
    }
    try probeFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path, for: path)
  }

  /// Checks that `path` is a folder that takes new files, or a missing folder whose parent
  /// exists and takes new folders (nothing is created).
  public static func checkWritableFolder(_ path: String) throws {
    guard !path.isEmpty else { throw Failure(path: path, reason: "the path is empty") }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else { throw Failure(path: path, reason: "it is not a folder") }
      try probeFolder(path, for: path)
    } else {
      try probeFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path, for: path)
    }
  }

  /// Creates and removes a probe file in `folder`.
  private static func probeFolder(_ folder: String, for path: String) throws {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
    else { throw Failure(path: path, reason: "the folder \(folder) does not exist") }
    let probe = folder + "/.brl-probe-\(getpid())-\(UUID().uuidString)"
    let descriptor = open(probe, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw Failure(path: path, reason: String(cString: strerror(errno)))
    }
    close(descriptor)
    unlink(probe)
  }

  /// Writes `data` to `path` atomically (mode 0644 before the umask).
  public static func write(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      throw Failure(path: path, reason: "it is a folder")
    }
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
    else { throw Failure(path: path, reason: "the folder \(folder) does not exist") }
    let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UUID().uuidString)"
    let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw Failure(path: path, reason: String(cString: strerror(errno)))
    }
    var failure: String?
    data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          failure = String(cString: strerror(errno))
          return
        }
        offset += written
      }
    }
    if failure == nil && fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
    if close(descriptor) != 0 && failure == nil { failure = String(cString: strerror(errno)) }
    if failure == nil && rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
    if let failure {
      unlink(temporary)
      throw Failure(path: path, reason: failure)
    }
  }
}

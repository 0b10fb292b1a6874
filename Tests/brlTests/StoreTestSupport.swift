import Foundation
import GRDB

/// Helpers for the end-to-end store tests: child processes that run in the background with a
/// deadline, a read-only look into a database, and small tmpfs mounts.

/// A `brl` started in the background; stdout is discarded, stderr kept in a file.
struct BRLChild {
  let process: Process
  let stderrURL: URL

  static func start(_ arguments: [String], in folder: URL) throws -> BRLChild {
    let process = Process()
    process.executableURL = BRLProcess.executable
    process.arguments = arguments
    process.currentDirectoryURL = BRLProcess.repository
    let stderrURL = folder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
    _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = try FileHandle(forWritingTo: stderrURL)
    try process.run()
    return BRLChild(process: process, stderrURL: stderrURL)
  }

  /// Waits for the exit; after `timeout` seconds the child is killed and nil returned, so a
  /// hang fails the test instead of blocking it.
  func wait(timeout: TimeInterval) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(50_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      return nil
    }
    process.waitUntilExit()
    return process.terminationStatus
  }

  var stderr: String {
    (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
  }
}

/// Reads `path` through a read-only connection (nil while the file or its tables do not exist
/// yet, or the database cannot be read).
func readDatabase<T>(_ path: String, _ body: (Database) throws -> T) -> T? {
  guard FileManager.default.fileExists(atPath: path) else { return nil }
  var configuration = Configuration()
  configuration.readonly = true
  configuration.busyMode = .timeout(10)
  do {
    return try DatabaseQueue(path: path, configuration: configuration).read(body)
  } catch {
    return nil
  }
}

func count(_ table: String, in path: String) -> Int? {
  readDatabase(path) { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
}

/// `brl bench` arguments for a run of a few milliseconds.
func tinyBench(_ db: String) -> [String] {
  [
    "bench", "--neg", "1e3", "--pos", "5", "--repeats", "1", "--warmup", "0", "--method", "exact",
    "--db", db,
  ]
}

/// A small tmpfs, for a full disk and a read-only file system. Needs root and a sandbox that
/// allows `mount`; ``available`` says whether it does (checked once, by mounting one).
struct Tmpfs {
  let folder: URL

  static let available: Bool = {
    guard getuid() == 0, let folder = try? BRLProcess.temporaryDirectory() else { return false }
    defer { try? FileManager.default.removeItem(at: folder) }
    guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder.path]) else {
      return false
    }
    return run("/bin/umount", [folder.path])
  }()

  /// Mounts a tmpfs of `kilobytes` KiB on a new folder.
  static func mount(kilobytes: Int) throws -> Tmpfs {
    let folder = try BRLProcess.temporaryDirectory()
    guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", folder.path])
    else { throw CocoaError(.fileWriteUnknown) }
    return Tmpfs(folder: folder)
  }

  func remountReadOnly() -> Bool {
    Self.run("/bin/mount", ["-o", "remount,ro", folder.path])
  }

  func unmount() {
    _ = Self.run("/bin/umount", [folder.path])
  }

  /// Fills the file system: writes a file until the disk is full.
  func fill() {
    let url = folder.appendingPathComponent("filler")
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    guard let handle = try? FileHandle(forWritingTo: url) else { return }
    defer { try? handle.close() }
    let block = Data(repeating: 0xAB, count: 4096)
    while (try? handle.write(contentsOf: block)) != nil {}
    let byte = Data([0])
    while (try? handle.write(contentsOf: byte)) != nil {}
  }

  func emptyFiller() {
    try? FileManager.default.removeItem(at: folder.appendingPathComponent("filler"))
  }

  @discardableResult
  static func run(_ tool: String, _ arguments: [String]) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }
}

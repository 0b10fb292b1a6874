import Foundation

/// The machine and build a benchmark ran on, recorded with every run.
///
/// Timings mean little without it: a debug build is 10–100× slower, and a run on another CPU is
/// not a regression. Everything here is read cheaply and never fails; unknown values are `nil`
/// or a placeholder.
public struct MachineInfo: Sendable, Equatable {
  public var hostName: String
  /// The first "model name" of /proc/cpuinfo.
  public var cpuModel: String?
  public var coreCount: Int
  /// /etc/os-release PRETTY_NAME and the kernel, or uname.
  public var os: String
  /// The Swift compiler brl was built with (from `#if compiler`).
  public var swiftVersion: String
  /// `debug` or `release` (from `#if DEBUG`).
  public var buildConfiguration: String
  /// The git commit of the checkout the executable was built in, `-dirty` with local changes.
  public var gitCommit: String?

  public init(
    hostName: String, cpuModel: String?, coreCount: Int, os: String, swiftVersion: String,
    buildConfiguration: String, gitCommit: String?
  ) {
    self.hostName = hostName
    self.cpuModel = cpuModel
    self.coreCount = coreCount
    self.os = os
    self.swiftVersion = swiftVersion
    self.buildConfiguration = buildConfiguration
    self.gitCommit = gitCommit
  }

  /// This machine. `lookUpGitCommit` runs `git` once in the checkout that holds the executable
  /// (found by walking up from it to a `.git`); pass `false` to skip that.
  public static func current(lookUpGitCommit: Bool = true) -> MachineInfo {
    MachineInfo(
      hostName: hostName(), cpuModel: cpuModel(),
      coreCount: ProcessInfo.processInfo.activeProcessorCount, os: operatingSystem(),
      swiftVersion: swiftVersion, buildConfiguration: buildConfiguration,
      gitCommit: lookUpGitCommit ? gitCommit() : nil)
  }

  /// The configuration this code was compiled in.
  public static var buildConfiguration: String {
    #if DEBUG
      "debug"
    #else
      "release"
    #endif
  }

  /// The compiler version, as precisely as `#if compiler` can tell.
  public static var swiftVersion: String {
    #if compiler(>=6.4)
      ">= 6.4"
    #elseif compiler(>=6.3.1)
      "6.3.1"
    #elseif compiler(>=6.3)
      "6.3"
    #elseif compiler(>=6.2)
      "6.2"
    #elseif compiler(>=6.1)
      "6.1"
    #else
      "< 6.1"
    #endif
  }

  static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  static func cpuModel() -> String? {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return nil
    }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return nil
  }

  static func operatingSystem() -> String {
    var system = utsname()
    uname(&system)
    func field<T>(_ value: T) -> String {
      withUnsafeBytes(of: value) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
    let kernel = "\(field(system.sysname)) \(field(system.release))"
    guard let text = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else {
      return kernel
    }
    for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
      let value = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(
        in: CharacterSet(charactersIn: "\"'"))
      return "\(value) (\(kernel))"
    }
    return kernel
  }

  /// `git rev-parse HEAD` (+ `-dirty`) in the checkout above the executable, or `nil`.
  static func gitCommit() -> String? {
    var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
      .resolvingSymlinksInPath().deletingLastPathComponent()
    var checkout: URL? = nil
    for _ in 0..<8 {
      if FileManager.default.fileExists(atPath: directory.appendingPathComponent(".git").path) {
        checkout = directory
        break
      }
      let parent = directory.deletingLastPathComponent()
      if parent.path == directory.path { break }
      directory = parent
    }
    guard let checkout,
      let head = run("git", ["-C", checkout.path, "rev-parse", "HEAD"]), !head.isEmpty
    else { return nil }
    let changes = run(
      "git", ["-C", checkout.path, "status", "--porcelain", "--untracked-files=no"])
    return changes.map { $0.isEmpty } == false ? head + "-dirty" : head
  }

  private static func run(_ tool: String, _ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

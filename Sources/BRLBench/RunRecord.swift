import Foundation
import GRDB

/// A row of the `runs` table: one invocation of `brl bench`, with what is needed to judge its
/// numbers later — when, on which machine and build, with which command line and seed.
///
/// It is a GRDB Codable record: its coding keys are the table's columns, and the same keys form
/// the `"run"` object of the JSON export (dates as ISO 8601 there).
///
///     var run = RunRecord(startedAt: Date(), machine: .current(), commandLine: "brl bench", seed: 1)
///     try store.insert(&run)   // run.id is now set
public struct RunRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "runs"

  public var id: Int64?
  public var startedAt: Date
  public var finishedAt: Date?
  public var status: RunStatus
  public var brlVersion: String
  /// The git commit brl was built from, with `-dirty` for local changes, if known.
  public var gitCommit: String?
  /// `debug` or `release`: debug timings are not worth comparing with release ones.
  public var buildConfiguration: String
  public var hostName: String
  public var cpuModel: String?
  public var coreCount: Int
  public var os: String
  public var swiftVersion: String
  /// The full command line, arguments quoted where needed.
  public var commandLine: String
  public var seed: Int
  /// The `--overlap` of the synthetic data (0 by default).
  public var overlap: Double
  /// The process that ran it, to tell a crashed `running` run from a live one.
  public var pid: Int

  public enum CodingKeys: String, CodingKey, ColumnExpression {
    case id
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case status
    case brlVersion = "brl_version"
    case gitCommit = "git_commit"
    case buildConfiguration = "build_configuration"
    case hostName = "host_name"
    case cpuModel = "cpu_model"
    case coreCount = "core_count"
    case os
    case swiftVersion = "swift_version"
    case commandLine = "command_line"
    case seed, overlap, pid
  }

  /// The columns, for queries.
  public typealias Columns = CodingKeys

  public init(
    id: Int64? = nil, startedAt: Date, finishedAt: Date? = nil, status: RunStatus = .running,
    brlVersion: String, gitCommit: String?, buildConfiguration: String, hostName: String,
    cpuModel: String?, coreCount: Int, os: String, swiftVersion: String, commandLine: String,
    seed: Int, overlap: Double = 0, pid: Int
  ) {
    self.id = id
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.status = status
    self.brlVersion = brlVersion
    self.gitCommit = gitCommit
    self.buildConfiguration = buildConfiguration
    self.hostName = hostName
    self.cpuModel = cpuModel
    self.coreCount = coreCount
    self.os = os
    self.swiftVersion = swiftVersion
    self.commandLine = commandLine
    self.seed = seed
    self.overlap = overlap
    self.pid = pid
  }

  /// A run starting now on `machine`.
  public init(
    startedAt: Date = Date(), machine: MachineInfo, brlVersion: String, commandLine: String,
    seed: Int, overlap: Double = 0, pid: Int = Int(getpid())
  ) {
    self.init(
      startedAt: startedAt, brlVersion: brlVersion, gitCommit: machine.gitCommit,
      buildConfiguration: machine.buildConfiguration, hostName: machine.hostName,
      cpuModel: machine.cpuModel, coreCount: machine.coreCount, os: machine.os,
      swiftVersion: machine.swiftVersion, commandLine: commandLine, seed: seed,
      overlap: overlap, pid: pid)
  }

  /// Writes every key, `null` included, so exported JSON always has the same shape.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encode(startedAt, forKey: .startedAt)
    try container.encode(finishedAt, forKey: .finishedAt)
    try container.encode(status, forKey: .status)
    try container.encode(brlVersion, forKey: .brlVersion)
    try container.encode(gitCommit, forKey: .gitCommit)
    try container.encode(buildConfiguration, forKey: .buildConfiguration)
    try container.encode(hostName, forKey: .hostName)
    try container.encode(cpuModel, forKey: .cpuModel)
    try container.encode(coreCount, forKey: .coreCount)
    try container.encode(os, forKey: .os)
    try container.encode(swiftVersion, forKey: .swiftVersion)
    try container.encode(commandLine, forKey: .commandLine)
    try container.encode(seed, forKey: .seed)
    try container.encode(overlap, forKey: .overlap)
    try container.encode(pid, forKey: .pid)
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) {
    id = inserted.rowID
  }

  /// A `running` run on this host whose process no longer exists: it crashed or was killed
  /// (`kill -9`) without being marked. `brl report` shows it as `interrupted`, and the next
  /// `brl bench` or `brl verify --record` marks it so in the database.
  ///
  /// The process is gone when `kill(pid, 0)` fails with `ESRCH`, or when `/proc/<pid>/stat` says
  /// it is a zombie (dead, not yet reaped by its parent). Runs of other hosts are never stale:
  /// their pids mean nothing here. (A pid reused by an unrelated process keeps a dead run
  /// `running`; that errs on the side of not calling a live run dead.)
  public func looksStale(currentHost: String) -> Bool {
    guard status == .running, hostName == currentHost, pid > 0, pid <= Int(Int32.max) else {
      return false
    }
    return !Self.processIsAlive(pid_t(pid))
  }

  /// Whether process `pid` exists on this machine and is not a zombie.
  static func processIsAlive(_ pid: pid_t) -> Bool {
    if kill(pid, 0) != 0 && errno == ESRCH { return false }
    #if os(Linux)
      // "pid (comm) S ...": the state is the first field after the last ')'.
      if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
      {
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        if state == "Z" || state == "X" { return false }
      }
    #endif
    return true
  }
}

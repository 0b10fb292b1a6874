import BRLBench
import BRLFormat
import Foundation

extension ReportCommand {
  /// `brl report`: the recorded runs, newest first (text or --json).
  func list() throws {
    let store = try openStore()
    let runs = try store.runs()
    if json {
      print(try BenchDocument.jsonString(runs.map(\.run)), terminator: "")
      return
    }
    if csv || markdown {
      throw ReportError(
        description: "the run list is text or --json; pass a run id to export a run")
    }
    if runs.isEmpty {
      print("No runs in \(store.path).")
      return
    }
    print(
      BenchReport.runList(runs, currentHost: MachineInfo.current(lookUpGitCommit: false).hostName)
        .text(), terminator: "")
  }

  /// `brl report --parity`: the comparisons `brl verify --record` stored, newest first.
  func listParity() throws {
    let store = try openStore()
    let records = try store.parityRecords(limit: limit)
    if json {
      struct ParityList: Encodable { var parity: [ParityRecord] }
      print(try JSONFormat.string(ParityList(parity: records), pretty: true), terminator: "")
      return
    }
    if records.isEmpty {
      print("No parity results in \(store.path) (record some with `brl verify --record`).")
      return
    }
    func number(_ value: Double?) -> String { value.map(Format.scientific) ?? "nan" }
    var table = TextTable(columns: [
      .init("id"), .init("recorded", .left), .init("input", .left), .init("fnv1a64/size", .left),
      .init("loss", .left), .init("δ"), .init("method", .left), .init("vs", .left),
      .init("|Δloss|"), .init("max |Δgrad|"), .init("rel"), .init("verdict", .left),
    ])
    for r in records {
      table.append([
        r.id.map(String.init) ?? "-", BenchReport.timestamp(r.createdAt), r.inputPath,
        r.inputHash + (r.inputSize.map { "/\($0)" } ?? ""), r.loss, Format.number(r.delta),
        r.methodA, r.methodB,
        r.methodB == "naive sampled" && r.lossAbsDiff == nil ? "n/a" : number(r.lossAbsDiff),
        number(r.maxAbsDiff), number(r.maxRelDiff),
        r.verdict,
      ])
    }
    print(table.text(), terminator: "")
  }
}

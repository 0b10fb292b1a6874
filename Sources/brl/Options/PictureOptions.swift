import ArgumentParser
import BRLData
import BRLFormat
import Foundation

/// `--html FILE`: also write the result as a self-contained HTML page with charts. The path is
/// an ``OutputFile``, checked when parsed: a missing folder, a folder, or a place that takes no
/// file (`/proc/…`) is refused before any work with one line `brl: error: …`, exit 2, and
/// nothing written.
struct HTMLOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Also write a self-contained HTML page with charts to this file (no network needed to "
        + "open it).", valueName: "file"),
    transform: OutputFile.init(parsing:))
  var html: OutputFile?

  /// Writes `page` to the file, if one was asked for; a failure is printed (exit 2 later).
  func write(_ page: @autoclosure () -> HTMLPage) -> Bool {
    guard let html else { return true }
    do {
      try page().write(to: html.path)
      printNote("wrote \(html.path)")
      return true
    } catch {
      printError("\(error)")
      return false
    }
  }
}

/// A folder brl writes files into (`--svg DIR`): an existing writable folder, or a missing one
/// whose parent is (``PathCheck/outputFolder(_:)``).
struct OutputFolder: CheckedPath {
  var path: String
  init(checked path: String) { self.path = path }
  static func check(_ path: String) throws { try PathCheck.outputFolder(path) }
}

/// `--svg DIR` of `brl report RUN`: each chart of the page as its own SVG file in DIR (created
/// if missing; its parent must exist).
struct SVGOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Write each chart as its own .svg file into this folder (created if missing).",
      valueName: "dir"),
    transform: OutputFolder.init(parsing:))
  var svg: OutputFolder?

  /// Writes every chart as `<id>.svg`; prints the names. A failure is printed (exit 2 later).
  func write(_ charts: @autoclosure () -> [Chart]) -> Bool {
    guard let folder = svg?.path else { return true }
    var isFolder: ObjCBool = false
    if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
      } catch {
        printError("cannot create the folder \(folder): \(error.localizedDescription)")
        return false
      }
    }
    let charts = charts()
    for chart in charts {
      let path = folder + "/" + chart.id + ".svg"
      do { try AtomicFile.write(Data(chart.svg(standalone: true).utf8), to: path) } catch {
        printError("\(error)")
        return false
      }
    }
    printNote(
      "wrote \(charts.count) chart\(charts.count == 1 ? "" : "s") to \(folder): "
        + charts.map { $0.id + ".svg" }.joined(separator: ", "))
    return true
  }
}

import ArgumentParser
import BRLFormat
import Foundation

/// `--html FILE`: also write the result as a self-contained HTML page with charts. The path is
/// checked by ``check()`` before any work: a missing folder, a folder, or a place that takes no
/// file (`/proc/…`) is refused with one line `brl: error: …`, exit 2, and nothing written.
struct HTMLOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Also write a self-contained HTML page with charts to this file (no network needed to "
        + "open it).", valueName: "file"))
  var html: String?

  /// Refuses a path that cannot be written (exit 2).
  func check() throws {
    guard let html else { return }
    do { try AtomicFile.checkWritable(html) } catch {
      printError("--html: \(error)")
      throw ExitCode(2)
    }
  }

  /// Writes `page` to the file, if one was asked for; a failure is printed (exit 2 later).
  func write(_ page: HTMLPage) -> Bool {
    guard let html else { return true }
    do {
      try page.write(to: html)
      printNote("wrote \(html)")
      return true
    } catch {
      printError("\(error)")
      return false
    }
  }
}

/// `--svg DIR` of `brl report RUN`: each chart of the page as its own SVG file in DIR (created
/// if missing; its parent must exist).
struct SVGOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Write each chart as its own .svg file into this folder (created if missing).",
      valueName: "dir"))
  var svg: String?

  /// Refuses a folder that cannot be written (exit 2).
  func check() throws {
    guard let svg else { return }
    do { try AtomicFile.checkWritableFolder(svg) } catch {
      printError("--svg: \(error)")
      throw ExitCode(2)
    }
  }

  /// Writes every chart as `<id>.svg`; prints the names. A failure is printed (exit 2 later).
  func write(_ charts: [Chart]) -> Bool {
    guard let svg else { return true }
    do {
      try FileManager.default.createDirectory(atPath: svg, withIntermediateDirectories: false)
    } catch {
      var isFolder: ObjCBool = false
      if !(FileManager.default.fileExists(atPath: svg, isDirectory: &isFolder)
        && isFolder.boolValue)
      {
        printError("cannot create the folder \(svg): \(error.localizedDescription)")
        return false
      }
    }
    for chart in charts {
      let path = svg + "/" + chart.id + ".svg"
      do { try AtomicFile.write(Data(chart.svg(standalone: true).utf8), to: path) } catch {
        printError("\(error)")
        return false
      }
    }
    printNote("wrote \(charts.count) chart\(charts.count == 1 ? "" : "s") to \(svg)")
    return true
  }
}

import ChartTestSupport
import Foundation
import Testing

/// `--html` and `--svg` end to end: the files the commands write, the paths they refuse, and
/// the pages as a browser draws them.
@Suite(.serialized) struct PictureCommandTests {
  /// A recorded run of two N (so there are charts) in a fresh folder; returns (folder, db).
  static func recordedRun(extra: [String] = []) throws -> (URL, String) {
    let folder = try BRLProcess.temporaryDirectory()
    let db = folder.appendingPathComponent("bench.sqlite").path
    let bench = try BRLProcess.run(
      [
        "bench", "--neg", "1e3,3e3", "--pos", "5", "--repeats", "2", "--warmup", "0",
        "--method", "exact", "--db", db,
      ] + extra)
    #expect(bench.status == 0, "\(bench.stderr)")
    return (folder, db)
  }

  @Test func reportWritesAPageAndTheSameChartsAsSVGFiles() throws {
    let (folder, db) = try Self.recordedRun()
    let page = folder.appendingPathComponent("report.html").path
    let svgs = folder.appendingPathComponent("svg").path
    let report = try BRLProcess.run(["report", "latest", "--db", db, "--html", page, "--svg", svgs])
    #expect(report.status == 0, "\(report.stderr)")
    #expect(report.stdout.contains("RS loss"))  // the text report is still printed
    let html = try String(contentsOfFile: page, encoding: .utf8)
    let inspector = try #require(SVGInspector.parse(html), "the page is not well-formed")
    #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("<script"))
    let files = try FileManager.default.contentsOfDirectory(atPath: svgs).sorted()
    #expect(files == ["rss-n-rs-d0p5-p5.svg", "time-n-rs-d0p5-p5.svg"])
    #expect(inspector.elements.filter { $0.name == "svg" }.count == files.count)
    for file in files {
      let svg = try String(contentsOfFile: svgs + "/" + file, encoding: .utf8)
      let chart = try #require(SVGInspector.parse(svg), "\(file) is not well-formed")
      #expect(chart.elements.first { $0.name == "title" } != nil)
      #expect(chart.elements(class: "series", name: "g").count == 2)  // floor and exact
      #expect(svg.components(separatedBy: "http").count == 2)  // the SVG namespace only
    }
  }

  @Test func aComparisonPageShowsTheVerdict() throws {
    let (folder, db) = try Self.recordedRun()
    _ = try BRLProcess.run([
      "bench", "--neg", "1e3,3e3", "--pos", "5", "--repeats", "2", "--warmup", "0", "--method",
      "exact", "--db", db,
    ])
    let page = folder.appendingPathComponent("compare.html").path
    let compare = try BRLProcess.run([
      "report", "--compare", "1", "2", "--db", db, "--fail-if-slower", "10000%", "--html", page,
    ])
    #expect(compare.status == 0, "\(compare.stderr)")
    let inspector = try #require(
      SVGInspector.parse(try String(contentsOfFile: page, encoding: .utf8)))
    #expect(inspector.elements(class: "good", name: "p").first?.text.contains("OK:") == true)
    #expect(inspector.elements(class: "rule").count == 2)
  }

  @Test func verifyWritesAPageWithJSONToo() throws {
    let folder = try BRLProcess.temporaryDirectory()
    let page = folder.appendingPathComponent("verify.html").path
    let verify = try BRLProcess.run([
      "verify", "fixtures/oracle/rs_medium.npz", "fixtures/oracle/ap_small.npz", "--json",
      "--html", page,
    ])
    #expect(verify.status == 0, "\(verify.stderr)")
    #expect((try? JSONSerialization.jsonObject(with: Data(verify.stdout.utf8))) != nil)
    let html = try String(contentsOfFile: page, encoding: .utf8)
    let inspector = try #require(SVGInspector.parse(html))
    #expect(inspector.elements.filter { $0.name == "section" }.count == 2)
    let charts = inspector.elements.filter { $0.name == "svg" }.compactMap {
      $0.attributes["data-chart"]
    }
    #expect(charts.contains("verify-1-rs-d0-grad-neg") && charts.contains("verify-1-rs-d0-diff"))
    #expect(charts.contains("verify-1-rs-maxdiff") && charts.contains("verify-2-ap-d0-grad-pos"))
    #expect(inspector.elements(class: "good", name: "td").contains { $0.text == "ok" })
    #expect(!html.contains("http"))
  }

  /// Paths that cannot be written are refused before any work: exit 2, one line, no file.
  @Test(arguments: [
    ["report", "latest", "--html", "%/missing/page.html"],
    ["report", "latest", "--html", "%"],
    ["report", "latest", "--html", "/proc/brl-page.html"],
    ["report", "latest", "--svg", "%/missing/svg"],
    ["verify", "fixtures/oracle/rs_medium.npz", "--html", "%/missing/v.html"],
    ["verify", "fixtures/oracle/rs_medium.npz", "--html", "/proc/brl-v.html"],
    ["bench", "--neg", "1e3", "--pos", "5", "--repeats", "1", "--html", "%"],
    ["bench", "--neg", "1e3", "--pos", "5", "--repeats", "1", "--html", "/dev/null"],
  ])
  func unwritablePathsAreRefusedFirst(arguments: [String]) throws {
    let folder = try BRLProcess.temporaryDirectory()
    let db = folder.appendingPathComponent("bench.sqlite").path
    let args =
      arguments.map { $0.replacingOccurrences(of: "%", with: folder.path) }
      + (arguments[0] == "verify" ? [] : ["--db", db])
    let result = try BRLProcess.run(args)
    #expect(result.status == 2, "\(result.stderr)")
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1 && lines[0].hasPrefix("brl: error: "), "\(result.stderr)")
    #expect(lines.first?.contains("--html") == true || lines.first?.contains("--svg") == true)
    #expect(result.stdout.isEmpty)
    // Nothing written: the folder is as it was (no database, no page, no probe file).
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  /// The pages as a person sees them: Chromium draws them, and the picture is the window's
  /// size and not blank. Never skipped: `.ci/run` installs chromium; elsewhere (the release
  /// workflow's container) `BRL_CHROMIUM` names a Chromium or Chrome binary.
  @Test func chromiumDrawsTheReportAndVerifyPages() throws {
    let named = ProcessInfo.processInfo.environment["BRL_CHROMIUM"].map { [$0] } ?? []
    let browser = try #require(
      (named + ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium"]).first {
        FileManager.default.isExecutableFile(atPath: $0)
      }, "chromium is not installed (apt-get install -y chromium; .ci/run does)")
    let (folder, db) = try Self.recordedRun()
    let report = folder.appendingPathComponent("report.html").path
    #expect(try BRLProcess.run(["report", "latest", "--db", db, "--html", report]).status == 0)
    let verify = folder.appendingPathComponent("verify.html").path
    #expect(
      try BRLProcess.run(["verify", "fixtures/oracle/rs_medium.npz", "--html", verify]).status
        == 0)
    for (page, size) in [(report, (900, 1300)), (verify, (1200, 1600))] {
      let png = page + ".png"
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
      process.arguments = [
        "120", browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--user-data-dir=\(folder.path)/chromium-profile", "--screenshot=\(png)",
        "--window-size=\(size.0),\(size.1)", URL(fileURLWithPath: page).absoluteString,
      ]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "chromium exited \(process.terminationStatus)")
      let image = try PNGImage(try Data(contentsOf: URL(fileURLWithPath: png)))
      #expect(image.width == size.0 && image.height == size.1, "\(image.width)×\(image.height)")
      // A blank page has one colour; text, axes and coloured series give hundreds.
      #expect(image.distinctColours > 50, "\(image.distinctColours) colours")
    }
  }
}

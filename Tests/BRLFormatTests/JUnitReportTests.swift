import BRLFormat
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The JUnit writer: the document parses, has the elements and counts CI systems read, escapes
/// what it must, validates against the Ant JUnit schema (when xmllint is installed) and is
/// written atomically.
@Suite struct JUnitReportTests {
  static let sample: JUnitReport = {
    let date = Date(timeIntervalSince1970: 1_750_000_000)
    var first = JUnitReport.Suite(name: "dump.npz", timestamp: date, hostname: "ci-1")
    first.cases = [
      .init(name: "rs δ=0 exact vs naive", classname: "dump.npz", seconds: 0.25),
      .init(
        name: "rs δ=0 bucketed vs naive", classname: "dump.npz", seconds: 0.5,
        outcome: .failure(message: "|Δloss| 1e-3 > atol", type: "required", details: "grad[3]")),
      .init(name: "ap  δ=1\tplain", classname: "dump.npz", outcome: .skipped(message: "off")),
    ]
    first.properties = [("rs δ=0 exact vs naive: loss_difference", "0")]
    first.systemOut = "a table <with> & \"quotes\"\u{1}\n"
    var second = JUnitReport.Suite(name: "bad.npy", timestamp: date, hostname: "")
    second.cases = [
      .init(
        name: "read input", classname: "bad.npy",
        outcome: .error(message: "bad.npy: not an .npy file", type: "input", details: "magic"))
    ]
    return JUnitReport(suites: [first, second])
  }()

  @Test func theDocumentHasTheElementsAndCountsCIReads() throws {
    let document = try XMLDocument(xmlString: Self.sample.xml())
    let root = try #require(document.rootElement())
    #expect(root.name == "testsuites")
    #expect(root.attributes == nil || root.attributes!.isEmpty)
    #expect((Self.sample.tests, Self.sample.failures, Self.sample.errors) == (4, 1, 1))
    let suites = root.elements(forName: "testsuite")
    #expect(suites.count == 2)
    let first = suites[0]
    #expect(
      first.children?.compactMap(\.name) == [
        "properties", "testcase", "testcase", "testcase", "system-out", "system-err",
      ])
    #expect(
      ["tests", "failures", "errors", "skipped", "id", "hostname"].map {
        first.attribute(forName: $0)?.stringValue
      } == ["3", "1", "0", "1", "0", "ci-1"])
    #expect(first.attribute(forName: "timestamp")?.stringValue == "2025-06-15T15:06:40")
    #expect(first.attribute(forName: "time")?.stringValue == "0.750000")
    let cases = first.elements(forName: "testcase")
    #expect(
      cases[1].elements(forName: "failure").first?.attribute(forName: "type")?.stringValue
        == "required")
    #expect(cases[1].elements(forName: "failure").first?.stringValue == "grad[3]")
    #expect(cases[2].attribute(forName: "name")?.stringValue == "ap δ=1 plain")  // xs:token
    #expect(cases[2].elements(forName: "skipped").count == 1)
    #expect(
      first.elements(forName: "system-out").first?.stringValue
        == "a table <with> & \"quotes\"\u{FFFD}\n")
    let property = first.elements(forName: "properties").first?.elements(forName: "property").first
    #expect(property?.attribute(forName: "value")?.stringValue == "0")
    let second = suites[1]
    #expect(second.attribute(forName: "hostname")?.stringValue == "localhost")
    #expect(second.attribute(forName: "errors")?.stringValue == "1")
    #expect(
      second.elements(forName: "testcase").first?.elements(forName: "error").first?
        .attribute(forName: "message")?.stringValue == "bad.npy: not an .npy file")
  }

  @Test(.enabled(if: xmllint != nil)) func validatesAgainstTheAntJUnitSchema() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "brl-junit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("report.xml").path
    try Self.sample.write(to: path)
    let result = try validate(path)
    #expect(result.status == 0, "\(result.output)")
    // An empty report is valid too.
    try JUnitReport(suites: []).write(to: path)
    #expect(try validate(path).status == 0)
  }

  @Test func writesAtomicallyAndLeavesNothingOnFailure() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "brl-junit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("report.xml").path
    try Data("old".utf8).write(to: URL(fileURLWithPath: path))
    try Self.sample.write(to: path)
    #expect(try String(contentsOfFile: path, encoding: .utf8) == Self.sample.xml())
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.xml"])
    #expect(throws: AtomicFile.Failure.self) {
      try Self.sample.write(to: folder.appendingPathComponent("missing/report.xml").path)
    }
    #expect(throws: AtomicFile.Failure.self) { try Self.sample.write(to: folder.path) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.xml"])
  }
}

/// `xmllint`, if installed.
let xmllint: String? = ["/usr/bin/xmllint", "/usr/local/bin/xmllint", "/opt/homebrew/bin/xmllint"]
  .first { FileManager.default.isExecutableFile(atPath: $0) }

/// The repository (for fixtures/junit/JUnit.xsd).
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Runs `xmllint --noout --schema JUnit.xsd path`.
func validate(_ path: String) throws -> (status: Int32, output: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: xmllint!)
  process.arguments = [
    "--noout", "--schema", repository.appendingPathComponent("fixtures/junit/JUnit.xsd").path, path,
  ]
  let pipe = Pipe()
  process.standardError = pipe
  process.standardOutput = pipe
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

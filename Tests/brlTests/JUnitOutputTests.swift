import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// `--junit FILE` end to end: the file parses, has a suite and a case per check or point with
/// the right failures, validates against the Ant JUnit schema (when xmllint is installed), and
/// a usage mistake or an unwritable file is exit 2.
@Suite(.serialized) struct JUnitOutputTests {
  /// A baseline made from a real run with every min time scaled by `factor`.
  static func baseline(from db: String, scaledBy factor: Double, to path: String) throws {
    let export = try BRLProcess.run(["report", "latest", "--json", "--db", db])
    #expect(export.status == 0, "\(export.stderr)")
    var document = try #require(
      try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])
    var measurements = try #require(document["measurements"] as? [[String: Any]])
    for i in measurements.indices {
      for key in ["min_s", "median_s", "max_s"] {
        measurements[i][key] = (measurements[i][key] as! Double) * factor
      }
    }
    document["measurements"] = measurements
    try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))
  }

  @Test func reportWritesACasePerMatchedPointAndFailsTheSlowerOnes() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let db = folder.appendingPathComponent("bench.sqlite").path
    #expect(try BRLProcess.run(tinyBench(db)).status == 0)
    let fast = folder.appendingPathComponent("fast.json").path
    let slow = folder.appendingPathComponent("slow.json").path
    try Self.baseline(from: db, scaledBy: 1e-6, to: fast)  // the run is far slower than it
    try Self.baseline(from: db, scaledBy: 1e6, to: slow)  // the run is far faster than it
    let xml = folder.appendingPathComponent("bench.xml").path

    let failing = try BRLProcess.run([
      "report", "--baseline", fast, "--fail-if-slower", "10%", "--db", db, "--junit", xml,
    ])
    #expect(failing.status == 1, "\(failing.stderr)")
    var suite = try Self.onlySuite(xml)
    // tinyBench measures exact and the floor row at one point: 2 matched points.
    #expect(suite.elements(forName: "testcase").count == 2)
    #expect(suite.attribute(forName: "failures")?.stringValue == "2")
    #expect(suite.attribute(forName: "errors")?.stringValue == "0")
    let failure = suite.elements(forName: "testcase").first?.elements(forName: "failure").first
    #expect(failure?.attribute(forName: "type")?.stringValue == "slower")
    #expect(try Self.schemaErrors(xml) == nil)

    let passing = try BRLProcess.run([
      "report", "--baseline", slow, "--fail-if-slower", "10%", "--db", db, "--junit", xml,
    ])
    #expect(passing.status == 0, "\(passing.stderr)")
    suite = try Self.onlySuite(xml)
    #expect(suite.elements(forName: "testcase").count == 2)
    #expect(suite.attribute(forName: "failures")?.stringValue == "0")
    let names = suite.elements(forName: "testcase").compactMap {
      $0.attribute(forName: "name")?.stringValue
    }
    #expect(names.sorted() == ["rs exact δ=0.5 P=5 N=1k", "rs floor δ=0.5 P=5 N=1k"])
    let properties = suite.elements(forName: "properties").first?.elements(forName: "property")
    #expect(properties?.count == 8)  // base min, min, min ratio, median ratio per point
    #expect(try Self.schemaErrors(xml) == nil)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
        $0.hasPrefix(".")
      }.isEmpty)  // no temporary file left

    let usage = try BRLProcess.run(["report", "--db", db, "--junit", xml])
    #expect(usage.status == 2)
    #expect(usage.stderr.hasPrefix("brl: error: --junit needs --compare or --baseline"))
    let unwritable = try BRLProcess.run([
      "report", "--baseline", slow, "--db", db, "--junit", "/nonexistent-dir/bench.xml",
    ])
    #expect(unwritable.status == 2)
    // Refused when --junit is parsed, before the comparison (issue 16).
    #expect(
      unwritable.stderr.hasPrefix(
        "brl: error: The value '/nonexistent-dir/bench.xml' is invalid for '--junit <file>': "
          + "the folder /nonexistent-dir does not exist"))
  }

  /// The checks of one `brl verify --json` input: (count, failed, informational).
  static func checkCounts(_ json: String, input: Int) throws -> (all: Int, failed: Int, info: Int) {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let inputs = try #require(object["inputs"] as? [[String: Any]])
    let checks = try #require(inputs[input]["checks"] as? [[String: Any]])
    let verdicts = checks.map { $0["verdict"] as? String }
    return (
      checks.count, verdicts.filter { $0 == "fail" }.count, verdicts.filter { $0 == "info" }.count
    )
  }

  @Test func verifyWritesASuitePerInputAndACasePerCheck() throws {
    let folder = try BRLProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let xml = folder.appendingPathComponent("verify.xml").path
    let input = "fixtures/oracle/rs_small.npz"
    let missing = folder.appendingPathComponent("missing.npz").path

    // One good input and one that cannot be read: a suite each, the second an error.
    let mixed = try BRLProcess.run(["verify", input, missing, "--json", "--junit", xml])
    #expect(mixed.status == 2, "\(mixed.stderr)")
    let counts = try Self.checkCounts(mixed.stdout, input: 0)
    #expect(counts.all > 0 && counts.failed == 0 && counts.info > 0)
    var root = try #require(try XMLDocument(contentsOf: URL(fileURLWithPath: xml)).rootElement())
    var suites = root.elements(forName: "testsuite")
    #expect(suites.map { $0.attribute(forName: "name")?.stringValue } == [input, missing])
    #expect(suites[0].elements(forName: "testcase").count == counts.all)
    #expect(suites[0].attribute(forName: "failures")?.stringValue == "0")
    #expect(suites[0].attribute(forName: "errors")?.stringValue == "0")
    // Every check's numbers: requirement, verdict and four differences.
    #expect(
      suites[0].elements(forName: "properties").first?.elements(forName: "property").count
        == 2 + 6 * counts.all)
    #expect(suites[0].elements(forName: "system-out").first?.stringValue?.contains("ok") == true)
    #expect(suites[1].elements(forName: "testcase").count == 1)
    #expect(suites[1].attribute(forName: "errors")?.stringValue == "1")
    let error = suites[1].elements(forName: "testcase").first?.elements(forName: "error").first
    #expect(error?.attribute(forName: "message")?.stringValue?.contains("missing.npz") == true)
    #expect(try Self.schemaErrors(xml) == nil)

    // --strict: the informational checks are required, and the ones that disagree fail.
    let strict = try BRLProcess.run(["verify", input, "--strict", "--json", "--junit", xml])
    #expect(strict.status == 1, "\(strict.stderr)")
    let strictCounts = try Self.checkCounts(strict.stdout, input: 0)
    #expect(strictCounts.failed > 0)
    root = try #require(try XMLDocument(contentsOf: URL(fileURLWithPath: xml)).rootElement())
    suites = root.elements(forName: "testsuite")
    #expect(suites.count == 1)
    #expect(suites[0].attribute(forName: "failures")?.stringValue == "\(strictCounts.failed)")
    let failures = suites[0].elements(forName: "testcase").flatMap {
      $0.elements(forName: "failure")
    }
    #expect(failures.count == strictCounts.failed)
    #expect(failures.allSatisfy { $0.attribute(forName: "type")?.stringValue == "required" })
    #expect(try Self.schemaErrors(xml) == nil)

    let unwritable = try BRLProcess.run(["verify", input, "--junit", folder.path])
    #expect(unwritable.status == 2)
    #expect(
      unwritable.stderr.hasPrefix(
        "brl: error: The value '\(folder.path)' is invalid for '--junit <file>': is a folder"))
    #expect(unwritable.stdout.isEmpty)
  }

  /// The single `<testsuite>` of a report.
  static func onlySuite(_ path: String) throws -> XMLElement {
    let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path))
    let root = try #require(document.rootElement())
    #expect(root.name == "testsuites")
    let suites = root.elements(forName: "testsuite")
    #expect(suites.count == 1)
    return try #require(suites.first)
  }

  /// xmllint's complaints against fixtures/junit/JUnit.xsd, or nil if valid (or no xmllint).
  static func schemaErrors(_ path: String) throws -> String? {
    guard
      let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first(where: {
        FileManager.default.isExecutableFile(atPath: $0)
      })
    else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: xmllint)
    process.arguments = [
      "--noout", "--schema",
      BRLProcess.repository.appendingPathComponent("fixtures/junit/JUnit.xsd").path, path,
    ]
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? nil : String(decoding: output, as: UTF8.self)
  }
}

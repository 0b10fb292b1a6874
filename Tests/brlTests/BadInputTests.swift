import Foundation
import Testing

/// Every bad input of `fixtures/cli-bad/cases.tsv` (docs/bad-input.md's table is made from the same
/// file by `scripts/bad-inputs.sh`): exit 2 and a message, prefixed `brl: error: `, that names
/// the problem.
@Suite struct BadInputTests {
  struct Case: CustomTestStringConvertible, Sendable {
    var description: String
    var arguments: [String]
    var phrase: String
    var testDescription: String { description }
  }

  static let cases: [Case] = {
    let url = BRLProcess.repository.appendingPathComponent("fixtures/cli-bad/cases.tsv")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").compactMap { line in
      guard !line.hasPrefix("#") else { return nil }
      let fields = line.split(separator: "\t").map(String.init)
      guard fields.count == 3 else { return nil }
      return Case(
        description: fields[0], arguments: fields[1].split(separator: " ").map(String.init),
        phrase: fields[2])
    }
  }()

  @Test func theTableIsComplete() {
    #expect(Self.cases.count >= 40)
  }

  @Test(arguments: cases)
  func exitsTwoWithAMessage(_ bad: Case) throws {
    let run = try BRLProcess.run(bad.arguments)
    #expect(run.status == 2, "\(run.stdout)\n\(run.stderr)")
    #expect(run.stderr.contains(bad.phrase), "\(run.stderr)")
    // One prefix for every error: usage, input and store.
    #expect(
      run.stderr.split(separator: "\n").contains {
        $0.hasPrefix("brl: error: ") && $0.contains(bad.phrase)
      },
      "\(run.stderr)")
    #expect(run.stdout.isEmpty || bad.arguments.first == "verify")
  }
}

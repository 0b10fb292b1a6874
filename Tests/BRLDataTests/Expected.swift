import Foundation

/// The values a fixture must load to, from `<case>.expected.txt` (written by
/// scripts/make_data_fixtures.py as Python float reprs, one `key v v v …` line per key).
struct Expected {
  var values: [String: [Double]]

  init(_ name: String) throws {
    let text = try String(
      contentsOfFile: FixturePaths.data("\(name).expected.txt"), encoding: .utf8)
    var values: [String: [Double]] = [:]
    for line in text.split(separator: "\n") {
      let words = line.split(separator: " ")
      values[String(words[0])] = words.dropFirst().map { Double(String($0))! }
    }
    self.values = values
  }

  var logits: [Double] { values["logits"] ?? [] }
  var targets: [Double] { values["targets"] ?? [] }
}

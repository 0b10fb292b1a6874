import BRLFormat
import Foundation
import Testing

/// brl's one JSON set-up: sorted keys, unescaped slashes, ISO 8601 dates, and non-finite
/// numbers as strings, read back by the matching decoder.
@Suite struct JSONFormatTests {
  struct Sample: Codable, Equatable {
    var zeta: Double
    var alpha: String
    var when: Date
    var missing: Int?

    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(zeta, forKey: .zeta)
      try c.encode(alpha, forKey: .alpha)
      try c.encode(when, forKey: .when)
      try c.encode(missing, forKey: .missing)  // null, not left out
    }
  }

  static let date = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15T15:06:40Z

  @Test func oneLineWithSortedKeysAndUnescapedSlashes() throws {
    let text = try JSONFormat.string(Sample(zeta: 0.5, alpha: "a/b", when: Self.date))
    #expect(
      text == #"{"alpha":"a/b","missing":null,"when":"2025-06-15T15:06:40Z","zeta":0.5}"#)
  }

  @Test func prettyHasOneKeyPerLineAndEndsWithANewline() throws {
    let text = try JSONFormat.string(
      Sample(zeta: 1, alpha: "x", when: Self.date), pretty: true)
    #expect(text.hasSuffix("}\n"))
    #expect(text.split(separator: "\n").count == 6)
    #expect(text.contains(#""alpha" : "x""#))
  }

  @Test(arguments: [(Double.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf")])
  func nonFiniteNumbersAreStringsAndReadBack(value: Double, text: String) throws {
    let json = try JSONFormat.string(Sample(zeta: value, alpha: "", when: Self.date))
    #expect(json.contains(#""zeta":"\#(text)""#))
    let back = try JSONFormat.decoder().decode(Sample.self, from: Data(json.utf8))
    #expect(back.zeta.bitPattern == value.bitPattern || (back.zeta.isNaN && value.isNaN))
    #expect(back.when == Self.date)
  }
}

import BRLFormat
import Testing

/// Every formatter over the values that used to trap or print badly: huge (≥ 2⁶³), tiny,
/// subnormal, negative zero and the non-finite values. Expected strings are what C's printf
/// and Swift's shortest round-trip description give for these doubles.
@Suite struct FormatTests {
  struct Row: Sendable, CustomTestStringConvertible {
    var value: Double
    var exact: String
    var number: String
    var scientific: String
    var precise: String
    var testDescription: String { "\(value)" }
  }

  static let rows: [Row] = [
    Row(value: 0, exact: "0", number: "0", scientific: "0", precise: "0"),
    Row(value: -0.0, exact: "-0", number: "-0", scientific: "0", precise: "-0"),
    Row(value: 1, exact: "1", number: "1", scientific: "1.00e+00", precise: "1"),
    Row(value: 0.5, exact: "0.5", number: "0.5", scientific: "5.00e-01", precise: "0.5"),
    Row(value: 0.1, exact: "0.1", number: "0.1", scientific: "1.00e-01", precise: "0.1"),
    Row(
      value: 1e19, exact: "1e+19", number: "1e+19", scientific: "1.00e+19", precise: "1e+19"),
    Row(
      value: 9_223_372_036_854_775_808, exact: "9.223372036854776e+18",
      number: "9.22337e+18", scientific: "9.22e+18", precise: "9.22337204e+18"),
    Row(
      value: 1e308, exact: "1e+308", number: "1e+308", scientific: "1.00e+308",
      precise: "1e+308"),
    Row(
      value: .greatestFiniteMagnitude, exact: "1.7976931348623157e+308", number: "1.79769e+308",
      scientific: "1.80e+308", precise: "1.79769313e+308"),
    Row(
      value: -1e300, exact: "-1e+300", number: "-1e+300", scientific: "-1.00e+300",
      precise: "-1e+300"),
    Row(
      value: 1e-310, exact: "1e-310", number: "1e-310", scientific: "1.00e-310",
      precise: "1e-310"),
    Row(
      value: 5e-324, exact: "5e-324", number: "4.94066e-324", scientific: "4.94e-324",
      precise: "4.94065646e-324"),
    Row(
      value: 2.2250738585072014e-308, exact: "2.2250738585072014e-308", number: "2.22507e-308",
      scientific: "2.23e-308", precise: "2.22507386e-308"),
    Row(
      value: 1e15, exact: "1000000000000000", number: "1e+15", scientific: "1.00e+15",
      precise: "1e+15"),
    Row(
      value: 999_999_999_999_999, exact: "999999999999999", number: "999999999999999",
      scientific: "1.00e+15", precise: "1e+15"),
    Row(value: .nan, exact: "nan", number: "nan", scientific: "nan", precise: "nan"),
    Row(value: .infinity, exact: "inf", number: "inf", scientific: "inf", precise: "inf"),
    Row(value: -.infinity, exact: "-inf", number: "-inf", scientific: "-inf", precise: "-inf"),
  ]

  @Test(arguments: rows)
  func formatsWithoutTrapping(_ row: Row) {
    #expect(Format.exact(row.value) == row.exact)
    #expect(Format.number(row.value) == row.number)
    #expect(Format.scientific(row.value) == row.scientific)
    #expect(Format.precise(row.value) == row.precise)
  }

  /// The exact form reads back to the same double (for finite values).
  @Test(arguments: rows.filter { $0.value.isFinite })
  func exactRoundTrips(_ row: Row) {
    #expect(Double(Format.exact(row.value)) == row.value)
  }

  /// The unit formatters: no trap on any special value, a dash for the non-finite ones.
  @Test(arguments: [
    (Double.nan, "-", "-", "-"), (.infinity, "-", "-", "-"), (-.infinity, "-", "-", "-"),
    (0, "0ns", "×0", "0 /s"), (-0.0, "-0ns", "×-0", "-0 /s"),
    (5e-324, "0.00ns", "×0.00", "0.00 /s"),
  ])
  func unitsWithoutTrapping(_ value: Double, _ time: String, _ ratio: String, _ rate: String) {
    #expect(Format.time(value) == time)
    #expect(Format.ratio(value) == ratio)
    #expect(Format.rate(value) == rate)
  }

  /// A huge time or ratio prints all its digits (printf's `%.0f`), never traps.
  @Test func hugeUnits() {
    #expect(Format.time(1e300).hasSuffix("s") && Format.time(1e300).count > 300)
    #expect(Format.ratio(1e300).hasPrefix("×1") && Format.ratio(1e300).count > 300)
    #expect(Format.rate(1e300).hasSuffix(" G/s"))
    #expect(Format.bytes(Int.max) == "8388608 TiB")
  }

  @Test(arguments: [
    (0, "0"), (999, "999"), (1000, "1k"), (1500, "1.5k"), (1250, "1.25k"), (1001, "1001"),
    (1_000_000, "1M"), (2_500_000_000, "2.5G"), (-1000, "-1000"),
    (Int.max, "9223372036854775807"), (Int.min, "-9223372036854775808"),
  ])
  func counts(_ n: Int, _ text: String) {
    #expect(Format.count(n) == text)
  }

  @Test(arguments: [
    (1e10, "1e+10"), (1.1e11, "1.1e+11"), (0.5, "0.5"), (Double.nan, "nan"),
    (-Double.infinity, "-inf"),
  ])
  func rough(_ value: Double, _ text: String) {
    #expect(Format.rough(value) == text)
  }
}

extension FormatTests {
  @Test(arguments: [
    (1.25, 2, "1.25"), (0.5, 2, "0.50"), (-0.0, 1, "-0.0"), (Double.nan, 2, "nan"),
    (Double.infinity, 1, "inf"), (-Double.infinity, 0, "-inf"), (5e-324, 2, "0.00"),
  ])
  func fixed(_ value: Double, _ digits: Int, _ text: String) {
    #expect(Format.fixed(value, digits: digits) == text)
  }

  /// 10³⁰⁰ with no decimals: all 301 digits, no trap.
  @Test func fixedHuge() {
    #expect(Format.fixed(1e300, digits: 0).count == 301)
  }
}

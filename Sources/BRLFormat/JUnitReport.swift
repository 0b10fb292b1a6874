import Foundation

/// Test results as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab, Jenkins,
/// Buildkite) read to show which checks passed and which failed.
///
/// The output follows the Apache Ant JUnit schema (`JUnit.xsd` of windyroad/JUnit-Schema, a
/// strict form of the format CI systems read): `<testsuites>` (no attributes) holding one
/// `<testsuite>` per group, each with `name`, `package`, `id`, `timestamp` (UTC, no zone),
/// `hostname`, `tests`, `failures`, `errors`, `skipped` and `time`, then `<properties>`, the
/// `<testcase>`s, `<system-out>` and `<system-err>` in that order. A test case carries at most
/// one `<failure>` (a check that did not hold), `<error>` (it could not be run) or `<skipped>`.
/// The schema allows no output or properties inside a test case, so the numbers behind each
/// case go in the suite's `<properties>` (named after the case) and its `<system-out>` (a
/// readable table).
///
///     var suite = JUnitReport.Suite(name: "dump.npz", hostname: "ci-1")
///     suite.cases.append(.init(name: "rs δ=0 exact vs naive", classname: "dump.npz"))
///     try JUnitReport(suites: [suite]).write(to: "brl-verify.xml")
public struct JUnitReport: Sendable, Equatable {
  /// How a test case ended.
  public enum Outcome: Sendable, Equatable {
    case passed
    /// The check ran and did not hold (`<failure>`).
    case failure(message: String, type: String, details: String)
    /// The check could not run (`<error>`), e.g. an unreadable input.
    case error(message: String, type: String, details: String)
    case skipped(message: String)
  }

  /// One `<testcase>`.
  public struct Case: Sendable, Equatable {
    public var name: String
    /// Where CI systems group the case (a file, a loss).
    public var classname: String
    public var seconds: Double
    public var outcome: Outcome

    public init(name: String, classname: String, seconds: Double = 0, outcome: Outcome = .passed) {
      self.name = name
      self.classname = classname
      self.seconds = seconds
      self.outcome = outcome
    }
  }

  /// One `<testsuite>`.
  public struct Suite: Sendable, Equatable {
    public var name: String
    public var timestamp: Date
    public var hostname: String
    public var cases: [Case] = []
    /// Name–value pairs (the numbers behind the cases), in order.
    public var properties: [(name: String, value: String)] = []
    public var systemOut = ""
    public var systemErr = ""
    /// The suite's time; the sum of its cases' if nil.
    public var seconds: Double?

    public init(name: String, timestamp: Date = Date(), hostname: String) {
      self.name = name
      self.timestamp = timestamp
      self.hostname = hostname
    }

    public var failures: Int {
      cases.filter { if case .failure = $0.outcome { true } else { false } }.count
    }
    public var errors: Int {
      cases.filter { if case .error = $0.outcome { true } else { false } }.count
    }
    public var skipped: Int {
      cases.filter { if case .skipped = $0.outcome { true } else { false } }.count
    }

    public static func == (a: Suite, b: Suite) -> Bool {
      a.name == b.name && a.timestamp == b.timestamp && a.hostname == b.hostname
        && a.cases == b.cases && a.properties.map(\.name) == b.properties.map(\.name)
        && a.properties.map(\.value) == b.properties.map(\.value) && a.systemOut == b.systemOut
        && a.systemErr == b.systemErr && a.seconds == b.seconds
    }
  }

  public var suites: [Suite]

  public init(suites: [Suite]) {
    self.suites = suites
  }

  /// The number of test cases, failures and errors in all suites.
  public var tests: Int { suites.map(\.cases.count).reduce(0, +) }
  public var failures: Int { suites.map(\.failures).reduce(0, +) }
  public var errors: Int { suites.map(\.errors).reduce(0, +) }

  /// The XML document, UTF-8, ending with a newline.
  public func xml() -> String {
    var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
    // The Ant schema allows no attributes on the root: the counts are on each suite.
    out += "<testsuites>\n"
    for (id, suite) in suites.enumerated() {
      let seconds = suite.seconds ?? suite.cases.map(\.seconds).reduce(0, +)
      out +=
        "  <testsuite name=\(Self.attribute(token: suite.name)) package=\(Self.attribute(token: suite.name))"
        + " id=\"\(id)\" timestamp=\"\(Self.timestamp(suite.timestamp))\""
        + " hostname=\(Self.attribute(token: suite.hostname.isEmpty ? "localhost" : suite.hostname))"
        + " tests=\"\(suite.cases.count)\" failures=\"\(suite.failures)\" errors=\"\(suite.errors)\""
        + " skipped=\"\(suite.skipped)\" time=\"\(Self.decimal(seconds))\">\n"
      if suite.properties.isEmpty {
        out += "    <properties/>\n"
      } else {
        out += "    <properties>\n"
        for property in suite.properties {
          out +=
            "      <property name=\(Self.attribute(token: property.name))"
            + " value=\(Self.attribute(property.value))/>\n"
        }
        out += "    </properties>\n"
      }
      for testCase in suite.cases {
        out +=
          "    <testcase name=\(Self.attribute(token: testCase.name))"
          + " classname=\(Self.attribute(token: testCase.classname))"
          + " time=\"\(Self.decimal(testCase.seconds))\""
        switch testCase.outcome {
        case .passed:
          out += "/>\n"
        case .failure(let message, let type, let details):
          out +=
            ">\n      <failure message=\(Self.attribute(message)) type=\(Self.attribute(type))>"
            + Self.text(details) + "</failure>\n    </testcase>\n"
        case .error(let message, let type, let details):
          out +=
            ">\n      <error message=\(Self.attribute(message)) type=\(Self.attribute(type))>"
            + Self.text(details) + "</error>\n    </testcase>\n"
        case .skipped(let message):
          out += ">\n      <skipped message=\(Self.attribute(message))/>\n    </testcase>\n"
        }
      }
      out += "    <system-out>" + Self.text(suite.systemOut) + "</system-out>\n"
      out += "    <system-err>" + Self.text(suite.systemErr) + "</system-err>\n"
      out += "  </testsuite>\n"
    }
    out += "</testsuites>\n"
    return out
  }

  /// Writes ``xml()`` to `path` atomically: into a temporary file in the same folder, then
  /// renamed over `path`, so a reader never sees half a report and a failure leaves `path` as
  /// it was.
  public func write(to path: String) throws {
    try AtomicFile.write(Data(xml().utf8), to: path)
  }

  // MARK: Escaping

  /// Text content (``XMLEscape/text(_:)``).
  static func text(_ string: String) -> String { XMLEscape.text(string) }

  /// A quoted attribute value (``XMLEscape/attribute(_:)``).
  static func attribute(_ string: String) -> String { XMLEscape.attribute(string) }

  /// A quoted `xs:token` attribute: whitespace runs collapsed to one space, none at the ends,
  /// never empty (`-`).
  static func attribute(token string: String) -> String {
    let words = string.split(whereSeparator: { $0.isWhitespace })
    return attribute(words.isEmpty ? "-" : words.joined(separator: " "))
  }

  /// Seconds as `xs:decimal` (no exponent; NaN and infinities as 0).
  static func decimal(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "0" }
    return String(format: "%.6f", Swift.max(seconds, 0))
  }

  /// `2025-01-31T14:05:09` in UTC (the schema allows no zone).
  static func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
    return formatter.string(from: date)
  }
}

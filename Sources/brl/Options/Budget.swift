import ArgumentParser
import BRLBench

/// `--budget`: the seconds a benchmark point may take, or `none` for no limit.
struct Budget: ExpressibleByArgument, CustomStringConvertible, Sendable {
  /// nil: no limit.
  var seconds: Double?

  init(seconds: Double?) { self.seconds = seconds }

  /// `none` or a finite number of seconds > 0 (``NumberParsing/budget(_:)``).
  init(parsing text: String) throws { seconds = try NumberParsing.budget(text) }

  init?(argument: String) { try? self.init(parsing: argument) }

  var description: String { seconds.map { "\($0)" } ?? "none" }
}

import ArgumentParser
import BRLBench
import BRLFormat

/// `--budget`: the seconds a benchmark point may take, or `none` for no limit.
struct Budget: ParsedArgument, CustomStringConvertible, Sendable {
  /// nil: no limit.
  var seconds: Double?

  init(seconds: Double?) { self.seconds = seconds }

  /// `none` or a finite number of seconds > 0 (``NumberParsing/budget(_:)``).
  init(parsing text: String) throws { seconds = try NumberParsing.budget(text) }

  var description: String { seconds.map(Format.number) ?? "none" }
}

import ArgumentParser
import BRLBench

/// `--pos`, `--neg`: counts and log ranges (``CountGrid``), expanded once
/// `--steps-per-decade` is known.
extension CountGrid: ParsedArgument {
  // Public: the type is BRLBench's (ExpressibleByArgument's requirement must be).
  public init?(argument: String) { try? self.init(parsing: argument) }
}

/// A run id or `latest`.
extension RunSelector: ParsedArgument {
  public init?(argument: String) { try? self.init(parsing: argument) }
}

/// The parsers of the single-number options, in one place so every command reads a number the
/// same way (the grammar is ``NumberParsing``'s).
enum Parse {
  /// A count (`1e6`, `1M`, `1_000_000`) up to `limit`.
  static func count(atMost limit: Int, _ what: String) -> @Sendable (String) throws -> Int {
    { try NumberParsing.count($0, atMost: limit, what: what) }
  }

  /// δ, rtol, atol: a finite number ≥ 0.
  static func nonNegative(_ text: String) throws -> Double { try NumberParsing.nonNegative(text) }

  /// A finite number, sign allowed.
  static func real(_ text: String) throws -> Double { try NumberParsing.real(text) }

  /// A percentage, `10%` or `10`, as a fraction.
  static func percentage(_ text: String) throws -> Double { try NumberParsing.fraction(text) }

  /// A seed (a count up to 10¹⁵).
  static func seed(_ text: String) throws -> UInt64 { try NumberParsing.seed(text) }
}

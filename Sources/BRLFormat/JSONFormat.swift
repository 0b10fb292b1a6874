import Foundation

/// The one JSON set-up of every `--json` and export: keys sorted (stable output for CI and
/// diffs), slashes unescaped, dates ISO 8601, and NaN and ±∞ (which JSON cannot hold) as the
/// strings `"nan"`, `"inf"` and `"-inf"`.
///
/// The convention for the shape is the encoders': every key is present, `null` when it does not
/// apply, so a reader never has to tell a missing key from an absent value.
public enum JSONFormat {
  /// An encoder with brl's settings; `pretty` for documents people read (one key per line),
  /// else one line.
  public static func encoder(pretty: Bool = false) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty
      ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      : [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }

  /// A decoder that reads what ``encoder(pretty:)`` writes.
  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }

  /// `value` as JSON text; a pretty document ends with a newline.
  public static func string<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
    String(decoding: try encoder(pretty: pretty).encode(value), as: UTF8.self)
      + (pretty ? "\n" : "")
  }
}

import BRLFormat
import Foundation

/// Prints `value` as one line of JSON (``JSONFormat``: sorted keys, every key present), so the
/// output is stable for CI.
func printJSON<T: Encodable>(_ value: T) throws {
  print(try JSONFormat.string(value))
}

/// Why an input file could not be used: the file, where in it, and what was expected versus
/// found.
///
/// The command line prints ``description`` and exits with status 2, so every reason is written for
/// a person: it names the thing that was wrong and, where it helps, the value that was found.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The file, as the caller named it.
  public var path: String
  /// Where in the file, outermost first (e.g. `member 'logits.npy': header`), if it applies.
  public var position: String?
  /// What was expected and what was found.
  public var reason: String

  public init(path: String, position: String? = nil, reason: String) {
    self.path = path
    self.position = position
    self.reason = reason
  }

  /// `path: position: reason`, e.g.
  /// `dump.npz: member 'logits.npy': header: expected a shape tuple, found '(3,'`.
  public var description: String {
    [path, position, reason].compactMap { $0 }.joined(separator: ": ")
  }

  /// The same error seen from an enclosing container: `outer` goes in front of the position
  /// (an .npz member wraps the errors of the .npy inside it).
  func nested(in outer: String, path: String) -> DataError {
    DataError(
      path: path, position: [outer, position].compactMap { $0 }.joined(separator: ": "),
      reason: reason)
  }
}

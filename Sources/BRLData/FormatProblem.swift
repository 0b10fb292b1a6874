/// A problem found inside a file before it is known which file or where: what was expected and
/// what was found. Parsers of parts of a format (a header literal, a dtype) throw it; the reader
/// that knows the path and the position turns it into a ``DataError``.
struct FormatProblem: Error {
  var reason: String
}

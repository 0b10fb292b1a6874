/// A report usage problem, printed as is (exit 2).
struct ReportError: Error, CustomStringConvertible {
  var description: String
}

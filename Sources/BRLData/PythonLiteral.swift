/// The small subset of Python literal syntax that .npy headers use: a dict of strings, ints
/// (with Python 2's `L` suffix), booleans, `None`, tuples and lists.
///
/// numpy writes the header with `repr()` and reads it with `ast.literal_eval`; parsing the same
/// grammar (instead of pattern-matching numpy's exact spacing) accepts headers from any numpy
/// version or other writers, and lets errors quote the exact text that was wrong.
indirect enum PythonLiteral: Equatable {
  case string(String)
  case int(Int)
  case bool(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  case dict([(key: String, value: PythonLiteral)])

  static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
    switch (lhs, rhs) {
    case (.string(let a), .string(let b)): a == b
    case (.int(let a), .int(let b)): a == b
    case (.bool(let a), .bool(let b)): a == b
    case (.none, .none): true
    case (.tuple(let a), .tuple(let b)), (.list(let a), .list(let b)): a == b
    case (.dict(let a), .dict(let b)):
      a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: false
    }
  }

  /// A short quotation of the value, as Python would print it, for error messages.
  var quoted: String {
    switch self {
    case .string(let s): "'\(s)'"
    case .int(let i): String(i)
    case .bool(let b): b ? "True" : "False"
    case .none: "None"
    case .tuple(let items):
      "(" + items.map(\.quoted).joined(separator: ", ") + (items.count == 1 ? ",)" : ")")
    case .list(let items): "[" + items.map(\.quoted).joined(separator: ", ") + "]"
    case .dict(let items):
      "{" + items.map { "'\($0.key)': \($0.value.quoted)" }.joined(separator: ", ") + "}"
    }
  }

  /// Parses `text` as one literal (surrounding whitespace allowed). The error is a reason
  /// suitable for ``DataError/reason`` ("expected …, found '…'").
  static func parse(_ text: String) throws(FormatProblem) -> PythonLiteral {
    var parser = Parser(scalars: Array(text.unicodeScalars))
    let value = try parser.value()
    parser.skipSpace()
    guard parser.index == parser.scalars.count else {
      throw parser.error("the end of the header")
    }
    return value
  }

  /// The deepest nesting of tuples, lists and dicts accepted. numpy's headers nest 3 deep (a
  /// dict holding a list of field tuples); the limit keeps a header of a million `[` from
  /// overflowing the stack of this recursive parser.
  static let maximumDepth = 32

  private struct Parser {
    let scalars: [Unicode.Scalar]
    var index = 0
    /// How many tuples, lists and dicts enclose the current position.
    var depth = 0

    mutating func skipSpace() {
      while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
    }

    func error(_ expected: String) -> FormatProblem {
      let rest = scalars[index...].prefix(24)
      var found = String(String.UnicodeScalarView(rest))
      if found.isEmpty { found = "the end of the header" } else { found = "'\(found)'" }
      return FormatProblem(reason: "expected \(expected), found \(found)")
    }

    mutating func value() throws(FormatProblem) -> PythonLiteral {
      skipSpace()
      guard index < scalars.count else { throw error("a value") }
      if "([{".unicodeScalars.contains(scalars[index]) {
        guard depth < PythonLiteral.maximumDepth else {
          throw FormatProblem(
            reason: "expected at most \(PythonLiteral.maximumDepth) nested brackets, found "
              + "more at character \(index)")
        }
      }
      switch scalars[index] {
      case "'", "\"": return .string(try string())
      case "(":
        let (items, trailingComma) = try sequence(closing: ")")
        // `(x)` is just x in Python; only `(x,)` is a one-element tuple.
        if items.count == 1 && !trailingComma { return items[0] }
        return .tuple(items)
      case "[": return .list(try sequence(closing: "]").items)
      case "{": return try dict()
      case "-", "+", "0"..."9": return .int(try int())
      default:
        let words: [(String, PythonLiteral)] = [
          ("True", .bool(true)), ("False", .bool(false)), ("None", .none),
        ]
        for (word, literal) in words where matches(word) {
          index += word.unicodeScalars.count
          return literal
        }
        throw error("a value")
      }
    }

    private func matches(_ word: String) -> Bool {
      let w = Array(word.unicodeScalars)
      guard index + w.count <= scalars.count, Array(scalars[index..<index + w.count]) == w else {
        return false
      }
      let next = index + w.count
      return next == scalars.count
        || !(scalars[next].properties.isAlphabetic || scalars[next] == "_")
    }

    private mutating func string() throws(FormatProblem) -> String {
      let quote = scalars[index]
      let start = index
      index += 1
      var result = String.UnicodeScalarView()
      while index < scalars.count, scalars[index] != quote {
        if scalars[index] == "\\" {
          index += 1
          guard index < scalars.count else { break }
          let escaped: Unicode.Scalar =
            switch scalars[index] {
            case "n": "\n"
            case "t": "\t"
            case "0": "\0"
            default: scalars[index]
            }
          result.append(escaped)
        } else {
          result.append(scalars[index])
        }
        index += 1
      }
      guard index < scalars.count else {
        index = start
        throw error("a closing quote")
      }
      index += 1
      return String(result)
    }

    private mutating func int() throws(FormatProblem) -> Int {
      let start = index
      if scalars[index] == "-" || scalars[index] == "+" { index += 1 }
      let digitsStart = index
      while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
      let text = String(String.UnicodeScalarView(scalars[start..<index]))
      guard index > digitsStart else {
        index = start
        throw error("an integer")
      }
      if index < scalars.count, scalars[index] == "L" || scalars[index] == "l" { index += 1 }
      if index < scalars.count, scalars[index] == "." || scalars[index] == "e" {
        index = start
        throw error("an integer")
      }
      guard let value = Int(text) else {
        index = start
        throw error("an integer that fits in 64 bits")
      }
      return value
    }

    /// Items separated by commas up to `closing`; also says whether a comma preceded it.
    private mutating func sequence(closing: Unicode.Scalar) throws(FormatProblem) -> (
      items: [PythonLiteral], trailingComma: Bool
    ) {
      index += 1
      depth += 1
      defer { depth -= 1 }
      var items: [PythonLiteral] = []
      var trailingComma = false
      while true {
        skipSpace()
        if index < scalars.count, scalars[index] == closing {
          index += 1
          return (items, trailingComma)
        }
        if !items.isEmpty && !trailingComma { throw error("',' or '\(closing)'") }
        items.append(try value())
        skipSpace()
        trailingComma = index < scalars.count && scalars[index] == ","
        if trailingComma { index += 1 }
      }
    }

    private mutating func dict() throws(FormatProblem) -> PythonLiteral {
      index += 1
      depth += 1
      defer { depth -= 1 }
      var items: [(key: String, value: PythonLiteral)] = []
      var separated = true
      while true {
        skipSpace()
        if index < scalars.count, scalars[index] == "}" {
          index += 1
          return .dict(items)
        }
        guard separated else { throw error("',' or '}'") }
        guard index < scalars.count, scalars[index] == "'" || scalars[index] == "\"" else {
          throw error("a string key")
        }
        let key = try string()
        skipSpace()
        guard index < scalars.count, scalars[index] == ":" else { throw error("':'") }
        index += 1
        items.append((key, try value()))
        skipSpace()
        separated = index < scalars.count && scalars[index] == ","
        if separated { index += 1 }
      }
    }
  }
}

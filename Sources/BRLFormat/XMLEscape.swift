/// Escaping for XML 1.0 (JUnit reports, SVG, the HTML pages): markup characters become
/// entities, and characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF)
/// become U+FFFD, so no input string can break a document's well-formedness.
public enum XMLEscape {
  /// Text content: `&`, `<`, `>` escaped; characters XML 1.0 forbids replaced by U+FFFD.
  public static func text(_ string: String) -> String {
    var out = ""
    out.reserveCapacity(string.utf8.count)
    for scalar in string.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case "\r": out += "&#13;"
      default:
        out.unicodeScalars.append(isAllowed(scalar) ? scalar : "\u{FFFD}")
      }
    }
    return out
  }

  /// A quoted attribute value (whitespace kept as character references).
  public static func attribute(_ string: String) -> String {
    var out = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\t": out += "&#9;"
      case "\n": out += "&#10;"
      case "\r": out += "&#13;"
      default: out.unicodeScalars.append(isAllowed(scalar) ? scalar : "\u{FFFD}")
      }
    }
    return out + "\""
  }

  static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
    default: false
    }
  }

}

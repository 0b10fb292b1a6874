/// The three entries of an .npy header dict, checked: a supported dtype, a bool order and a tuple
/// of non-negative integer extents.
struct NPYHeader {
  var dtype: NPYDType
  var fortranOrder: Bool
  var shape: [Int]

  /// The shape as Python writes it, for messages.
  var shapeText: String { NPYHeader.shapeText(shape) }

  static func shapeText(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
  }

  /// Parses the header text (trailing spaces and newline included).
  static func parse(_ text: String) throws(FormatProblem) -> NPYHeader {
    let entries = try entries(text)
    return NPYHeader(
      dtype: try NPYDType.parse(entries.descr), fortranOrder: entries.fortranOrder,
      shape: entries.shape)
  }

  /// The header's entries, checked except the dtype (``NPYDType/parse(_:)``), so that a reader
  /// can set aside a member whose dtype brl does not read (strings, objects) without reading it.
  static func entries(
    _ text: String
  ) throws(FormatProblem) -> (descr: PythonLiteral, fortranOrder: Bool, shape: [Int]) {
    guard case .dict(let entries) = try PythonLiteral.parse(text) else {
      throw FormatProblem(reason: "expected a dict literal {...}, found '\(text.prefix(40))'")
    }
    var values: [String: PythonLiteral] = [:]
    for (key, value) in entries {
      guard ["descr", "fortran_order", "shape"].contains(key) else {
        throw FormatProblem(
          reason: "expected only the keys 'descr', 'fortran_order' and 'shape', found '\(key)'")
      }
      values[key] = value
    }
    guard let descr = values["descr"], let order = values["fortran_order"],
      let shapeValue = values["shape"]
    else {
      let missing = ["descr", "fortran_order", "shape"].filter { values[$0] == nil }
      throw FormatProblem(reason: "expected the key '\(missing[0])', found none")
    }
    guard case .bool(let fortranOrder) = order else {
      throw FormatProblem(reason: "expected fortran_order True or False, found \(order.quoted)")
    }
    guard case .tuple(let extents) = shapeValue else {
      throw FormatProblem(reason: "expected a shape tuple, found \(shapeValue.quoted)")
    }
    let shape = try extents.map { extent throws(FormatProblem) -> Int in
      guard case .int(let value) = extent, value >= 0 else {
        throw FormatProblem(
          reason: "expected non-negative integer extents in the shape, found "
            + "\(extent.quoted) in \(shapeValue.quoted)")
      }
      return value
    }
    return (descr, fortranOrder, shape)
  }
}

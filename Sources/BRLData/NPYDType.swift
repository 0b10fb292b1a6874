/// The element type of an .npy array, parsed from the header's `descr`.
///
/// brl reads numbers only: floats (f2, f4, f8), signed and unsigned integers (1–8 bytes) and
/// booleans, in either byte order, and structured (record) arrays whose fields are such numbers.
/// Everything else numpy can store (complex, objects, strings, datetimes, raw void, sub-arrays)
/// is refused by ``parse(_:)`` with a reason naming it, instead of being misread.
public struct NPYDType: Equatable, Sendable, CustomStringConvertible {
  public enum Kind: Character, Sendable {
    case float = "f"
    case signedInteger = "i"
    case unsignedInteger = "u"
    case boolean = "b"
    /// A record of named ``Field``s (`descr` is a list of `(name, descr)` pairs).
    case structured = "V"
    /// bfloat16 (2 bytes; PyTorch and safetensors only, numpy has no such dtype).
    case bfloat16 = "B"
  }

  public enum ByteOrder: Character, Sendable {
    case little = "<"
    case big = ">"
    /// One-byte types and records (`|`).
    case notApplicable = "|"
  }

  /// A field of a structured dtype: its name, element type and byte offset in the record.
  public struct Field: Equatable, Sendable {
    public var name: String
    public var dtype: NPYDType
    public var offset: Int
  }

  public var kind: Kind
  /// Bytes per element (per record for a structured dtype).
  public var itemSize: Int
  public var byteOrder: ByteOrder
  /// The named fields of a structured dtype (padding left out); empty otherwise.
  public var fields: [Field]

  public init(kind: Kind, itemSize: Int, byteOrder: ByteOrder, fields: [Field] = []) {
    self.kind = kind
    self.itemSize = itemSize
    self.byteOrder = byteOrder
    self.fields = fields
  }

  /// A scalar dtype in this machine's byte order.
  public static func native(_ kind: Kind, _ itemSize: Int) -> NPYDType {
    NPYDType(
      kind: kind, itemSize: itemSize,
      byteOrder: itemSize == 1 ? .notApplicable : isLittleEndianHost ? .little : .big)
  }

  /// The numpy type string, e.g. `<f4`, `|b1` (a record: its fields' list; `bfloat16`).
  public var description: String { kind == .bfloat16 ? "bfloat16" : descrLiteral }

  /// Whether the elements are floating point: float16/32/64 or bfloat16 (what logits need).
  var isFloatingPoint: Bool { kind == .float || kind == .bfloat16 }

  /// Whether the elements can be read in place as a Swift `Float`/`Double` on this machine.
  var isNativeFloat: Bool {
    kind == .float && (itemSize == 4 || itemSize == 8)
      && byteOrder == NPYDType.native(kind, itemSize).byteOrder
  }

  /// The `descr` value as numpy writes it in a header.
  var descrLiteral: String {
    guard kind == .structured else { return "\(byteOrder.rawValue)\(kind.rawValue)\(itemSize)" }
    var parts: [String] = []
    var end = 0
    for field in fields.sorted(by: { $0.offset < $1.offset }) {
      if field.offset > end { parts.append("('', '|V\(field.offset - end)')") }
      parts.append("('\(field.name)', '\(field.dtype.descrLiteral)')")
      end = field.offset + field.dtype.itemSize
    }
    if itemSize > end { parts.append("('', '|V\(itemSize - end)')") }
    return "[" + parts.joined(separator: ", ") + "]"
  }

  /// The dtype a header's `descr` value describes. The error is a reason for ``DataError``.
  static func parse(_ descr: PythonLiteral) throws(FormatProblem) -> NPYDType {
    switch descr {
    case .string(let text): return try parseScalar(text)
    case .list(let items): return try parseRecord(items)
    default:
      throw FormatProblem(
        reason: "expected a dtype string or list of fields, found \(descr.quoted)")
    }
  }

  private static func parseScalar(_ text: String) throws(FormatProblem) -> NPYDType {
    var rest = Substring(text)
    var order: ByteOrder? = nil
    if let first = rest.first, "<>|=".contains(first) {
      order =
        switch first {
        case "<": .little
        case ">": .big
        case "|": .notApplicable
        default: isLittleEndianHost ? .little : .big
        }
      rest = rest.dropFirst()
    }
    guard let code = rest.first else {
      throw FormatProblem(reason: "expected a dtype, found '\(text)'")
    }
    let sizeText = rest.dropFirst()
    let refused: [Character: String] = [
      "c": "complex", "O": "Python objects", "U": "unicode strings", "S": "byte strings",
      "a": "byte strings", "M": "datetimes", "m": "timedeltas", "V": "raw void bytes",
    ]
    if let name = refused[code] {
      throw FormatProblem(
        reason: "unsupported dtype '\(text)' (\(name)); expected float, integer or bool")
    }
    let kind: Kind
    let allowedSizes: [Int]
    switch code {
    case "f", "e", "d":
      kind = .float
      allowedSizes = [2, 4, 8]
    case "i": (kind, allowedSizes) = (.signedInteger, [1, 2, 4, 8])
    case "u": (kind, allowedSizes) = (.unsignedInteger, [1, 2, 4, 8])
    case "b", "?": (kind, allowedSizes) = (.boolean, [1])
    default:
      throw FormatProblem(
        reason: "unsupported dtype '\(text)'; expected float (f2, f4, f8), integer or bool")
    }
    let size: Int? =
      switch code {
      case "e": sizeText.isEmpty ? 2 : nil
      case "d": sizeText.isEmpty ? 8 : nil
      case "?": sizeText.isEmpty ? 1 : nil
      default: Int(sizeText)
      }
    guard let size, allowedSizes.contains(size) else {
      throw FormatProblem(
        reason: "unsupported dtype '\(text)'; expected item sizes "
          + allowedSizes.map(String.init).joined(separator: ", ") + " for '\(code)'")
    }
    let byteOrder: ByteOrder
    switch (order, size) {
    case (_, 1): byteOrder = .notApplicable
    case (.little?, _), (.big?, _): byteOrder = order!
    default:
      throw FormatProblem(
        reason: "dtype '\(text)': expected a byte order '<' or '>' for a \(size)-byte type")
    }
    return NPYDType(kind: kind, itemSize: size, byteOrder: byteOrder)
  }

  private static func parseRecord(_ items: [PythonLiteral]) throws(FormatProblem) -> NPYDType {
    var fields: [Field] = []
    var offset = 0
    for item in items {
      guard case .tuple(let parts) = item, parts.count >= 2, case .string(let name) = parts[0]
      else {
        throw FormatProblem(reason: "expected a field ('name', 'dtype'), found \(item.quoted)")
      }
      guard parts.count == 2 else {
        throw FormatProblem(
          reason: "field '\(name)': expected a scalar field, found a sub-array \(item.quoted)")
      }
      if name.isEmpty, case .string(let pad) = parts[1], pad.hasPrefix("|V"),
        let size = Int(pad.dropFirst(2)), size >= 0
      {
        offset = try advanced(offset, by: size)  // numpy's padding between aligned fields
        continue
      }
      guard case .string(let text) = parts[1] else {
        throw FormatProblem(
          reason: "field '\(name)': expected a scalar dtype string, found \(parts[1].quoted)")
      }
      let dtype: NPYDType
      do { dtype = try parseScalar(text) } catch {
        throw FormatProblem(reason: "field '\(name)': \(error.reason)")
      }
      guard !fields.contains(where: { $0.name == name }) else {
        throw FormatProblem(reason: "expected distinct field names, found '\(name)' twice")
      }
      fields.append(Field(name: name, dtype: dtype, offset: offset))
      offset = try advanced(offset, by: dtype.itemSize)
    }
    guard !fields.isEmpty else {
      throw FormatProblem(reason: "expected at least one field in a structured dtype, found none")
    }
    return NPYDType(kind: .structured, itemSize: offset, byteOrder: .notApplicable, fields: fields)
  }

  /// `offset + size`, refusing a record whose size does not fit in an Int (a padding of
  /// `|V9223372036854775807` would otherwise trap).
  private static func advanced(_ offset: Int, by size: Int) throws(FormatProblem) -> Int {
    let (end, overflow) = offset.addingReportingOverflow(size)
    guard !overflow else {
      throw FormatProblem(
        reason: "structured dtype: expected a record size that fits in 64 bits, found fields "
          + "and padding adding up to more (overflow)")
    }
    return end
  }
}

/// Whether this machine stores numbers little-endian (all of brl's targets do; checked, not
/// assumed, so a big-endian host would convert instead of misreading).
let isLittleEndianHost = 1.littleEndian == 1

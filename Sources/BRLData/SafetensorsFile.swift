import Foundation

/// Reads safetensors files: an 8-byte little-endian header length n, n bytes of JSON,
/// then the data.
///
///     {"logits": {"dtype": "BF16", "shape": [N], "data_offsets": [begin, end]}, …,
///      "__metadata__": {"key": "value", …}}
///
/// Offsets count from the start of the data. As the reference implementation does, brl requires
/// n ≤ 100 MB and within the file, a JSON object header whose entries have exactly these three
/// fields, a known dtype, a shape of non-negative integers whose element count times the item
/// size is `end − begin`, and tensors that tile the data exactly: sorted by offset, each begins
/// where the previous ends, the first at 0 and the last at the end of the file — so no two
/// overlap and no byte is unaccounted for. `__metadata__` may only map strings to strings.
/// Tensors are views of the mapped file (no copy).
enum SafetensorsFile {
  /// The reference implementation's limit on the header (`MAX_HEADER_SIZE`).
  static let maximumHeaderSize = 100_000_000

  static let dtypes: [String: NPYDType] = [
    "F64": .init(kind: .float, itemSize: 8, byteOrder: .little),
    "F32": .init(kind: .float, itemSize: 4, byteOrder: .little),
    "F16": .init(kind: .float, itemSize: 2, byteOrder: .little),
    "BF16": .init(kind: .bfloat16, itemSize: 2, byteOrder: .little),
    "I64": .init(kind: .signedInteger, itemSize: 8, byteOrder: .little),
    "I32": .init(kind: .signedInteger, itemSize: 4, byteOrder: .little),
    "I16": .init(kind: .signedInteger, itemSize: 2, byteOrder: .little),
    "I8": .init(kind: .signedInteger, itemSize: 1, byteOrder: .notApplicable),
    "U64": .init(kind: .unsignedInteger, itemSize: 8, byteOrder: .little),
    "U32": .init(kind: .unsignedInteger, itemSize: 4, byteOrder: .little),
    "U16": .init(kind: .unsignedInteger, itemSize: 2, byteOrder: .little),
    "U8": .init(kind: .unsignedInteger, itemSize: 1, byteOrder: .notApplicable),
    "BOOL": .init(kind: .boolean, itemSize: 1, byteOrder: .notApplicable),
  ]

  /// Whether `data` starts like a safetensors file: a header length that fits the file, then `{`.
  static func looksLikeSafetensors(_ data: Data) -> Bool {
    guard data.count >= 10 else { return false }
    let length = data.littleEndian(UInt64.self, at: 0)
    return length >= 2 && length <= UInt64(data.count - 8) && data[data.startIndex + 8] == 0x7b
  }

  /// The tensors of the safetensors file whose bytes are `data`, by name.
  static func read(_ data: Data, path: String) throws -> TensorFile {
    func fail(_ reason: String, at position: String? = nil) -> DataError {
      DataError(path: path, position: position, reason: reason)
    }
    guard data.count >= 8 else {
      throw fail(
        "not a safetensors file: expected an 8-byte header length, found \(data.count) bytes",
        at: "header length")
    }
    let length = data.littleEndian(UInt64.self, at: 0)
    guard length <= UInt64(maximumHeaderSize) else {
      throw fail(
        "expected a header of at most \(maximumHeaderSize) bytes, found \(length) declared",
        at: "header length")
    }
    guard length <= UInt64(data.count - 8) else {
      throw fail(
        "truncated: the header is \(length) bytes but only \(data.count - 8) follow",
        at: "header length")
    }
    let headerBytes = data[(data.startIndex + 8)..<(data.startIndex + 8 + Int(length))]
    guard headerBytes.first == 0x7b else {
      throw fail(
        "expected a JSON object ('{'), found \(Data(headerBytes).quotedBytes())", at: "header")
    }
    // A safetensors header nests 3 deep ({name: {shape: […]}}); a deeper one is refused before
    // it reaches the JSON parser, whose recursion a hostile header could otherwise exhaust.
    guard nestingDepth(headerBytes) <= maximumNesting else {
      throw fail("expected JSON nested at most \(maximumNesting) deep, found deeper", at: "header")
    }
    let json: Any
    do { json = try JSONSerialization.jsonObject(with: Data(headerBytes)) } catch {
      throw fail("expected a JSON object, found invalid JSON", at: "header")
    }
    guard let header = json as? [String: Any] else {
      throw fail("expected a JSON object", at: "header")
    }
    let dataStart = 8 + Int(length)
    let dataLength = data.count - dataStart
    var entries: [(name: String, begin: Int, end: Int, entry: TensorEntry)] = []
    var hasMetadata = false
    for (name, value) in header.sorted(by: { $0.key < $1.key }) {  // errors in a fixed order
      let position = "header: tensor '\(TorchPickle.printable(name))'"
      if name == "__metadata__" {
        guard let metadata = value as? [String: Any], metadata.values.allSatisfy({ $0 is String })
        else {
          throw fail("expected '__metadata__' to map strings to strings", at: "header")
        }
        hasMetadata = true
        continue
      }
      guard let fields = value as? [String: Any] else {
        throw fail("expected an object {dtype, shape, data_offsets}", at: position)
      }
      let unknown = Set(fields.keys).subtracting(["dtype", "shape", "data_offsets"])
      guard unknown.isEmpty else {
        throw fail(
          "unexpected field "
            + unknown.sorted().map { "'\(TorchPickle.printable($0))'" }
            .joined(separator: ", "), at: position)
      }
      guard let dtypeName = fields["dtype"] as? String else {
        throw fail("expected a string 'dtype'", at: position)
      }
      let dtype = dtypes[dtypeName]
      guard let shapeList = fields["shape"] as? [Any], shapeList.count <= 32,
        let shape = integers(shapeList)
      else {
        throw fail("expected 'shape' a list of at most 32 integers ≥ 0", at: position)
      }
      guard let offsetList = fields["data_offsets"] as? [Any], offsetList.count == 2,
        let offsets = integers(offsetList), offsets[0] <= offsets[1]
      else {
        throw fail("expected 'data_offsets' [begin, end] with 0 ≤ begin ≤ end", at: position)
      }
      guard let dtype else {
        // A dtype brl does not read (float8, complex…): only its place in the data is checked.
        guard offsets[1] <= dataLength else {
          throw fail(
            "data_offsets [\(offsets[0]), \(offsets[1])] point past the end of the data "
              + "(\(dataLength) bytes after the header)", at: position)
        }
        let kind =
          "a tensor of unsupported dtype '\(TorchPickle.printable(dtypeName))' (brl reads "
          + dtypes.keys.sorted().joined(separator: ", ") + ")"
        entries.append((name, offsets[0], offsets[1], .other(kind)))
        continue
      }
      do { try TensorLayout.checkSpan(shape: shape, dtype: dtype) } catch {
        throw fail(error.reason, at: position)
      }
      var count = 1
      var overflow = false
      for extent in shape {
        let (product, o) = count.multipliedReportingOverflow(by: extent)
        (count, overflow) = (product, overflow || o)
      }
      let (bytes, o) = count.multipliedReportingOverflow(by: dtype.itemSize)
      guard !overflow, !o, bytes == offsets[1] - offsets[0] else {
        throw fail(
          "shape \(NPYHeader.shapeText(shape)) of \(dtypeName) needs "
            + "\(overflow || o ? "more than Int.max" : String(bytes)) bytes, but data_offsets "
            + "[\(offsets[0]), \(offsets[1])] span \(offsets[1] - offsets[0])", at: position)
      }
      guard offsets[1] <= dataLength else {
        throw fail(
          "data_offsets [\(offsets[0]), \(offsets[1])] point past the end of the data "
            + "(\(dataLength) bytes after the header)", at: position)
      }
      let array = NPYArray(
        dtype: dtype, shape: shape, fortranOrder: false, storage: data,
        dataOffset: dataStart + offsets[0])
      entries.append((name, offsets[0], offsets[1], .array(TensorSource(array))))
    }
    entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
    var expected = 0
    for entry in entries {
      guard entry.begin == expected else {
        let what =
          entry.begin < expected
          ? "overlaps the tensor before it (which ends at \(expected))"
          : "leaves bytes \(expected)..<\(entry.begin) unaccounted for"
        throw fail(
          "data_offsets [\(entry.begin), \(entry.end)] \(what); expected tensors that tile the "
            + "data", at: "header: tensor '\(TorchPickle.printable(entry.name))'")
      }
      expected = entry.end
    }
    guard expected == dataLength else {
      throw fail(
        "the tensors cover \(expected) bytes of data, but \(dataLength) follow the header",
        at: "header")
    }
    // In the header's order of names (sorted: JSON objects have no order).
    var named = entries.sorted { $0.name < $1.name }.map { (key: $0.name, value: $0.entry) }
    if hasMetadata { named.append((key: "__metadata__", value: .other("metadata"))) }
    return .tree(.dict(named), pair: false)
  }

  static let maximumNesting = 8

  /// The deepest nesting of `{` and `[` outside strings (a scan, no parsing).
  private static func nestingDepth(_ bytes: Data) -> Int {
    var (depth, deepest, inString, escaped) = (0, 0, false, false)
    for byte in bytes {
      if inString {
        if escaped {
          escaped = false
        } else if byte == 0x5c {
          escaped = true
        } else if byte == 0x22 {
          inString = false
        }
        continue
      }
      switch byte {
      case 0x22: inString = true
      case 0x7b, 0x5b:
        depth += 1
        deepest = Swift.max(deepest, depth)
      case 0x7d, 0x5d: depth -= 1
      default: break
      }
    }
    return deepest
  }

  /// JSON numbers that are integers in 0…2^53 (exactly representable), else nil.
  private static func integers(_ values: [Any]) -> [Int]? {
    var result: [Int] = []
    for value in values {
      // Foundation gives JSON true/false as a boolean NSNumber, which `is Bool` cannot tell
      // from the number 1 on Linux; its class name can.
      guard let number = value as? NSNumber, !String(describing: type(of: value)).contains("Bool")
      else { return nil }
      let double = number.doubleValue
      guard double >= 0, double <= 0x1p53, double == double.rounded() else { return nil }
      result.append(Int(double))
    }
    return result
  }
}

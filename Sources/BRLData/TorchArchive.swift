import Foundation

/// Reads `torch.save` files: the zip format of torch ≥ 1.6,
///
///     <top>/data.pkl        the pickled object (dict, OrderedDict, tuple, list or tensor)
///     <top>/byteorder       "little" or "big" (absent in old files: little)
///     <top>/data/<key>      each storage's raw bytes, stored (uncompressed, 64-byte aligned)
///
/// where `<top>` is `archive` or the file's stem. `data.pkl` is read by ``TorchPickle`` (no code
/// runs); each tensor is a view (offset, size, stride) of a storage member, checked to lie inside
/// it, and the member's bytes are used where they are in the mapped file: a contiguous float32,
/// float64 or bfloat16 tensor is never copied; a strided one is gathered when converted.
///
/// The zip directory is parsed by ``ZipDirectory`` (every size and offset checked, CRC-32 of every
/// member read). The legacy format (torch < 1.6, or `_use_new_zipfile_serialization=False`), a
/// bare pickle stream that needs Python objects to read, is refused with how to re-save it.
enum TorchArchive {
  /// The largest `data.pkl` read (a dump's is a few hundred bytes per tensor).
  static let maximumPickleSize = 16 << 20

  /// The start of a legacy `torch.save` file: pickle protocol 2, then the magic number
  /// 0x1950a86a20f9469cfc6c as a LONG1.
  static let legacyMagic: [UInt8] = [
    0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19,
  ]

  static let legacyAdvice =
    "the legacy torch.save format (torch < 1.6 or _use_new_zipfile_serialization=False) is a "
    + "pickle stream brl does not read; re-save it with torch ≥ 1.6 and the default zip format: "
    + "torch.save(obj, path), or as safetensors"

  /// Whether `directory` looks like a torch.save archive (a member `<top>/data.pkl`).
  static func isTorchArchive(_ directory: ZipDirectory) -> Bool {
    directory.members.contains { isPickleName($0.name) }
  }

  private static func isPickleName(_ name: String) -> Bool {
    let parts = name.split(separator: "/", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && parts[1] == "data.pkl"
  }

  /// The contents of the torch.save file whose bytes are `data`; `path` names it in errors.
  static func read(_ data: Data, path: String) throws -> TensorFile {
    func fail(_ reason: String, at position: String? = nil) -> DataError {
      DataError(path: path, position: position, reason: reason)
    }
    if data.hasBytes(legacyMagic, at: 0) || (data.first == 0x80 && !ZipDirectory.looksLikeZip(data))
    {
      throw fail(legacyAdvice)
    }
    guard ZipDirectory.looksLikeZip(data) else {
      throw fail(
        "not a torch.save file: expected a zip archive (b'PK\\x03\\x04'), found "
          + data.quotedBytes())
    }
    let directory: ZipDirectory
    do { directory = try ZipDirectory.read(data) } catch {
      throw fail(error.reason)
    }
    var members: [String: ZipMember] = [:]
    for member in directory.members {
      guard members.updateValue(member, forKey: member.name) == nil else {
        throw fail("duplicate member '\(member.name)': expected each member once, found it twice")
      }
    }
    let pickles = directory.members.filter { isPickleName($0.name) }
    guard pickles.count == 1 else {
      throw fail(
        "expected one '<folder>/data.pkl' member (a torch.save archive), found \(pickles.count)"
          + " among \(directory.members.count) members")
    }
    let top = String(pickles[0].name.dropLast("data.pkl".count))
    func contents(_ member: ZipMember) throws -> Data {
      do { return try member.contents(of: data) } catch {
        throw fail(error.reason, at: "member '\(member.name)'")
      }
    }
    guard pickles[0].uncompressedSize <= UInt64(maximumPickleSize) else {
      throw fail(
        "expected at most \(maximumPickleSize) bytes, found \(pickles[0].uncompressedSize)",
        at: "member '\(pickles[0].name)'")
    }
    var byteOrder = NPYDType.ByteOrder.little
    if let member = members[top + "byteorder"] {
      guard member.uncompressedSize <= 16 else {
        throw fail(
          "expected 'little' or 'big', found \(member.uncompressedSize) bytes",
          at: "member '\(member.name)'")
      }
      switch String(decoding: try contents(member), as: UTF8.self) {
      case "little": byteOrder = .little
      case "big": byteOrder = .big
      case let other:
        throw fail(
          "expected 'little' or 'big', found '\(TorchPickle.printable(other))'",
          at: "member '\(member.name)'")
      }
    }
    let object: PickleValue
    do { object = try TorchPickle.load(try contents(pickles[0])) } catch let error as FormatProblem
    {
      throw fail(error.reason, at: "data.pkl")
    }

    // Each storage member's bytes, read (and CRC-checked) once however many tensors view it.
    var storages: [String: Data] = [:]
    func array(_ tensor: TorchTensor, _ position: String) throws -> NPYArray {
      let reference = tensor.storage
      let name = top + "data/" + reference.key
      let bytes: Data
      if let cached = storages[reference.key] {
        bytes = cached
      } else {
        guard let member = members[name] else {
          throw fail(
            "storage '\(TorchPickle.printable(reference.key))' is missing: expected a member "
              + "'\(TorchPickle.printable(name))', found none", at: position)
        }
        bytes = try contents(member)
        storages[reference.key] = bytes
      }
      var dtype = reference.dtype
      if dtype.itemSize > 1 { dtype.byteOrder = byteOrder }
      let (storageBytes, overflow) = reference.count.multipliedReportingOverflow(by: dtype.itemSize)
      guard !overflow, storageBytes <= bytes.count else {
        throw fail(
          "storage '\(reference.key)': expected \(reference.count) elements of \(dtype) "
            + "(\(overflow ? "more than Int.max" : String(storageBytes)) bytes), found "
            + "\(bytes.count) bytes in its member", at: position)
      }
      let layout = TensorLayout(
        offset: tensor.offset, shape: tensor.shape, strides: tensor.strides,
        storageCount: reference.count)
      let byteStrides: [Int]
      do { byteStrides = try layout.byteStrides(dtype: dtype) } catch {
        throw fail(error.reason, at: position)
      }
      var result = NPYArray(
        dtype: dtype, shape: tensor.shape, fortranOrder: false, storage: bytes,
        dataOffset: tensor.offset * dtype.itemSize)
      result.strides = byteStrides
      return result
    }
    // The pickle as container entries; a tensor's storage is read only if brl uses it.
    var budget = maximumEntries
    func entry(_ value: PickleValue, _ key: String, depth: Int) throws -> TensorEntry {
      budget -= 1
      guard budget >= 0 else {
        throw fail(
          "expected at most \(maximumEntries) values in the saved object (each appearance of a "
            + "shared container counted), found more", at: "data.pkl")
      }
      switch value {
      case .tensor(let tensor):
        let position = "key '\(TorchPickle.printable(key))'"
        return .array(TensorSource(shape: tensor.shape) { try array(tensor, position) })
      case .float(let number): return .array(TensorSource(NPYArray.make([number], shape: [])))
      case .int(let number): return .array(TensorSource(NPYArray.make([Double(number)], shape: [])))
      case .bool(let flag): return .array(TensorSource(NPYArray.make([flag ? 1 : 0], shape: [])))
      case .list(let items), .tuple(let items):
        guard depth < maximumDepth else { return .other("\(value.kindName) nested too deep") }
        let kind: String
        if case .list = value { kind = "list" } else { kind = "tuple" }
        var entries: [TensorEntry] = []
        for (index, item) in items.enumerated() {
          entries.append(try entry(item, "\(key).\(index)", depth: depth + 1))
        }
        return .list(entries, kind: kind)
      case .dict(let dict):
        guard depth < maximumDepth else { return .other("a dict nested too deep") }
        var entries: [(key: String, value: TensorEntry)] = []
        for (name, item) in dict.entries {
          entries.append(
            (name, try entry(item, key.isEmpty ? name : "\(key).\(name)", depth: depth + 1)))
        }
        return .dict(entries)
      default:
        return .other(value.kindName)
      }
    }

    switch object {
    case .tensor(let tensor):
      return .single(try array(tensor, "the saved tensor"))
    case .dict:
      return .tree(try entry(object, "", depth: 0), pair: false)
    case .tuple(let items), .list(let items):
      // A pair is (logits, targets); another list is read by --keys paths (0, 1.logits, …).
      return .tree(try entry(object, "", depth: 0), pair: items.count == 2)
    default:
      throw fail(
        "expected a dict of tensors, one tensor, or a pair (logits, targets); found "
          + object.kindName, at: "data.pkl")
    }
  }

  /// The most values the saved object may hold, a shared container counted each time it
  /// appears (the pickle's memo lets a small file describe an exponentially large tree).
  static let maximumEntries = 100_000
  /// Containers deeper than this are kept as one unread value (a dump nests two or three deep).
  static let maximumDepth = 16
}
